namespace Claudit.Instrumentation.Implementation;

/// <summary>Where and how records are shipped to a Claudit server's <c>/api/ingest</c>.</summary>
internal sealed class ServerSinkOptions
{
    public required Uri Url { get; init; }

    /// <summary>Sent as <c>Claudit-Token</c> when set.</summary>
    public string? Token { get; init; }

    /// <summary>Records per POST at most.</summary>
    public int MaxRecordsPerPost { get; init; } = 500;
}
