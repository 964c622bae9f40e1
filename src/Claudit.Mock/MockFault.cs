namespace Claudit.Mock;

/// <summary>Faults the mock can inject, by the <c>x-mock-fault</c> header or a probabilistic spec.</summary>
public enum MockFault
{
    None,
    /// <summary>429 rate_limit_error with <c>retry-after</c>.</summary>
    RateLimit,
    /// <summary>529 overloaded_error.</summary>
    Overloaded,
    /// <summary>500 api_error.</summary>
    ApiError,
    /// <summary>504 timeout_error.</summary>
    Timeout,
    /// <summary>Answers normally after a long delay.</summary>
    Slow,
    /// <summary>Connection reset before any byte.</summary>
    Reset,
    /// <summary>HTTP 200 stream, then an <c>error</c> event.</summary>
    MidstreamError,
    /// <summary>Stream cut without <c>message_stop</c>.</summary>
    Truncate,
}

public static class MockFaults
{
    public const string Header = "x-mock-fault";

    private static readonly Dictionary<string, MockFault> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rate_limit"] = MockFault.RateLimit,
        ["overloaded"] = MockFault.Overloaded,
        ["api_error"] = MockFault.ApiError,
        ["timeout"] = MockFault.Timeout,
        ["slow"] = MockFault.Slow,
        ["reset"] = MockFault.Reset,
        ["midstream_error"] = MockFault.MidstreamError,
        ["truncate"] = MockFault.Truncate,
    };

    public static IReadOnlyCollection<string> AllNames => Names.Keys;

    public static bool TryParse(string? name, out MockFault fault)
    {
        fault = MockFault.None;
        return name is not null && Names.TryGetValue(name.Trim(), out fault);
    }

    public static string NameOf(MockFault fault) => Names.First(n => n.Value == fault).Key;
}
