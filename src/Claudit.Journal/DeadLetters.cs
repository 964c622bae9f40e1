using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>
/// Lines Claudit refused, kept with the reason so that nothing sent is silently lost:
/// <c>{dataDir}/dead-letter/{source}-YYYY-MM-DD.jsonl</c> (UTC), one JSON object a line —
/// <c>time</c>, <c>source</c>, <c>where</c> (which line of what), <c>reason</c>, <c>line_bytes</c> and
/// <c>line</c> (the refused text, its first 16 KiB). A day's file stops growing at
/// <see cref="MaxFileBytes"/> (a flood of bad input must not fill the disk); letters past it are only counted.
/// </summary>
public sealed class DeadLetters(string dataDirectory, string source, TimeProvider? time = null) : IDisposable
{
    public const string DirectoryName = "dead-letter";

    public const long MaxFileBytes = 64L * 1024 * 1024;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private FileStream? _file;
    private DateOnly _day;
    private long _written;
    private long _dropped;

    /// <summary>Where the files go.</summary>
    public string Directory { get; } = Path.Combine(dataDirectory, DirectoryName);

    /// <summary>Letters written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Letters not written because the day's file was full (or could not be written).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The file today's letters go to.</summary>
    public string PathFor(DateOnly day) => Path.Combine(Directory, $"{source}-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.jsonl");

    /// <summary>Keeps one refused line. Never throws: a letter that cannot be written is counted in <see cref="Dropped"/>.</summary>
    public void Write(string where, string reason, ReadOnlySpan<byte> line, long lineBytes)
    {
        var now = _time.GetUtcNow();
        var text = new ArrayBufferWriter<byte>(256 + line.Length);
        using (var json = new Utf8JsonWriter(text))
        {
            json.WriteStartObject();
            json.WriteString("time"u8, now.UtcDateTime);
            json.WriteString("source"u8, source);
            json.WriteString("where"u8, where);
            json.WriteString("reason"u8, reason);
            json.WriteNumber("line_bytes"u8, lineBytes);
            json.WriteString("line"u8, Encoding.UTF8.GetString(line));
            json.WriteEndObject();
        }

        text.Write("\n"u8);
        lock (_gate)
        {
            try
            {
                var file = FileFor(DateOnly.FromDateTime(now.UtcDateTime));
                if (file.Length + text.WrittenCount > MaxFileBytes)
                {
                    Interlocked.Increment(ref _dropped);
                    return;
                }

                file.Write(text.WrittenSpan);
                file.Flush();
                Interlocked.Increment(ref _written);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    /// <summary>Keeps one refused record, as its record-format line.</summary>
    public void Write(string where, string reason, CallRecord record)
    {
        var line = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(line))
        {
            CallRecordJsonWriter.Write(json, record);
        }

        Write(where, reason, line.WrittenSpan[..Math.Min(line.WrittenCount, LineBlockReader.HeadBytes)], line.WrittenCount);
    }

    private FileStream FileFor(DateOnly day)
    {
        if (_file is not null && day == _day)
        {
            return _file;
        }

        _file?.Dispose();
        _file = null;
        System.IO.Directory.CreateDirectory(Directory);
        _file = new FileStream(PathFor(day), FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _day = day;
        return _file;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
