using System.Globalization;
using Claudit.Core.Reconcile;
using Claudit.Server.Reconcile;
using Spectre.Console;

namespace Claudit.Cli.Output;

/// <summary>A reconciliation as a terminal table (three lines per row: recorded, billed, difference) or as JSON.</summary>
internal static class ReconcileRenderer
{
    public static void Render(Reconciliation reconciliation, string format, CliConsole console)
    {
        if (format == "json")
        {
            console.Out.WriteLine(ReconcileJson.Serialize(reconciliation));
            console.Out.Flush();
            return;
        }

        var ansi = console.CreateAnsi();
        var bucket = reconciliation.Width == ReconcileWidth.Hour ? "yyyy-MM-dd HH:00" : "yyyy-MM-dd";
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]Recorded vs billed, {Text(reconciliation.Since, bucket)} to {Text(reconciliation.Until, bucket)} UTC (tolerance {reconciliation.Tolerance})[/]");
        table.AddColumn("UTC " + (reconciliation.Width == ReconcileWidth.Hour ? "hour" : "day"));
        table.AddColumn(new TableColumn("model").NoWrap());
        table.AddColumn(new TableColumn("tier").NoWrap());
        table.AddColumn("");
        foreach (var name in new[] { "input", "5m write", "1h write", "cache read", "output", "searches", "cost USD" })
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }

        table.AddColumn(new TableColumn("verdict").NoWrap());
        foreach (var row in reconciliation.Rows)
        {
            Add(table, [Text(row.Key.Bucket, bucket), row.Key.Model, row.Key.ServiceTier], row);
        }

        if (reconciliation.Rows.Count > 0)
        {
            table.AddEmptyRow();
        }

        Add(table, ["total", "", ""], reconciliation.Totals);
        ansi.Write(table);
        var unrecorded = reconciliation.UnrecordedShare is { } share
            ? $"Unrecorded spend: {Usd(reconciliation.UnrecordedCostUsd)} of {Usd(reconciliation.Totals.Billed.CostUsd)} billed ({share.ToString("P2", CultureInfo.InvariantCulture)})."
            : "Nothing billed in this range.";
        var mismatches = reconciliation.Rows.Count(r => !r.IsMatch);
        ansi.WriteLine($"{unrecorded} {(mismatches == 0 ? "Every row matches." : $"{mismatches} of {reconciliation.Rows.Count} rows outside the tolerance.")}");
        console.Out.Flush();
    }

    private static void Add(Table table, string[] key, ReconcileRow row)
    {
        var verdict = row.IsMatch ? $"[green]{row.Verdict}[/]" : $"[red]{row.Verdict}[/]";
        table.AddRow([.. key.Select(Markup.Escape).Select(k => new Markup(k)), new Markup("recorded"), .. Cells(row.Recorded, signed: false), new Markup(verdict)]);
        table.AddRow([new Markup(""), new Markup(""), new Markup(""), new Markup("billed"), .. Cells(row.Billed, signed: false), new Markup("")]);
        table.AddRow([new Markup(""), new Markup(""), new Markup(""), new Markup("[dim]difference[/]"), .. Cells(row.Difference, signed: true), new Markup("")]);
    }

    private static IEnumerable<Markup> Cells(ReconcileAmounts a, bool signed)
    {
        long[] counts = [a.UncachedInputTokens, a.CacheWrite5mTokens, a.CacheWrite1hTokens, a.CacheReadTokens, a.OutputTokens, a.WebSearchRequests];
        foreach (var n in counts)
        {
            yield return new Markup(signed ? (n == 0 ? "[dim]0[/]" : n.ToString("+#,0;-#,0", CultureInfo.InvariantCulture)) : n.ToString("#,0", CultureInfo.InvariantCulture));
        }

        yield return new Markup(Markup.Escape(signed && a.CostUsd is > 0m ? "+" + Usd(a.CostUsd) : Usd(a.CostUsd)));
    }

    private static string Usd(decimal? usd) => usd is { } v ? v.ToString("0.000000", CultureInfo.InvariantCulture) : "n/a";

    private static string Text(DateTimeOffset t, string format) => t.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
}
