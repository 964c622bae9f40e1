namespace Claudit.Store.Usage;

/// <summary>
/// One scope's recorded usage in one bucket: its priced cost (USD), its calls and its tokens (all input,
/// cached or not, plus output). <see cref="Scope"/> is null for the global scope.
/// </summary>
public sealed record ScopeUsage(string? Scope, long Bucket, decimal CostUsd, long Requests, long Tokens);
