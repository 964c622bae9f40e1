using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>
/// Appends call records as JSON lines to <c>{prefix}-{yyyy-MM-dd}.jsonl</c> (UTC), a new file each day.
/// Records are serialised into a memory buffer and written on an interval, when the buffer is large,
/// and on <see cref="FlushAsync"/>/<see cref="DisposeAsync"/>. Thread-safe within a process; a second
/// writer process on the same directory is refused (the open file is locked against other writers),
/// because two appenders would interleave partial lines.
/// </summary>
public sealed class JsonlJournalWriter : IAsyncDisposable, IDisposable
{
    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true, Indented = false };
    private readonly JsonlJournalOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly ITimer _timer;
    private readonly FileStream _lock;
    private FileStream? _file;
    private DateOnly _fileDay;
    private bool _disposed;

    public JsonlJournalWriter(JsonlJournalOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        System.IO.Directory.CreateDirectory(options.Directory);
        _lock = AcquireWriterLock(options);
        _json = new Utf8JsonWriter(_buffer, s_writerOptions);
        _timer = _time.CreateTimer(_ => Flush(), null, options.FlushInterval, options.FlushInterval);
    }

    /// <summary>Records written to disk so far.</summary>
    public long RecordsWritten { get; private set; }

    public long RecordsBuffered { get; private set; }

    /// <summary>The file being written (null before the first write).</summary>
    public string? CurrentPath => _file?.Name;

    public void Append(CallRecord record)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CallRecordJsonWriter.Write(_json, record);
            _json.Flush();
            _json.Reset();
            _buffer.Write("\n"u8);
            RecordsBuffered++;
            if (_buffer.WrittenCount >= _options.FlushBytes)
            {
                FlushLocked();
            }
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                FlushLocked();
            }
        }
    }

    public Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    private void FlushLocked()
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        var file = FileForToday();
        file.Write(_buffer.WrittenSpan);
        file.Flush();
        RecordsWritten += RecordsBuffered;
        RecordsBuffered = 0;
        _buffer.ResetWrittenCount();
    }

    private FileStream FileForToday()
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        if (_file is not null && today == _fileDay)
        {
            return _file;
        }

        _file?.Dispose();
        var name = $"{_options.FilePrefix}-{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.jsonl";
        var path = Path.Combine(_options.Directory, name);
        try
        {
            _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (IOException ex)
        {
            throw new IOException($"Cannot open the journal '{path}' for appending: is another Claudit process writing it? ({ex.Message})", ex);
        }

        // A crash can leave a partial last line; start on a fresh line so the next record stays readable.
        if (_file.Length > 0 && LastByte(path) != (byte)'\n')
        {
            _file.Write("\n"u8);
        }

        _fileDay = today;
        return _file;
    }

    private static byte LastByte(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return (byte)read.ReadByte();
    }

    private static FileStream AcquireWriterLock(JsonlJournalOptions options)
    {
        var path = Path.Combine(options.Directory, $".{options.FilePrefix}.writer.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException ex)
        {
            throw new IOException($"Another process is already writing the journal in '{options.Directory}' (lock file {path}).", ex);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            FlushLocked();
            _disposed = true;
            _timer.Dispose();
            _json.Dispose();
            _file?.Dispose();
            _lock.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
