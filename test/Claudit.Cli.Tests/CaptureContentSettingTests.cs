using System.CommandLine;
using Claudit.Cli.Configuration;

namespace Claudit.Cli.Tests;

/// <summary>
/// <c>claudit serve --capture-content</c>: off unless asked for, by the flag, <c>CLAUDIT_CAPTURE_CONTENT</c> or
/// <c>"CaptureContent"</c> in appsettings.json (flags over the environment over the file); a bad value names its origin.
/// </summary>
public class CaptureContentSettingTests
{
    private static bool CaptureContent(string dataDir, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var serve = new ServeOptions();
        var command = new Command("serve");
        serve.AddTo(command);
        var parse = command.Parse([.. args, "--data-dir", dataDir]);
        return serve.Resolve(parse, name => environment.GetValueOrDefault(name)).Options.CaptureContent;
    }

    [Fact]
    public void Off_by_default_and_on_by_flag_variable_or_settings_file()
    {
        using var dir = new TempDirectory();
        var on = dir.Write("on.json", """{ "Claudit": { "CaptureContent": true } }""");
        var none = new Dictionary<string, string>();

        Assert.False(CaptureContent(dir.Path, none));
        Assert.True(CaptureContent(dir.Path, none, "--capture-content"));
        Assert.True(CaptureContent(dir.Path, new Dictionary<string, string> { ["CLAUDIT_CAPTURE_CONTENT"] = "true" }));
        Assert.True(CaptureContent(dir.Path, none, "--config", on));
        // The environment wins over the file.
        Assert.False(CaptureContent(dir.Path, new Dictionary<string, string> { ["CLAUDIT_CAPTURE_CONTENT"] = "false" }, "--config", on));
    }

    [Fact]
    public async Task A_bad_value_names_where_it_came_from()
    {
        using var dir = new TempDirectory();

        Cli.AssertBadInput(
            await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CLAUDIT_DATA_DIR"] = dir.Path, ["CLAUDIT_CAPTURE_CONTENT"] = "sometimes" }, "serve"),
            "CLAUDIT_CAPTURE_CONTENT must be true or false, not 'sometimes'");
    }
}
