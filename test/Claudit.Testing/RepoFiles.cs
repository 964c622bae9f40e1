namespace Claudit.Testing;

/// <summary>
/// Files of the repository the tests and benchmarks run from, found by walking up to Claudit.slnx.
/// Shared through this project, as the record generator is.
/// </summary>
public static class RepoFiles
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Claudit.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Claudit.slnx above {AppContext.BaseDirectory}.");
    });

    public static string Root => s_root.Value;

    /// <summary>samples/calls.jsonl: 400 generated records over 2026-11-01 00:00–00:01:22 UTC.</summary>
    public static string SampleCalls => Path.Combine(Root, "samples", "calls.jsonl");

    /// <summary>A file under deploy/ (Prometheus rules, Grafana dashboard).</summary>
    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);
}
