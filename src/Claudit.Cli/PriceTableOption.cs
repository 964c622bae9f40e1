using System.CommandLine;
using Claudit.Core.Pricing;

namespace Claudit.Cli;

/// <summary><c>--prices FILE</c> (or <c>CLAUDIT_PRICES</c>): a replacement price table, read at run time.</summary>
internal static class PriceTableOption
{
    public const string EnvironmentVariable = "CLAUDIT_PRICES";

    public static Option<FileInfo?> Create() => new("--prices")
    {
        Description = $"A price-table JSON file replacing the embedded one (default: ${EnvironmentVariable}, else the table shipped with this build).",
        HelpName = "FILE",
    };

    public static PriceTable Load(FileInfo? file) => Load(file?.FullName ?? Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The table at <paramref name="path"/>, or the embedded one when there is no path.</summary>
    public static PriceTable Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return PriceTable.Default;
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"the price table '{path}' is a directory: give the price-table JSON file (e.g. pricing/prices.json).");
        }

        try
        {
            return PriceTable.Parse(File.ReadAllBytes(path), path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the price table '{path}': {ex.Message}", ex);
        }
    }
}
