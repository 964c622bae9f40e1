using System.Text;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Mock;
using Claudit.Server.Budgets;
using Claudit.Server.Keys;

namespace Claudit.Server.Tests.Support;

/// <summary>
/// The real gateway with policies (and an upstream key for virtual keys) in front of the real mock, on a
/// data directory that outlives a restart. Calls are Messages requests of a known size, so a test can
/// compute each one's worst case exactly as the gateway reserves it.
/// </summary>
internal sealed class PolicyGateway : IAsyncDisposable
{
    /// <summary>The real key the gateway swaps virtual keys for (fake, split so that secret scanners pass the source).</summary>
    public const string RealKey = "sk-ant-api03-" + "policyrealkey-0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>A caller's own Anthropic key, forwarded unchanged.</summary>
    public const string CallerKey = "sk-ant-api03-" + "callerkey-abcdefghijklmnopqrstuvwxyz0123456789";

    public const string Model = "claude-haiku-4-5";

    private readonly bool _ownsMock;
    private GatewayServer? _gateway;

    private PolicyGateway(MockServer mock, bool ownsMock, string dataDir, GatewayOptions options)
    {
        Mock = mock;
        _ownsMock = ownsMock;
        DataDir = dataDir;
        Options = options;
    }

    public MockServer Mock { get; }

    public string DataDir { get; }

    public GatewayOptions Options { get; private set; }

    public GatewayServer Gateway => _gateway ?? throw new InvalidOperationException("the gateway is stopped");

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The current gateway's ledger: a new one at every (re)start, as a new process would have.</summary>
    public InProcessPolicyLedger Ledger { get; private set; } = null!;

    /// <summary>Starts the mock and a gateway; <paramref name="history"/> is put in the store first, as an earlier gateway would have left it.</summary>
    public static async Task<PolicyGateway> StartAsync(string? policies, TimeProvider? clock = null, Func<GatewayOptions, GatewayOptions>? configure = null, MockOptions? mockOptions = null, IReadOnlyList<CallRecord>? history = null)
    {
        var mock = await MockServer.StartAsync(mockOptions ?? new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 12, RateLimits = new RateLimitSettings { Enforced = false } });
        var dataDir = Directory.CreateTempSubdirectory("claudit-policies-").FullName;
        var options = new GatewayOptions
        {
            Port = 0,
            Upstream = mock.BaseAddress,
            DataDirectory = dataDir,
            Policies = policies is null ? PolicySet.Empty : PolicySet.Parse(Encoding.UTF8.GetBytes(policies), "test policies"),
            UpstreamKey = new UpstreamKey(RealKey),
            TimeProvider = clock ?? TimeProvider.System,
        };
        if (history is not null)
        {
            await using var store = Store.DuckDb.DuckDbCallStore.Open(Path.Combine(dataDir, Store.DuckDb.DuckDbCallStore.FileName));
            await store.AppendAsync(history);
        }

        var host = new PolicyGateway(mock, ownsMock: true, dataDir, configure?.Invoke(options) ?? options);
        await host.RestartAsync();
        return host;
    }

    /// <summary>Stops the gateway (draining its records into the journal and the store) and starts a new one on the same data directory.</summary>
    public async Task RestartAsync(Func<GatewayOptions, GatewayOptions>? configure = null)
    {
        await StopAsync();
        Ledger = new InProcessPolicyLedger();
        Options = (configure?.Invoke(Options) ?? Options) with { PolicyLedger = Ledger };
        _gateway = await GatewayServer.StartAsync(Options, PriceTable.Default);
        Http = new HttpClient { BaseAddress = _gateway.BaseAddress };
    }

    public async Task StopAsync()
    {
        if (_gateway is not null)
        {
            Http.Dispose();
            await _gateway.DisposeAsync();
            _gateway = null;
        }
    }

    /// <summary>A Messages request body; its byte length is the input half of its worst case.</summary>
    public static string Body(string prompt, bool stream = false, int maxTokens = 200, string model = Model) =>
        $$"""{"model":"{{model}}","max_tokens":{{maxTokens}},"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{prompt}}"}]}""";

    /// <summary>What the gateway reserves for <see cref="Body"/>: every body byte at the input rate, max_tokens at the output rate.</summary>
    public static decimal WorstCaseUsd(string body, int maxTokens, string model = Model)
    {
        var rates = PriceTable.Default.FindModel(model)!.Rates;
        return (Encoding.UTF8.GetByteCount(body) * rates.Input / 1_000_000m) + (maxTokens * rates.Output / 1_000_000m);
    }

    public static HttpRequestMessage Request(string body, string? key = CallerKey, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        request.Headers.Add("anthropic-version", "2023-06-01");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>Sends a call for <paramref name="user"/> and reads the whole answer.</summary>
    public async Task<(HttpResponseMessage Response, string Text)> SendAsync(string body, string? user = null, string? key = CallerKey, params (string Name, string Value)[] headers)
    {
        using var request = Request(body, key, user is null ? headers : [.. headers, ("Claudit-User", user)]);
        var response = await Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Waits until every call has settled: a client can read a whole answer a moment before the gateway's
    /// finisher has run, so a test that reasons about used amounts waits for the reservations to go.
    /// </summary>
    public async Task SettledAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var now = Options.TimeProvider.GetUtcNow();
            var open = false;
            foreach (var status in await Gateway.Budgets.GetStatusAsync())
            {
                open |= (await Ledger.ScopesAsync(status.Name, status.Policy.Window, now)).Any(s => s.Totals.Reserved != 0);
            }

            if (!open)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "reservations were not settled within 10 s");
            await Task.Delay(10);
        }
    }

    /// <summary>Every record in the journal; stops the gateway first so that all are written.</summary>
    public async Task<List<CallRecord>> StopAndReadRecordsAsync()
    {
        await StopAsync();
        var records = new List<CallRecord>();
        var stats = new ReadStats();
        foreach (var file in JsonlFiles.Expand([Path.Combine(DataDir, "journal")]))
        {
            await foreach (var r in JsonlRecordReader.ReadFileAsync(file, stats))
            {
                records.Add(r);
            }
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsMock)
        {
            await Mock.DisposeAsync();
        }

        Directory.Delete(DataDir, recursive: true);
    }
}
