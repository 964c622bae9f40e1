using Claudit.Core.Pricing;

namespace Claudit.Core.Tests;

/// <summary>Model ids to price entries: longest prefix on a boundary, snapshots, cloud ids; never a neighbour.</summary>
public class ModelIdMatcherTests
{
    private static readonly TokenRates SomeRates = new(1, 1.25m, 2, 0.1m, 5);

    private static ModelPrice Model(string id, params string[] aliases) => new() { Id = id, Aliases = aliases, Rates = SomeRates };

    private static string? DefaultMatch(string id) => PriceTable.Default.FindModel(id)?.Id;

    [Theory]
    [InlineData("claude-opus-4-8", "claude-opus-4-8")]
    [InlineData("claude-opus-4-5", "claude-opus-4-5")]
    [InlineData("claude-opus-4-5-20251101", "claude-opus-4-5")]
    [InlineData("claude-opus-4-1", "claude-opus-4-1")]
    [InlineData("claude-opus-4-1-20250805", "claude-opus-4-1")]
    [InlineData("claude-opus-4-0", "claude-opus-4-0")]
    [InlineData("claude-opus-4-20250514", "claude-opus-4-0")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4-0")]
    [InlineData("claude-haiku-4-5-20251001", "claude-haiku-4-5")]
    [InlineData("claude-3-7-sonnet-20250219", "claude-3-7-sonnet")]
    [InlineData("claude-3-5-haiku-20241022", "claude-3-5-haiku")]
    [InlineData("claude-3-haiku-20240307", "claude-3-haiku")]
    [InlineData("claude-3-opus-20240229", "claude-3-opus")]
    public void Ids_aliases_and_snapshots_find_their_entry(string id, string entry)
    {
        Assert.Equal(entry, DefaultMatch(id));
    }

    [Theory]
    [InlineData("claude-opus-4-8-20260115", "claude-opus-4-8")]
    [InlineData("claude-sonnet-4-6-20260201", "claude-sonnet-4-6")]
    [InlineData("claude-3-5-haiku-latest", "claude-3-5-haiku")]
    public void An_unlisted_dated_snapshot_maps_to_its_family(string id, string entry)
    {
        Assert.Equal(entry, DefaultMatch(id));
    }

    [Theory]
    [InlineData("anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5")]
    [InlineData("us.anthropic.claude-opus-4-1-20250805-v1:0", "claude-opus-4-1")]
    [InlineData("global.anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5")]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku")]
    [InlineData("claude-sonnet-4-5@20250929", "claude-sonnet-4-5")]
    [InlineData("claude-opus-4-1@20250805", "claude-opus-4-1")]
    [InlineData("publishers/anthropic/models/claude-opus-4-5@20251101", "claude-opus-4-5")]
    public void Bedrock_and_vertex_ids(string id, string entry)
    {
        Assert.Equal(entry, DefaultMatch(id));
    }

    [Theory]
    [InlineData("Claude-Opus-4-8", "claude-opus-4-8")]
    [InlineData("  claude-opus-4-8\t", "claude-opus-4-8")]
    [InlineData("ANTHROPIC.CLAUDE-SONNET-4-5-20250929-V1:0", "claude-sonnet-4-5")]
    public void Case_and_surrounding_space_do_not_matter(string id, string entry)
    {
        Assert.Equal(entry, DefaultMatch(id));
    }

    [Theory]
    [InlineData("claude-opus-4-10")]
    [InlineData("claude-opus-4-9")]
    [InlineData("claude-opus-4")]
    [InlineData("claude-opus-4-")]
    [InlineData("claude-opus-48")]
    [InlineData("claude-opus-4-8x")]
    [InlineData("claude-sonnet-4-55")]
    [InlineData("xclaude-opus-4-8")]
    [InlineData("my-claude-opus-4-8")]
    [InlineData("gpt-4o")]
    [InlineData("claude")]
    [InlineData("")]
    [InlineData("   ")]
    public void Unknown_ids_match_nothing(string id)
    {
        Assert.Null(DefaultMatch(id));
    }

    [Fact]
    public void Longest_prefix_wins_whatever_the_table_order()
    {
        ModelPrice[] models = [Model("claude-x"), Model("claude-x-1"), Model("claude-x-1-5")];
        var forward = new ModelIdMatcher(models);
        var backward = new ModelIdMatcher(models.Reverse());

        foreach (var matcher in new[] { forward, backward })
        {
            Assert.Equal("claude-x-1-5", matcher.Match("claude-x-1-5-20260101")!.Id);
            Assert.Equal("claude-x-1", matcher.Match("claude-x-1-20260101")!.Id);
            Assert.Equal("claude-x-1", matcher.Match("claude-x-1")!.Id);
            Assert.Equal("claude-x", matcher.Match("claude-x-2")!.Id);
            // "claude-x-1" is a prefix of "claude-x-10" but not on a boundary.
            Assert.Equal("claude-x", matcher.Match("claude-x-10")!.Id);
            Assert.Null(matcher.Match("claude-xy"));
        }
    }

    [Fact]
    public void An_alias_longer_than_another_entry_id_wins()
    {
        var matcher = new ModelIdMatcher([Model("claude-opus-4-0", "claude-opus-4-20250514"), Model("claude-opus-4-5", "claude-opus-4-5-20251101")]);

        Assert.Equal("claude-opus-4-0", matcher.Match("claude-opus-4-20250514")!.Id);
        Assert.Equal("claude-opus-4-5", matcher.Match("claude-opus-4-5-20251101")!.Id);
        Assert.Null(matcher.Match("claude-opus-4-20260101"));
    }

    [Theory]
    [InlineData("anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("publishers/anthropic/models/claude-sonnet-4-5@20250929", "claude-sonnet-4-5@20250929")]
    [InlineData(" Claude-Sonnet-4-5 ", "claude-sonnet-4-5")]
    [InlineData("my-claude-sonnet-4-5", "my-claude-sonnet-4-5")]
    public void Normalise_strips_cloud_prefixes_only(string id, string normalised)
    {
        Assert.Equal(normalised, ModelIdMatcher.Normalise(id));
    }
}
