using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Serialization;
using Claudit.Testing;

namespace Claudit.Benchmarks;

/// <summary>Per-record costs on the capture and report paths: pricing, writing a JSON line, reading one back.</summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8StringPool _pool = new();
    private CallRecord _record = null!;
    private byte[] _line = [];
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _record = new RecordGenerator(1, DateTimeOffset.UnixEpoch).Next();
        for (var i = 0; _record.Usage is null || _record.RateLimits is null; i++)
        {
            _record = new RecordGenerator(i + 2, DateTimeOffset.UnixEpoch).Next();
        }

        _writer = new Utf8JsonWriter(_buffer);
        CallRecordJsonWriter.Write(_writer, _record);
        _writer.Flush();
        _line = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public decimal Price() => CostCalculator.Default.Price(_record.PricedModel, _record.Usage).TotalUsd;

    [Benchmark]
    public int WriteLine()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        CallRecordJsonWriter.Write(_writer, _record);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public bool ReadLineFull() => CallRecordJsonReader.TryRead(_line, _pool, out _, out _);

    [Benchmark]
    public bool ReadLineForReport() => CallRecordJsonReader.TryRead(_line, _pool, CallRecordReadOptions.ForReport(false), out _, out _);
}
