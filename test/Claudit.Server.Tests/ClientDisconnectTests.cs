using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Mock;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests;

/// <summary>A client that hangs up mid-stream: the record keeps what was seen and says client_closed.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class ClientDisconnectTests
{
    [Fact]
    public async Task Client_closing_mid_stream_is_recorded_as_client_closed_with_the_usage_seen()
    {
        // The mock's clock is held still: after message_start it waits for "time to first token" forever.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 7, 12, 0, 0, TimeSpan.Zero));
        var dataDir = Directory.CreateTempSubdirectory("claudit-gateway-disconnect-").FullName;
        try
        {
            await using var mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Realistic, TimeProvider = time, RateLimits = new RateLimitSettings { Enforced = false } });
            var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = mock.BaseAddress, DataDirectory = dataDir }, PriceTable.Default);
            using (var http = new HttpClient { BaseAddress = gateway.BaseAddress })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                {
                    Content = new StringContent("""{"model":"claude-opus-4-8","max_tokens":300,"stream":true,"messages":[{"role":"user","content":"Take your time"}]}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("x-api-key", "sk-ant-test");
                request.Headers.Add("anthropic-version", "2023-06-01");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var body = await response.Content.ReadAsStreamAsync();
                var buffer = new byte[4096];
                var seen = new StringBuilder();
                while (!seen.ToString().Contains("message_start", StringComparison.Ordinal))
                {
                    seen.Append(Encoding.UTF8.GetString(buffer, 0, await body.ReadAsync(buffer)));
                }
            } // the client hangs up here

            // The gateway notices on its next write: let the mock go on, and the stream end.
            for (var i = 0; i < 200 && gateway.Records.Written == 0; i++)
            {
                time.Advance(TimeSpan.FromMilliseconds(200));
                await Task.Delay(20);
            }

            await gateway.DisposeAsync();
            var records = new List<CallRecord>();
            await foreach (var r in JsonlRecordReader.ReadFileAsync(JsonlFiles.Expand([Path.Combine(dataDir, "journal")]).Single(), new ReadStats()))
            {
                records.Add(r);
            }

            var record = Assert.Single(records);
            Assert.Equal(CallStatus.Error, record.Status);
            Assert.Equal(ErrorTypes.ClientClosed, record.Error!.Type);
            Assert.Equal(ErrorOrigin.Transport, record.Error.Origin);
            Assert.False(record.Complete);
            Assert.Equal(200, record.HttpStatus);
            Assert.True(record.Usage!.InputTokens > 0);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
