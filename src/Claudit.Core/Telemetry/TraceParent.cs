namespace Claudit.Core.Telemetry;

/// <summary>The W3C <c>traceparent</c> header: <c>00-{32 hex trace id}-{16 hex span id}-{flags}</c>.</summary>
public static class TraceParent
{
    /// <summary>The trace and span ids (lower-case hex) of a well-formed value; nulls for anything else.</summary>
    public static (string? TraceId, string? SpanId) Parse(string? value)
    {
        if (value is not { Length: 55 } || value[2] != '-' || value[35] != '-' || value[52] != '-')
        {
            return (null, null);
        }

        var trace = value.AsSpan(3, 32);
        var span = value.AsSpan(36, 16);
        return trace.ContainsAnyExcept(HexDigits) || span.ContainsAnyExcept(HexDigits)
            ? (null, null)
            : (trace.ToString().ToLowerInvariant(), span.ToString().ToLowerInvariant());
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
