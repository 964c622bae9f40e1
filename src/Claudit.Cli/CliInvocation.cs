namespace Claudit.Cli;

/// <summary>
/// How to run claudit again, as the person who started this one would type it: <c>claudit</c> when it was
/// installed (a .NET tool or a published binary), or <c>dotnet run --project src/Claudit.Cli --</c> when it was
/// started from a checkout with <c>dotnet run</c> — the commands <c>serve</c> and <c>demo</c> suggest must work
/// as printed, and a checkout has no <c>claudit</c> on its PATH. <c>dotnet run</c> builds into
/// <c>&lt;project&gt;/bin/&lt;configuration&gt;/&lt;framework&gt;/</c> and runs from there; nothing installed sits beside a project file.
/// </summary>
internal static class CliInvocation
{
    public static string Command { get; } = Detect(AppContext.BaseDirectory, Environment.CurrentDirectory);

    internal static string Detect(string baseDirectory, string currentDirectory)
    {
        var framework = new DirectoryInfo(baseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var project = framework.Parent?.Parent?.Parent;
        if (framework.Parent?.Parent is not { Name: "bin" } || project is null || !File.Exists(Path.Combine(project.FullName, "Claudit.Cli.csproj")))
        {
            return "claudit";
        }

        var relative = Path.GetRelativePath(currentDirectory, project.FullName);
        var path = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? project.FullName : relative;
        return $"dotnet run --project {(path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path)} --";
    }
}
