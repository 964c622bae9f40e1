using System.Globalization;
using System.Text;
using Claudit.Core.Reporting;
using Spectre.Console;

namespace Claudit.Cli.Output;

/// <summary>Writes a report as a terminal table, JSON, CSV (the per-group table) or Markdown.</summary>
internal static class ReportRenderer
{
    public static void Render(Report report, string format, CliConsole console)
    {
        switch (format)
        {
            case "json":
                console.Out.WriteLine(ReportJsonContext.Serialize(report));
                break;
            case "csv":
                console.Out.Write(Csv(report));
                break;
            case "markdown":
                console.Out.Write(Markdown(ReportSections.Build(report)));
                break;
            default:
                Table(ReportSections.Build(report), console.CreateAnsi());
                break;
        }

        console.Out.Flush();
    }

    private static void Table(List<Section> sections, IAnsiConsole ansi)
    {
        foreach (var section in sections)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(section.Title)}[/]");
            for (var i = 0; i < section.Columns.Length; i++)
            {
                var column = new TableColumn(Markup.Escape(section.Columns[i]));
                table.AddColumn(i == 0 ? column : column.RightAligned());
            }

            foreach (var row in section.Rows)
            {
                table.AddRow(row.Select(cell => new Markup(Markup.Escape(cell))).ToArray());
            }

            ansi.Write(table);
            if (section.Note is { } note)
            {
                ansi.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
            }

            ansi.WriteLine();
        }
    }

    internal static string Markdown(List<Section> sections)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Claudit report").AppendLine();
        foreach (var section in sections)
        {
            sb.Append("## ").AppendLine(section.Title).AppendLine();
            sb.Append("| ").AppendJoin(" | ", section.Columns.Select(MarkdownCell)).AppendLine(" |");
            sb.Append('|').AppendJoin('|', section.Columns.Select((_, i) => i == 0 ? "---" : "---:")).AppendLine("|");
            foreach (var row in section.Rows)
            {
                sb.Append("| ").AppendJoin(" | ", row.Select(MarkdownCell)).AppendLine(" |");
            }

            if (section.Note is { } note)
            {
                sb.AppendLine().Append("> ").AppendLine(note);
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    private static string MarkdownCell(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    internal static string Csv(Report r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("group_by,key,calls,errors,error_rate,cost_usd,input_tokens,output_tokens,cache_write_tokens,cache_read_tokens,latency_p50_ms,latency_p95_ms");
        foreach (var g in r.By)
        {
            sb.AppendJoin(',',
                r.GroupBy, CsvCell(g.Key), g.Calls.ToString(inv), g.Errors.ToString(inv), g.ErrorRate.ToString("0.######", inv),
                g.CostUsd.ToString(inv), g.InputTokens.ToString(inv), g.OutputTokens.ToString(inv), g.CacheWriteTokens.ToString(inv),
                g.CacheReadTokens.ToString(inv), g.LatencyP50Ms?.ToString("0.###", inv) ?? "", g.LatencyP95Ms?.ToString("0.###", inv) ?? "").AppendLine();
        }

        sb.AppendJoin(',',
            r.GroupBy, "(total)", r.Calls.ToString(inv), r.Errors.ToString(inv), r.ErrorRate.ToString("0.######", inv), r.CostUsd.ToString(inv),
            r.Tokens.Input.ToString(inv), r.Tokens.Output.ToString(inv), r.Tokens.CacheWrite.ToString(inv), r.Tokens.CacheRead.ToString(inv),
            r.LatencyMs.P50?.ToString("0.###", inv) ?? "", r.LatencyMs.P95?.ToString("0.###", inv) ?? "").AppendLine();
        return sb.ToString();
    }

    private static string CsvCell(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
