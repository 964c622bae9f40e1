using Claudit.Mock;

namespace Claudit.Instrumentation.Tests;

/// <summary>The real mock of Anthropic's API, in-process on a free loopback port, shared by a test class.</summary>
public sealed class MockFixture : IAsyncLifetime
{
    private MockServer? _server;

    public MockServer Server => _server!;

    public string BaseUrl => Server.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync() =>
        _server = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 7, RateLimits = new RateLimitSettings { Enforced = false } });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
