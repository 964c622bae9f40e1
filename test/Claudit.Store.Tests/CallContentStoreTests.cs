namespace Claudit.Store.Tests;

/// <summary>The DuckDB store's <c>call_content</c> (migration 012): content read back as written, by call id; a call's content written again is kept once, unchanged.</summary>
public class CallContentStoreTests
{
    [Fact]
    public async Task Content_is_read_back_by_call_id_and_kept_once()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var start = new DateTimeOffset(2026, 11, 1, 8, 30, 15, TimeSpan.Zero).AddTicks(1234560);
        var a = ContentSamples.Of(Guid.CreateVersion7(start), start);
        var b = ContentSamples.Of(Guid.CreateVersion7(start), start) with { Model = null, Output = null, Messages = [] };

        await ContentSamples.AssertKeptOnceAsync(store, a, b);
        Assert.Empty(await store.GetContentAsync([]));
    }

    [Fact]
    public async Task A_store_opened_read_only_reads_content_but_cannot_write_it()
    {
        using var dir = new TempStore();
        var start = DateTimeOffset.UtcNow;
        var content = ContentSamples.Of(Guid.CreateVersion7(start), start);
        await using (var writing = dir.Open())
        {
            await writing.AppendContentAsync([content]);
        }

        await using var reading = dir.Open(readOnly: true);
        ContentSamples.AssertSame(content, (await reading.GetContentAsync([content.CallId]))[content.CallId]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reading.AppendContentAsync([content]));
    }
}
