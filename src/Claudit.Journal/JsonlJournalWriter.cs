using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>
/// Appends call records as JSON lines to <c>{prefix}-{yyyy-MM-dd}.jsonl</c> (UTC), a new file each day.
/// Records are serialised into a memory buffer and committed as a group: on the interval, when the
/// buffer is large, and on <see cref="Flush"/>/<see cref="DisposeAsync"/> (group commit). A commit on
/// the interval or asked for also waits for the disk when <see cref="JsonlJournalOptions.FlushToDisk"/>
/// is set, so a crash loses at most the records of the last interval. Appending never waits for a
/// commit: the buffer is swapped out and written outside the appenders' lock. A record that cannot be
/// written (too large, or failing to serialise) throws from <see cref="Append"/> and leaves the journal
/// as it was; a commit that fails (a full disk) keeps its records for the next one and says so in
/// <see cref="LastError"/>. Thread-safe within a process; a second writer process on the same directory
/// is refused (the open file is locked against other writers), because two appenders would interleave
/// partial lines.
/// </summary>
public sealed class JsonlJournalWriter : IAsyncDisposable, IDisposable
{
    /// <summary>A record buffer grown past this by one huge record is given back rather than kept.</summary>
    private const int KeptRecordBufferBytes = 64 * 1024;

    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true, Indented = false };
    private readonly JsonlJournalOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Lock _commitGate = new();
    private readonly ITimer? _timer;
    private readonly FileStream _lock;
    private ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private ArrayBufferWriter<byte> _spare = new(64 * 1024);
    private ArrayBufferWriter<byte> _record = new(4 * 1024);
    private readonly Utf8JsonWriter _json;
    private long _buffered;
    private long _written;
    private long _failures;
    private Exception? _lastError;
    private FileStream? _file;
    private DateOnly _fileDay;
    private bool _disposed;
    private bool _closed;

    public JsonlJournalWriter(JsonlJournalOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        System.IO.Directory.CreateDirectory(options.Directory);
        _lock = AcquireWriterLock(options);
        _json = new Utf8JsonWriter(_record, s_writerOptions);
        if (options.FlushInterval > TimeSpan.Zero)
        {
            _timer = (options.CommitClock ?? _time).CreateTimer(_ => CommitOnInterval(), null, options.FlushInterval, options.FlushInterval);
        }
    }

    /// <summary>Records written to the file so far.</summary>
    public long RecordsWritten => Interlocked.Read(ref _written);

    /// <summary>Records in memory, not yet written.</summary>
    public long RecordsBuffered
    {
        get
        {
            lock (_gate)
            {
                return _buffered;
            }
        }
    }

    /// <summary>Commits that failed so far (each kept its records for the next).</summary>
    public long CommitFailures => Interlocked.Read(ref _failures);

    /// <summary>Why the last commit failed; null once a commit succeeds.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>The file being written (null before the first write).</summary>
    public string? CurrentPath => _file?.Name;

    /// <summary>Adds the record to the buffer. Throws, leaving the journal as it was, when the record cannot be written.</summary>
    public void Append(CallRecord record)
    {
        bool full;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_buffer.WrittenCount >= _options.MaxBufferedBytes)
            {
                throw new IOException($"the journal cannot be written and {_buffer.WrittenCount} bytes already wait for it ({LastError?.Message})");
            }

            try
            {
                CallRecordJsonWriter.Write(_json, record);
                _json.Flush();
                if (_record.WrittenCount + 1 > _options.MaxRecordBytes)
                {
                    throw new ArgumentException($"record {record.Id} is {_record.WrittenCount} bytes as JSON; a journal line is at most {_options.MaxRecordBytes}", nameof(record));
                }

                _buffer.Write(_record.WrittenSpan);
                _buffer.Write("\n"u8);
                _buffered++;
            }
            finally
            {
                ResetRecordBuffer();
            }

            full = _buffer.WrittenCount >= _options.FlushBytes;
        }

        if (full)
        {
            Commit(toDisk: false);
        }
    }

    /// <summary>Writes what is buffered now (and waits for the disk when <see cref="JsonlJournalOptions.FlushToDisk"/> is set). Throws when the write fails; the records stay buffered.</summary>
    public void Flush() => Commit(_options.FlushToDisk);

    public Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    private void ResetRecordBuffer()
    {
        if (_record.Capacity > KeptRecordBufferBytes)
        {
            _record = new ArrayBufferWriter<byte>(4 * 1024);
        }
        else
        {
            _record.ResetWrittenCount();
        }

        _json.Reset(_record);
    }

    /// <summary>The timer's commit: a failure is kept in <see cref="LastError"/>, never thrown on the timer's thread.</summary>
    private void CommitOnInterval()
    {
        try
        {
            Commit(_options.FlushToDisk);
        }
#pragma warning disable CA1031 // a timer thread must not throw: the failure is reported through LastError and the records retried
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Writes the buffer swapped out under the lock, then gives the emptied buffer back as the spare.</summary>
    private void Commit(bool toDisk)
    {
        var wrote = false;
        lock (_commitGate)
        {
            ArrayBufferWriter<byte> pending;
            long records;
            lock (_gate)
            {
                if (_buffered == 0 || _closed)
                {
                    return;
                }

                pending = _buffer;
                records = _buffered;
                _buffer = _spare;
                _buffered = 0;
            }

            long? before = null;
            try
            {
                var file = FileForToday();
                before = file.Length;
                file.Write(pending.WrittenSpan);
                if (toDisk)
                {
                    file.Flush(flushToDisk: true);
                }

                Interlocked.Add(ref _written, records);
                Volatile.Write(ref _lastError, null);
                pending.ResetWrittenCount();
                _spare = pending;
                wrote = true;
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _failures);
                Volatile.Write(ref _lastError, ex);
                TruncateTo(before);
                Restore(pending, records);
                throw;
            }
        }

        if (wrote)
        {
            _options.Committed?.Invoke();
        }
    }

    /// <summary>After a failed write, cuts off what part of it reached the file, so the retry does not leave half a line before it.</summary>
    private void TruncateTo(long? length)
    {
        if (length is { } l && _file is { } file)
        {
            try
            {
                file.SetLength(l);
                file.Seek(l, SeekOrigin.Begin);
            }
#pragma warning disable CA1031 // best effort: the reader skips a damaged line if the cut fails too
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>Puts records whose write failed back in front of those buffered since.</summary>
    private void Restore(ArrayBufferWriter<byte> pending, long records)
    {
        lock (_gate)
        {
            pending.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
            _spare = _buffer;
            _buffer = pending;
            _buffered += records;
        }
    }

    private FileStream FileForToday()
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        if (_file is not null && today == _fileDay)
        {
            return _file;
        }

        _file?.Dispose();
        _file = null;
        var name = $"{_options.FilePrefix}-{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.jsonl";
        var path = Path.Combine(_options.Directory, name);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (IOException ex)
        {
            throw new IOException($"Cannot open the journal '{path}' for appending: is another Claudit process writing it? ({ex.Message})", ex);
        }

        // A crash can leave a partial last line; start on a fresh line so the next record stays readable.
        if (file.Length > 0 && LastByte(path) != (byte)'\n')
        {
            file.Write("\n"u8);
        }

        _file = file;
        _fileDay = today;
        return file;
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

    /// <summary>Commits what is buffered (to the disk when <see cref="JsonlJournalOptions.FlushToDisk"/>), then closes. Throws when that last commit fails.</summary>
    public void Dispose()
    {
        lock (_commitGate)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true; // no append after this point: the last commit below has them all
            }

            _timer?.Dispose();
            try
            {
                Commit(_options.FlushToDisk);
            }
            finally
            {
                _closed = true;
                _json.Dispose();
                _file?.Dispose();
                _lock.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
