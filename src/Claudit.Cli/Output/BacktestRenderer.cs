using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Claudit.Alerts;
using Claudit.Alerts.Notifications;
using Claudit.Alerts.Rules;
using Spectre.Console;

namespace Claudit.Cli.Output;

/// <summary>A backtest as a table (one row per alert, then fired counts per rule) or JSON (docs/alerts.md, "Backtest").</summary>
internal static class BacktestRenderer
{
    public static void Render(BacktestResult result, string format, CliConsole console)
    {
        if (format == "json")
        {
            console.Out.WriteLine(Json(result));
        }
        else
        {
            Table(result, console.CreateAnsi());
        }

        console.Out.Flush();
    }

    private static void Table(BacktestResult result, IAnsiConsole ansi)
    {
        ansi.MarkupLine(Markup.Escape($"Backtest {AlertText.Time(result.Since)} → {AlertText.Time(result.Until)}: {result.Records:N0} calls replayed, {result.Evaluations:N0} evaluations every {DurationText.Format(result.EvaluateEvery)}, {result.Rules.Count} rules."));
        if (result.Alerts.Count == 0)
        {
            ansi.MarkupLine("No rule would have fired.");
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded).Title("[bold]Alerts that would have fired[/]");
            foreach (var column in new[] { "rule", "group", "fired", "resolved", "lasted", "worst value", "threshold" })
            {
                table.AddColumn(column);
            }

            foreach (var a in result.Alerts)
            {
                var unit = MetricCatalogue.TryFind(a.Metric, out var info) ? info.Unit : MetricUnit.Count;
                table.AddRow(
                    Markup.Escape(a.Rule),
                    Markup.Escape(a.Group.Count == 0 ? "(all)" : AlertText.Group(a.Group)),
                    Markup.Escape(AlertText.Time(a.FiredAt ?? a.StartedAt)),
                    Markup.Escape(a.EndedAt is { } ended ? AlertText.Time(ended) : "still firing"),
                    Markup.Escape(a.EndedAt is { } end ? DurationText.Format(end - (a.FiredAt ?? a.StartedAt)) : ""),
                    Markup.Escape(AlertText.Value(a.WorstValue, unit)),
                    Markup.Escape($"{Comparisons.Symbol(a.Comparison)} {AlertText.Value(a.Threshold, unit)}"));
            }

            ansi.Write(table);
        }

        var counts = new Table().Border(TableBorder.Rounded).Title("[bold]Per rule[/]").AddColumn("rule").AddColumn("metric").AddColumn("threshold").AddColumn(new TableColumn("fired").RightAligned());
        foreach (var rule in result.Rules)
        {
            counts.AddRow(Markup.Escape(rule.Name), Markup.Escape(rule.Info.Name), Markup.Escape($"{Comparisons.Symbol(Comparisons.Name(rule.Comparison))} {AlertText.Value(rule.Threshold, rule.Info.Unit)}"),
                result.Alerts.Count(a => a.Rule == rule.Name).ToString(CultureInfo.InvariantCulture));
        }

        ansi.Write(counts);
    }

    private static string Json(BacktestResult result)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("since"u8, result.Since.UtcDateTime);
            w.WriteString("until"u8, result.Until.UtcDateTime);
            w.WriteString("evaluate_every"u8, DurationText.Format(result.EvaluateEvery));
            w.WriteNumber("records"u8, result.Records);
            w.WriteNumber("evaluations"u8, result.Evaluations);
            w.WriteStartArray("alerts"u8);
            foreach (var a in result.Alerts)
            {
                w.WriteStartObject();
                w.WriteString("rule"u8, a.Rule);
                w.WriteString("metric"u8, a.Metric);
                w.WriteStartObject("group"u8);
                foreach (var (label, value) in a.Group)
                {
                    w.WriteString(label, value);
                }

                w.WriteEndObject();
                w.WriteString("started_at"u8, a.StartedAt.UtcDateTime);
                w.WriteString("fired_at"u8, (a.FiredAt ?? a.StartedAt).UtcDateTime);
                if (a.EndedAt is { } ended) w.WriteString("resolved_at"u8, ended.UtcDateTime);
                else w.WriteNull("resolved_at"u8);
                w.WriteNumber("worst_value"u8, Math.Round(a.WorstValue, 6));
                w.WriteNumber("value"u8, Math.Round(a.Value, 6));
                w.WriteNumber("threshold"u8, Math.Round(a.Threshold, 6));
                w.WriteString("comparison"u8, a.Comparison);
                w.WriteString("summary"u8, AlertText.Summary(a));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("rules"u8);
            foreach (var rule in result.Rules)
            {
                w.WriteStartObject();
                w.WriteString("name"u8, rule.Name);
                w.WriteString("metric"u8, rule.Info.Name);
                w.WriteNumber("fired"u8, result.Alerts.Count(a => a.Rule == rule.Name));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
