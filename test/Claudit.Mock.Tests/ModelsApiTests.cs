using System.Net;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;

namespace Claudit.Mock.Tests;

/// <summary><c>GET /v1/models</c> and <c>/v1/models/{id}</c> (docs/reference/anthropic-batches-and-models.md §2).</summary>
public class ModelsApiTests(MockServerFixture mock) : IClassFixture<MockServerFixture>
{
    private async Task<JsonElement> ListAsync(string query = "")
    {
        var reply = await mock.Client.GetAsync("/v1/models" + query);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/json", reply.ContentType?.MediaType);
        return reply.Json;
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];

    [Fact]
    public async Task The_list_holds_every_priced_model_once_with_the_models_shape()
    {
        var page = await ListAsync("?limit=1000");
        var models = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(PriceTable.Default.Models.Count, models.Count);
        Assert.False(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(Ids(page)[0], page.GetProperty("first_id").GetString());
        Assert.Equal(Ids(page)[^1], page.GetProperty("last_id").GetString());
        Assert.Equal(models.Count, Ids(page).Distinct().Count());
        foreach (var m in models)
        {
            Assert.Equal("model", m.GetProperty("type").GetString());
            Assert.Equal("active", m.GetProperty("lifecycle").GetString());
            Assert.StartsWith("Claude ", m.GetProperty("display_name").GetString(), StringComparison.Ordinal);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", m.GetProperty("created_at").GetString());
            // Every listed id is one the Messages endpoint answers for.
            Assert.NotNull(PriceTable.Default.FindModel(m.GetProperty("id").GetString()));
        }

        // Dated snapshots name the model, newest first among them.
        Assert.Contains("claude-sonnet-4-5-20250929", Ids(page));
        Assert.True(Ids(page).IndexOf("claude-sonnet-4-5-20250929") < Ids(page).IndexOf("claude-3-haiku-20240307"));
    }

    [Fact]
    public async Task Default_page_is_20_and_after_id_pages_walk_the_whole_list_in_order()
    {
        var all = Ids(await ListAsync("?limit=1000"));
        Assert.Equal(Math.Min(20, all.Count), Ids(await ListAsync()).Count);

        var walked = new List<string>();
        var page = await ListAsync("?limit=5");
        while (true)
        {
            var ids = Ids(page);
            Assert.InRange(ids.Count, 1, 5);
            walked.AddRange(ids);
            if (!page.GetProperty("has_more").GetBoolean())
            {
                break;
            }

            page = await ListAsync("?limit=5&after_id=" + page.GetProperty("last_id").GetString());
        }

        Assert.Equal(all, walked);

        // before_id from the last item gives the page just before it, and has_more looks backwards.
        var before = await ListAsync($"?limit=3&before_id={all[^1]}");
        Assert.Equal(all.Skip(all.Count - 4).Take(3), Ids(before));
        Assert.True(before.GetProperty("has_more").GetBoolean());
        var first = await ListAsync($"?limit=3&before_id={all[2]}");
        Assert.Equal(all.Take(2), Ids(first));
        Assert.False(first.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task An_alias_resolves_to_its_snapshot()
    {
        var reply = await mock.Client.GetAsync("/v1/models/claude-sonnet-4-5");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var model = reply.Json;
        Assert.Equal("claude-sonnet-4-5-20250929", model.GetProperty("id").GetString());
        Assert.Equal("Claude Sonnet 4.5", model.GetProperty("display_name").GetString());
        Assert.Equal("2025-09-29T00:00:00Z", model.GetProperty("created_at").GetString());
        Assert.Equal(200_000, model.GetProperty("max_input_tokens").GetInt64());

        var bySnapshot = await mock.Client.GetAsync("/v1/models/claude-sonnet-4-5-20250929");
        Assert.Equal(reply.Text, bySnapshot.Text);

        var opus = (await mock.Client.GetAsync("/v1/models/claude-opus-4-6")).Json;
        Assert.Equal("claude-opus-4-6", opus.GetProperty("id").GetString());
        Assert.Equal("Claude Opus 4.6", opus.GetProperty("display_name").GetString());
        Assert.Equal("2026-02-04T00:00:00Z", opus.GetProperty("created_at").GetString()); // the reference's example
        Assert.Equal("Claude Sonnet 3.7", (await mock.Client.GetAsync("/v1/models/claude-3-7-sonnet-20250219")).Json.GetProperty("display_name").GetString());
        Assert.Equal("Claude Opus 4", (await mock.Client.GetAsync("/v1/models/claude-opus-4-0")).Json.GetProperty("display_name").GetString());
    }

    [Theory]
    [InlineData("claude-imaginary-9")]
    [InlineData("claude-sonnet-4-5-2025")] // no guessing: an id or alias must match exactly
    public async Task Unknown_model_is_404_not_found_error(string id)
    {
        var reply = await mock.Client.GetAsync("/v1/models/" + id);
        var error = reply.AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        Assert.Contains(id, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lifecycle_filter_lists_active_models_and_no_retired_ones()
    {
        var all = Ids(await ListAsync("?limit=1000"));
        Assert.Equal(all, Ids(await ListAsync("?limit=1000&lifecycle[]=active&lifecycle[]=deprecated")));
        Assert.Empty(Ids(await ListAsync("?lifecycle[]=retired")));
        (await mock.Client.GetAsync("/v1/models?lifecycle[]=sunset")).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?limit=ten")]
    [InlineData("?before_id=a&after_id=b")]
    public async Task Bad_paging_is_400_invalid_request_error(string query)
    {
        var reply = await mock.Client.GetAsync("/v1/models" + query);
        reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Models_need_an_api_key_and_refuse_an_admin_key()
    {
        (await mock.Client.GetAsync("/v1/models", apiKey: null)).AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
        (await mock.Client.GetAsync("/v1/models", apiKey: Keys.Admin)).AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
    }
}
