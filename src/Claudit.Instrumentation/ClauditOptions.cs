namespace Claudit.Instrumentation;

/// <summary>
/// How Claudit captures calls in-process and ships their records. Checked when the host starts
/// (<c>ValidateOnStart</c>): a value out of range stops the start with a message naming it. The clock
/// (<see cref="TimeProvider"/>) and the price table (<c>UsePrices</c>) come from the services.
/// </summary>
public sealed class ClauditOptions
{
    /// <summary>
    /// Records waiting for the sinks. When full, new records are dropped and counted
    /// (<see cref="ClauditRecordQueue.Dropped"/>): a slow sink never holds up a request.
    /// </summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Records handed to the sinks at once.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Request and non-streamed response bodies larger than this are not read for the record.</summary>
    public int MaxCaptureBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Opt-in: flag answers that look truncated, refused, too short or repetitive (<see cref="Core.Records.QualityFlags"/>).</summary>
    public bool QualityFlags { get; set; }

    /// <summary>Opt-in: record the share of the model's context window each call's input filled.</summary>
    public bool RecordContextUtilisation { get; set; }

    /// <summary>
    /// Opt-in guard: refuse, before sending, a call whose estimated input (request bytes / 4) exceeds
    /// this share of the model's context window, with <see cref="ClauditContextWindowException"/>.
    /// The estimate is rough by design (free, no extra round trip); set a share with headroom, e.g. 0.9.
    /// </summary>
    public double? RefuseAboveContextShare { get; set; }

    /// <summary>
    /// Opt-in: keep prompts and outputs, redacted (e-mails, phone and card numbers, keys), in the
    /// content sinks (<c>AddContentJsonl</c>), apart from the records. Off by default: records never
    /// hold text. Captured by the chat middleware, where the text is at hand.
    /// </summary>
    public bool CaptureContent { get; set; }

    /// <summary>How long a graceful stop waits for the sinks to take what is queued.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
