using System.Buffers;
using System.Text.Json;

namespace Claudit.Mock;

/// <summary>The Message Batches API (docs/reference/anthropic-batches-and-models.md) over a <see cref="BatchStore"/>.</summary>
internal sealed class BatchesEndpoint(BatchStore store)
{
    public async Task CreateAsync(MockCall call)
    {
        var (body, bodyError) = await MockHttp.ReadJsonAsync(call.Context, BatchRequestsReader.MaxBodyBytes, call.Aborted);
        if (bodyError is not null)
        {
            await call.FailAsync(bodyError);
            return;
        }

        using (body)
        {
            if (BatchRequestsReader.Read(body!.RootElement, out var requests) is { } invalid)
            {
                await call.FailAsync(invalid);
                return;
            }

            var (batch, error) = store.Create(MockIds.New("msgbatch_", call.Ids), call.Caller, requests, call.Now);
            await (error is null ? call.OkAsync(w => BatchJson.WriteBatch(w, batch!, Origin(call))) : call.FailAsync(error));
        }
    }

    public Task GetAsync(MockCall call)
    {
        var id = call.Route("id")!;
        return store.Find(id, call.Now) is { } batch
            ? call.OkAsync(w => BatchJson.WriteBatch(w, batch, Origin(call)))
            : call.FailAsync(BatchStore.NotFound(id));
    }

    public Task ListAsync(MockCall call)
    {
        if (CursorPage.Read(call.Request.Query, out var cursor) is { } invalid)
        {
            return call.FailAsync(invalid);
        }

        var (page, hasMore) = CursorPage.Take(store.NewestFirst(call.Now), b => b.Id, cursor);
        var origin = Origin(call);
        return call.OkAsync(w => CursorPage.Write(w, page, hasMore, b => b.Id, (w, b) => BatchJson.WriteBatch(w, b, origin)));
    }

    public Task CancelAsync(MockCall call)
    {
        var (batch, error) = store.Cancel(call.Route("id")!, call.Now);
        return error is null ? call.OkAsync(w => BatchJson.WriteBatch(w, batch!, Origin(call))) : call.FailAsync(error);
    }

    public Task DeleteAsync(MockCall call)
    {
        var id = call.Route("id")!;
        return store.Delete(id, call.Now) is { } error ? call.FailAsync(error) : call.OkAsync(w => BatchJson.WriteDeleted(w, id));
    }

    /// <summary>
    /// The results file: one line per request, in request order. <c>application/x-jsonl</c> as the reference
    /// documents; <c>application/binary</c> to a client that asks for exactly that (the Python SDK does).
    /// </summary>
    public async Task ResultsAsync(MockCall call)
    {
        var id = call.Route("id")!;
        var batch = store.Find(id, call.Now);
        if (batch is null)
        {
            await call.FailAsync(BatchStore.NotFound(id));
            return;
        }

        if (batch.Results is null)
        {
            // Unconfirmed: SDKs wait for results_url before asking, so the API's answer here is not documented.
            await call.FailAsync(MockHttp.Invalid($"Batch {id} is still {batch.Status}; its results are available once it has ended."));
            return;
        }

        var response = call.Context.Response;
        response.StatusCode = 200;
        response.ContentType = call.Request.Headers.Accept.ToString() == "application/binary" ? "application/binary" : "application/x-jsonl";
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var w = new Utf8JsonWriter(buffer);
        foreach (var (customId, outcome) in batch.Results)
        {
            w.Reset(buffer);
            BatchJson.WriteResult(w, customId, outcome);
            w.Flush();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= 48 * 1024)
            {
                await response.Body.WriteAsync(buffer.WrittenMemory, call.Aborted);
                buffer.ResetWrittenCount();
            }
        }

        await response.Body.WriteAsync(buffer.WrittenMemory, call.Aborted);
    }

    /// <summary>Scheme, host and path base of the request: where the caller reached the mock.</summary>
    private static string Origin(MockCall call) => $"{call.Request.Scheme}://{call.Request.Host}{call.Request.PathBase}";
}
