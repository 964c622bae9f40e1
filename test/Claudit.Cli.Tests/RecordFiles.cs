using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Core.Serialization;
using Claudit.Journal;

namespace Claudit.Cli.Tests;

/// <summary>Writes records as JSONL for the CLI to read, and builds the report it should print without going through the CLI.</summary>
internal static class RecordFiles
{
    public static string Write(TempDirectory dir, string name, IEnumerable<CallRecord> records)
    {
        var path = dir.File(name);
        using var file = File.Create(path);
        using var writer = new Utf8JsonWriter(file);
        foreach (var record in records)
        {
            CallRecordJsonWriter.Write(writer, record);
            writer.Flush();
            writer.Reset();
            file.WriteByte((byte)'\n');
        }

        return path;
    }

    /// <summary>The report of the file, built by one accumulator reading every field sequentially.</summary>
    public static async Task<Report> DirectReportAsync(string path, ReportOptions? options = null, CostCalculator? pricing = null)
    {
        var accumulator = new ReportAccumulator(options ?? new ReportOptions(), pricing ?? CostCalculator.Default);
        await foreach (var record in JsonlRecordReader.ReadFileAsync(path, new ReadStats()))
        {
            accumulator.Add(record);
        }

        return accumulator.Build();
    }

    public static async Task<List<CallRecord>> ReadAllAsync(string path)
    {
        var records = new List<CallRecord>();
        await foreach (var record in JsonlRecordReader.ReadFileAsync(path, new ReadStats()))
        {
            records.Add(record);
        }

        return records;
    }
}
