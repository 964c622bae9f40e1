using System.CommandLine;

namespace Claudit.Cli;

/// <summary><c>--data-dir DIR</c>: where the store file (<c>claudit.duckdb</c>) lives.</summary>
internal static class DataDirOption
{
    public const string Default = "claudit-data";

    public static Option<string?> Create(string description, bool defaultToCurrent) => new("--data-dir")
    {
        Description = description,
        HelpName = "DIR",
        DefaultValueFactory = defaultToCurrent ? _ => Default : null,
    };
}
