namespace Claudit.Store.Tests;

/// <summary>Files of the repository the tests run from, found by walking up to Claudit.slnx.</summary>
internal static class RepoFiles
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

    /// <summary>samples/calls.jsonl: 400 generated records.</summary>
    public static string SampleCalls => Path.Combine(s_root.Value, "samples", "calls.jsonl");
}
