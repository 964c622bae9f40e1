namespace Claudit.Store.ReadModel;

/// <summary>Which calls to list beyond the filter: one session's, errors only; their order and page.</summary>
public sealed record CallListQuery
{
    public string? Session { get; init; }

    public bool ErrorsOnly { get; init; }

    public CallOrder Order { get; init; } = CallOrder.Recent;

    public int Limit { get; init; } = 50;

    public int Offset { get; init; }
}
