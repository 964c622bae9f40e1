using Claudit.Core.Records;
using Claudit.Core.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Claudit.Instrumentation.Tests;

public class SinkTests(MockFixture mock) : IClassFixture<MockFixture>
{
    [Fact]
    public async Task Jsonl_sink_writes_the_journal_that_reads_back_to_the_same_records()
    {
        var dir = Directory.CreateTempSubdirectory("claudit-inproc-");
        try
        {
            IReadOnlyList<CallRecord> seen;
            await using (var h = Harness.Create(mock, b => b.AddJsonl(Path.Combine(dir.FullName, "app.jsonl"))))
            {
                using var client = h.Client();
                await client.Messages.Create(Harness.Params("Journal this call."));
                await foreach (var _ in client.Messages.CreateStreaming(Harness.Params("Journal this stream.")))
                {
                }

                seen = await h.Sink.WaitForAsync(2);
            } // disposing the services drains the queue and closes the journal

            var file = Assert.Single(Directory.GetFiles(dir.FullName));
            Assert.Matches(@"app-\d{4}-\d{2}-\d{2}\.jsonl$", file);
            var read = File.ReadAllLines(file).Select(line =>
            {
                Assert.True(CallRecordJsonReader.TryRead(System.Text.Encoding.UTF8.GetBytes(line), out var r, out var error), error);
                return r!;
            }).ToList();
            Assert.Equal(seen.Select(r => r.Id), read.Select(r => r.Id));
            Assert.Equal(seen.Select(Json), read.Select(Json));
            Assert.Equal([false, true], read.Select(r => r.Streaming));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Server_sink_posts_batches_of_json_lines_with_the_token()
    {
        await using var ingest = await IngestServer.StartAsync(token: "tok-123");
        IReadOnlyList<CallRecord> seen;
        await using (var h = Harness.Create(mock, b => b.AddServer(ingest.Url, "tok-123")))
        {
            using var client = h.Client();
            for (var i = 0; i < 3; i++)
            {
                await client.Messages.Create(Harness.Params($"Ship call {i} to the server."));
            }

            seen = await h.Sink.WaitForAsync(3);
        }

        Assert.Equal(seen.Select(r => r.Id).Order(), ingest.Records.Select(r => r.Id).Order());
        var byId = ingest.Records.ToDictionary(r => r.Id);
        Assert.All(seen, r => Assert.Equal(Json(r), Json(byId[r.Id])));
        Assert.All(ingest.Records, r => Assert.Equal(CallSource.Library, r.Source));
        Assert.All(ingest.Posts, p =>
        {
            Assert.Equal("application/x-ndjson", p.ContentType);
            Assert.Equal("tok-123", p.Token);
        });
    }

    [Fact]
    public async Task Server_sink_refusal_is_counted_not_thrown_at_the_caller()
    {
        await using var ingest = await IngestServer.StartAsync(token: "right");
        await using var h = Harness.Create(mock, b => b.AddServer(ingest.Url, "wrong"));
        using var client = h.Client();
        await client.Messages.Create(Harness.Params("Refused by the server."));
        await h.Sink.WaitForAsync(1);
        await h.Records.StopAsync();
        Assert.Equal(1, h.Records.SinkFailures);
        Assert.Empty(ingest.Records);
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_and_never_blocks_the_call()
    {
        var gate = new BlockingSink();
        await using var h = Harness.Create(mock, b => b.AddSink(gate), o => { o.QueueCapacity = 1; o.BatchSize = 1; });
        using var client = h.Client();
        for (var i = 0; i < 4; i++)
        {
            await client.Messages.Create(Harness.Params($"Queue pressure {i}."));
        }

        // One record is held by the blocked sink, one waits in the queue, the rest were dropped.
        Assert.Equal(2, h.Records.Dropped);
        Assert.Equal(2, h.Records.Submitted);
        gate.Release();
        await h.Records.StopAsync();
        Assert.Equal(2, h.Records.Written);
    }

    [Fact]
    public async Task Host_stop_drains_what_is_queued()
    {
        var slow = new BlockingSink();
        var collecting = new CollectingSink();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddClaudit().AddSink(slow).AddSink(collecting);
        using var host = builder.Build();
        await host.StartAsync();
        var records = host.Services.GetRequiredService<ClauditRecordQueue>();
        for (var i = 0; i < 5; i++)
        {
            records.TryEnqueue(new CallRecord { Id = Guid.CreateVersion7(), StartTime = DateTimeOffset.UtcNow, Source = CallSource.Library });
        }

        Assert.Empty(collecting.Records); // held up behind the slow sink
        var stopping = host.StopAsync();
        slow.Release();
        await stopping;
        Assert.Equal(5, collecting.Records.Count);
        Assert.Equal(5, records.Written);
    }

    /// <summary>A record as the public format has it (the format omits zero-valued details, so records compare by their JSON).</summary>
    private static string Json(CallRecord record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            CallRecordJsonWriter.Write(writer, record);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A sink that holds the loop until released: a sink that has fallen behind.</summary>
    private sealed class BlockingSink : IClauditSink
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public Task WriteAsync(IReadOnlyList<CallRecord> batch, CancellationToken cancellationToken) => _released.Task;

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
