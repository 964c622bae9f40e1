using System.Net;
using System.Text;
using System.Text.Json;
using Claudit.Server.SharedState;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// Virtual keys across a fleet: two gateways on one real ClickHouse; a key made through one is honoured by the
/// other within the refresh interval, and its revocation through the other reaches the first.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class SharedKeysTests
{
    [Fact]
    public async Task A_key_made_on_one_gateway_is_honoured_and_revoked_on_the_other()
    {
        await using var clickHouse = await ClickHouseServer.StartAsync();
        var url = clickHouse.Url("keys");
        await using var a = await PolicyGateway.StartAsync(null, configure: o => o with { Store = url });
        await using var b = await PolicyGateway.StartAsync(null, configure: o => o with { Store = url });

        using var created = await a.Http.PostAsync("/api/keys", new StringContent("""{"name": "fleet-bot"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        Assert.Equal(HttpStatusCode.OK, await UntilAsync(b, key, HttpStatusCode.OK));

        using var revoked = await b.Http.DeleteAsync("/api/keys/fleet-bot");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await UntilAsync(a, key, HttpStatusCode.Unauthorized));
    }

    private static async Task<HttpStatusCode> UntilAsync(PolicyGateway gateway, string key, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + (SharedKeyRefresh.Every * 4);
        HttpStatusCode status;
        do
        {
            using var response = await gateway.Http.SendAsync(PolicyGateway.Request(PolicyGateway.Body("Is this key known here?"), key));
            status = response.StatusCode;
            if (status == wanted)
            {
                break;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }
}
