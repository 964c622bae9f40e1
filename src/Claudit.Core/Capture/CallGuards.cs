namespace Claudit.Core.Capture;

/// <summary>The opt-in checks <see cref="CallFinisher"/> runs on every record it finishes; all off by default.</summary>
public readonly record struct CallGuards
{
    /// <summary>Flag answers that look truncated, refused, too short or repetitive (<see cref="Records.QualityFlags"/>).</summary>
    public bool QualityFlags { get; init; }

    /// <summary>Record the share of the model's context window each call's input filled.</summary>
    public bool RecordContextUtilisation { get; init; }
}
