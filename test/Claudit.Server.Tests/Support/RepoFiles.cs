namespace Claudit.Server.Tests.Support;

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

    public static string Root => s_root.Value;

    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);
}
