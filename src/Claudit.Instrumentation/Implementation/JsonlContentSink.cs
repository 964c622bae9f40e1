using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// Appends captured content as JSON lines to one file:
/// <c>{"call_id","start_time","model","messages":[{"role","text"}],"output"}</c>, joined to the
/// records by <c>call_id</c>.
/// </summary>
internal sealed class JsonlContentSink : IClauditContentSink, IAsyncDisposable, IDisposable
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;

    public JsonlContentSink(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
    }

    public async Task WriteAsync(IReadOnlyList<CallContent> batch, CancellationToken cancellationToken)
    {
        foreach (var content in batch)
        {
            CallContentJson.Write(_json, content);
            await _json.FlushAsync(cancellationToken).ConfigureAwait(false);
            _json.Reset();
            _file.WriteByte((byte)'\n');
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
