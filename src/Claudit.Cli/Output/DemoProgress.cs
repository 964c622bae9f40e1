using System.Globalization;
using Claudit.Cli.Demo;
using Spectre.Console;

namespace Claudit.Cli.Output;

/// <summary>
/// Runs the demo traffic while showing how far it got: a progress bar on standard error for a person at
/// a terminal, a plain line every few seconds for logs and CI.
/// </summary>
internal static class DemoProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    public static async Task<DemoSummary> RunAsync(CliConsole console, DemoTraffic traffic, Uri target, CancellationToken ct)
    {
        var run = traffic.RunAsync(target, ct);
        if (console.Interactive)
        {
            await console.CreateAnsi(onError: true).Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("calls", maxValue: traffic.CallsPlanned);
                    while (!run.IsCompleted)
                    {
                        Update(task, traffic);
                        await Task.WhenAny(run, Task.Delay(200, CancellationToken.None));
                    }

                    Update(task, traffic);
                });
        }
        else
        {
            while (!run.IsCompleted)
            {
                if (await Task.WhenAny(run, Task.Delay(PlainInterval, CancellationToken.None)) != run)
                {
                    await console.Error.WriteLineAsync($"claudit demo: {Describe(traffic)}");
                }
            }
        }

        return await run;
    }

    private static void Update(ProgressTask task, DemoTraffic traffic)
    {
        task.Value = traffic.CallsDone;
        task.Description = Describe(traffic);
    }

    private static string Describe(DemoTraffic traffic) => string.Create(CultureInfo.InvariantCulture,
        $"{traffic.CallsDone}/{traffic.CallsPlanned} calls, {traffic.Attempts} HTTP requests");
}
