namespace Claudit.Cli.Configuration;

/// <summary>A data directory is checked before a server starts, so a bad one is one clear line, not a failure later.</summary>
internal static class DataDirectory
{
    /// <summary>Creates the directory if needed and proves it writable; <paramref name="origin"/> names the setting.</summary>
    public static void EnsureWritable(string directory, string origin = "--data-dir")
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{origin} '{directory}' is not writable: {ex.Message}", ex);
        }
    }
}
