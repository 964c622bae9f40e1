using System.Globalization;

namespace Claudit.Mock;

/// <summary>
/// A probabilistic fault mix, e.g. <c>rate_limit=0.02,overloaded=0.01</c>: each request draws at most one
/// fault with these probabilities (their sum must not exceed 1).
/// </summary>
public sealed class FaultSpec
{
    private readonly (MockFault Fault, double Probability)[] _faults;

    private FaultSpec((MockFault, double)[] faults) => _faults = faults;

    public static FaultSpec None { get; } = new([]);

    public IReadOnlyList<(MockFault Fault, double Probability)> Faults => _faults;

    public static FaultSpec Parse(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return None;
        }

        var faults = new List<(MockFault, double)>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"fault '{part}' must be NAME=PROBABILITY, e.g. rate_limit=0.02");
            }

            var name = part[..eq];
            if (!MockFaults.TryParse(name, out var fault))
            {
                throw new FormatException($"unknown fault '{name}'; known: {string.Join(", ", MockFaults.AllNames)}");
            }

            if (!double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p < 0 || p > 1)
            {
                throw new FormatException($"fault '{name}' needs a probability between 0 and 1, not '{part[(eq + 1)..]}'");
            }

            faults.Add((fault, p));
        }

        if (faults.Sum(f => f.Item2) > 1.0000001)
        {
            throw new FormatException("the fault probabilities add up to more than 1");
        }

        return new FaultSpec([.. faults]);
    }

    /// <summary>Draws a fault for one request with <paramref name="roll"/> uniform in [0, 1).</summary>
    public MockFault Draw(double roll)
    {
        foreach (var (fault, p) in _faults)
        {
            if ((roll -= p) < 0)
            {
                return fault;
            }
        }

        return MockFault.None;
    }
}
