using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// Ships records to a Claudit server: batched POSTs of JSON lines (<c>application/x-ndjson</c>, one
/// record a line in the public record format, written by Core's <see cref="CallRecordJsonWriter"/>)
/// to <c>{url}/api/ingest</c>, with <c>Claudit-Token</c> when a token is set. A refused or failed
/// POST throws, so the recorder counts it; records are not retried (the journal sink, if any, still
/// has them).
/// </summary>
internal sealed class ServerSink(HttpClient http, ServerSinkOptions options) : IClauditSink
{
    public const string HttpClientName = "Claudit.Server";
    public const string TokenHeader = "Claudit-Token";
    public const string IngestPath = "api/ingest";

    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true };
    private static readonly MediaTypeHeaderValue s_ndjson = new("application/x-ndjson");
    private readonly Uri _ingest = new(EnsureSlash(options.Url), IngestPath);

    /// <summary>Records the server accepted (202).</summary>
    public long Accepted { get; private set; }

    public async Task WriteAsync(IReadOnlyList<CallRecord> batch, CancellationToken cancellationToken)
    {
        for (var start = 0; start < batch.Count; start += options.MaxRecordsPerPost)
        {
            var count = Math.Min(options.MaxRecordsPerPost, batch.Count - start);
            var body = new ArrayBufferWriter<byte>(count * 1024);
            using (var json = new Utf8JsonWriter(body, s_writerOptions))
            {
                for (var i = start; i < start + count; i++)
                {
                    CallRecordJsonWriter.Write(json, batch[i]);
                    json.Flush();
                    json.Reset();
                    body.Write("\n"u8);
                }
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, _ingest) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
            request.Content.Headers.ContentType = s_ndjson;
            if (options.Token is { } token)
            {
                request.Headers.TryAddWithoutValidation(TokenHeader, token);
            }

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{_ingest} answered {(int)response.StatusCode} to {count} records", null, response.StatusCode);
            }

            Accepted += count;
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Uri EnsureSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
