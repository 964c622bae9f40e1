using Claudit.Cli.Output;

namespace Claudit.Cli.Tests;

/// <summary>
/// The commands <c>serve</c> and <c>demo</c> suggest must work as printed: <c>claudit …</c> for an installed claudit,
/// <c>dotnet run --project … --</c> for one started from a checkout, where no <c>claudit</c> is on the PATH.
/// </summary>
public sealed class CliInvocationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("claudit-invocation-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Started_with_dotnet_run_from_a_checkout_it_suggests_dotnet_run()
    {
        var project = Directory.CreateDirectory(Path.Combine(_root, "src", "Claudit.Cli")).FullName;
        File.WriteAllText(Path.Combine(project, "Claudit.Cli.csproj"), "<Project />");
        var output = Directory.CreateDirectory(Path.Combine(project, "bin", "Debug", "net10.0")).FullName;

        Assert.Equal($"dotnet run --project {Path.Combine("src", "Claudit.Cli")} --", CliInvocation.Detect(output + Path.DirectorySeparatorChar, _root));
        // From elsewhere than the checkout, the project's full path.
        Assert.Equal($"dotnet run --project {project} --", CliInvocation.Detect(output, Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName));
    }

    [Fact]
    public void Installed_it_suggests_claudit()
    {
        var tool = Directory.CreateDirectory(Path.Combine(_root, ".dotnet", "tools", ".store", "claudit.cli", "1.0.0", "claudit.cli", "1.0.0", "tools", "net10.0", "any")).FullName;
        Assert.Equal("claudit", CliInvocation.Detect(tool, _root));
        // A bin folder without the project beside it (a copied build) is not a checkout either.
        var copied = Directory.CreateDirectory(Path.Combine(_root, "app", "bin", "Release", "net10.0")).FullName;
        Assert.Equal("claudit", CliInvocation.Detect(copied, _root));
    }

    [Fact]
    public void The_demo_prints_the_dashboard_and_commands_in_the_form_it_was_started_with()
    {
        using var output = new StringWriter();
        DemoSummaryRenderer.WhatNext(output, "http://127.0.0.1:4000", "claudit-demo-data", running: true, noWait: false, "dotnet run --project src/Claudit.Cli --");
        var text = output.ToString();
        Assert.Contains("  dashboard  http://127.0.0.1:4000/", text, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Claudit.Cli -- report --server http://127.0.0.1:4000 --by tenant", text, StringComparison.Ordinal);
        Assert.Contains($"dotnet run --project src/Claudit.Cli -- report {Path.Combine("claudit-demo-data", "journal")} --by feature", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" claudit report", text, StringComparison.Ordinal);
    }
}
