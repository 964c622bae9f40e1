using System.Globalization;
using Claudit.Cli.Demo;
using Spectre.Console;

namespace Claudit.Cli.Output;

/// <summary>The end of <c>claudit demo</c>: what the traffic did, and where to look at what Claudit recorded.</summary>
internal static class DemoSummaryRenderer
{
    public static void Write(IAnsiConsole ansi, DemoSummary s)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Demo traffic[/]").HideHeaders();
        table.AddColumn("");
        table.AddColumn("");
        void Row(string name, string value) => table.AddRow(new Markup(Markup.Escape(name)), new Markup(Markup.Escape(value)));

        Row("calls", $"{N(s.CallsSucceeded + s.CallsFailed)} of {N(s.CallsPlanned)}{(s.Canceled ? " (stopped)" : "")}: {N(s.CallsSucceeded)} answered, {N(s.CallsFailed)} failed after retries");
        Row("HTTP requests", $"{N(s.Attempts)} ({N(s.Retries)} of them SDK-style retries)");
        Row("by status", string.Join(", ", s.AttemptsByStatus.Select(p => $"{(p.Key == 0 ? "no answer" : p.Key.ToString(CultureInfo.InvariantCulture))}: {N(p.Value)}")));
        Row("errors", s.ErrorsByType.Count == 0 ? "none" : string.Join(", ", s.ErrorsByType.Select(p => $"{p.Key}: {N(p.Value)}")));
        Row("streamed", $"{N(s.StreamedCalls)} calls");
        Row("tool use", $"{N(s.ToolUseReplies)} replies called a tool");
        Row("max_tokens stops", N(s.MaxTokensStops));
        Row("prompt cache", $"{N(s.CacheReadReplies)} replies read the cache");
        Row("tokens", $"input {N(s.InputTokens)}, cache write {N(s.CacheWriteTokens)}, cache read {N(s.CacheReadTokens)}, output {N(s.OutputTokens)}");
        Row("time", $"{s.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        ansi.Write(table);
        ansi.WriteLine();
    }

    /// <summary>Plain lines, never wrapped, so that the commands can be copied as they are.</summary>
    public static void WhatNext(TextWriter output, string gatewayUrl, string dataDirectory, bool running, bool noWait) =>
        WhatNext(output, gatewayUrl, dataDirectory, running, noWait, CliInvocation.Command);

    /// <summary>The same, with <paramref name="claudit"/> the way to run claudit that was used to start this one (<see cref="CliInvocation"/>).</summary>
    public static void WhatNext(TextWriter output, string gatewayUrl, string dataDirectory, bool running, bool noWait, string claudit)
    {
        var journal = Path.Combine(dataDirectory, "journal");
        output.WriteLine("What Claudit recorded, and where to look:");
        if (running)
        {
            output.WriteLine($"  dashboard  {gatewayUrl.TrimEnd('/')}/");
        }

        output.WriteLine($"  report     {claudit} report {journal} --by feature    (or --by model, user, tenant, session)");
        if (running)
        {
            output.WriteLine($"  gateway    export ANTHROPIC_BASE_URL={gatewayUrl}    (an SDK then talks to the mock through the gateway, recorded too)");
            output.WriteLine($"  server     {claudit} report --server {gatewayUrl} --by tenant    (the gateway's store answers)");
            output.WriteLine($"  metrics    {gatewayUrl}/metrics");
            output.WriteLine($"  health     {gatewayUrl}/readyz    (records journaled and stored)");
        }
        else
        {
            output.WriteLine(noWait ? "  gateway    stopped (--no-wait); without it the gateway and the mock stay up to explore" : "  gateway    stopped");
        }

        output.WriteLine();
        output.Flush();
    }

    /// <summary>
    /// The plan's faults and truncations are expected; anything else (a request the mock refused, a
    /// connection that failed) means the demo itself went wrong and must not end with exit 0.
    /// </summary>
    public static string? Unexpected(DemoSummary s)
    {
        var odd = s.AttemptsByStatus.Where(p => p.Key is 0 or (>= 400 and < 500 and not 429)).ToArray();
        return odd.Length == 0
            ? null
            : $"unexpected answers: {string.Join(", ", odd.Select(p => $"{(p.Key == 0 ? "no answer" : p.Key.ToString(CultureInfo.InvariantCulture))} x{p.Value}"))} (errors: {string.Join(", ", s.ErrorsByType.Select(e => $"{e.Key} x{e.Value}"))})";
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
