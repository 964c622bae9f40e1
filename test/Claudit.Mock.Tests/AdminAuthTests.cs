using System.Net;
using Claudit.Core.Anthropic;

namespace Claudit.Mock.Tests;

/// <summary>Only Admin keys open <c>/v1/organizations/*</c>, and Admin keys open nothing else.</summary>
public class AdminAuthTests(MockServerFixture mock) : IClassFixture<MockServerFixture>
{
    private static readonly (string, string) Beta = ("anthropic-beta", AnalyticsReport.Beta);

    public static TheoryData<string> AdminPaths => new()
    {
        "/v1/organizations/usage_report/messages?starting_at=2026-09-03T00:00:00Z",
        "/v1/organizations/cost_report?starting_at=2026-09-03T00:00:00Z",
        "/v1/organizations/analytics/usage?starting_at=2026-09-03T00:00:00Z&ending_at=2026-09-04T00:00:00Z",
        "/v1/organizations/analytics/cost?starting_at=2026-09-03T00:00:00Z&ending_at=2026-09-04T00:00:00Z",
    };

    [Theory]
    [MemberData(nameof(AdminPaths))]
    public async Task Admin_endpoints_take_an_admin_key_only(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await mock.Client.AdminAsync(path, Beta)).Status);
        (await mock.Client.GetAsync(path, apiKey: null, Beta)).AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
        var error = (await mock.Client.GetAsync(path, Keys.Api, Beta)).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        Assert.Contains(MockApiKeys.AdminKeyPrefix, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        (await mock.Client.GetAsync(path, "sk-ant-admin-not-quite", Beta)).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        (await mock.Client.GetAsync(path, apiKey: null, Beta, ("Authorization", "Bearer sk-ant-oat01-token"))).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task An_admin_key_cannot_call_messages()
    {
        var body = Requests.Message("Admin keys are not API keys.").ToJsonString();
        (await mock.Client.RequestAsync(HttpMethod.Post, "/v1/messages", body, Keys.Admin)).AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
        (await mock.Client.RequestAsync(HttpMethod.Post, "/v1/messages/count_tokens", Requests.Message("x").Without("max_tokens").ToJsonString(), Keys.Admin))
            .AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
    }
}
