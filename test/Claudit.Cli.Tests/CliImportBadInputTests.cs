using Claudit.Store.DuckDb;

namespace Claudit.Cli.Tests;

/// <summary>Bad input to <c>claudit import</c> and <c>claudit report --data-dir</c>: exit 2 and one clear line.</summary>
public class CliImportBadInputTests
{
    [Fact]
    public async Task Missing_file()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("nope.jsonl");

        var result = await Cli.RunAsync("import", missing, "--data-dir", dir.File("data"));

        Cli.AssertBadInput(result, $"'{missing}' does not exist");
        Assert.False(Directory.Exists(dir.File("data")), "nothing is created for an import that cannot start");
    }

    [Fact]
    public async Task Data_dir_that_cannot_be_created()
    {
        using var dir = new TempDirectory();
        var blocker = dir.Write("blocker", "a file where the data directory should be");

        var result = await Cli.RunAsync("import", RepoFiles.SampleCalls, "--data-dir", Path.Combine(blocker, "data"));

        Cli.AssertBadInput(result, "cannot create the store");
    }

    [Fact]
    public async Task Store_held_open_by_another_store()
    {
        using var dir = new TempDirectory();
        var dataDir = dir.File("data");
        await using var holder = DuckDbCallStore.Open(Path.Combine(dataDir, DuckDbCallStore.FileName));

        var import = await Cli.RunAsync("import", RepoFiles.SampleCalls, "--data-dir", dataDir);
        var report = await Cli.RunAsync("report", "--data-dir", dataDir);

        Cli.AssertBadInput(import, "is already open");
        Cli.AssertBadInput(report, "is already open");
        Assert.Equal(0, await holder.CountAsync());
    }

    [Fact]
    public async Task Report_from_a_data_dir_without_a_store()
    {
        using var dir = new TempDirectory();

        var result = await Cli.RunAsync("report", "--data-dir", dir.Path);

        Cli.AssertBadInput(result, "there is no store at");
        Assert.False(File.Exists(Path.Combine(dir.Path, DuckDbCallStore.FileName)), "a report must not create a store");
    }

    [Fact]
    public async Task Report_with_both_files_and_data_dir()
    {
        using var dir = new TempDirectory();

        var result = await Cli.RunAsync("report", RepoFiles.SampleCalls, "--data-dir", dir.Path);

        Cli.AssertBadInput(result, "give one of FILES, --data-dir, --store or --server");
    }

    [Fact]
    public async Task Report_with_neither_files_nor_data_dir()
    {
        var result = await Cli.RunAsync("report");

        Cli.AssertBadInput(result, "give the JSONL FILES to report on, --data-dir DIR for a store, or --server URL");
    }

    [Fact]
    public async Task Import_without_files()
    {
        var result = await Cli.RunAsync("import");

        Assert.Equal(ClauditCli.BadInput, result.ExitCode);
        Assert.Contains("files", result.Error, StringComparison.OrdinalIgnoreCase);
    }
}
