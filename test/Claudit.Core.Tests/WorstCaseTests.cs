using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;

namespace Claudit.Core.Tests;

/// <summary>What a budget reserves for a call before it is sent: the request's worst case, priced by the one pricing engine.</summary>
public sealed class WorstCaseTests
{
    private static (MessageRequestInfo Request, WorstCaseRequest Worst) Estimate(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = MessageRequestParser.Parse(bytes);
        return (request, WorstCaseRequest.Of(request, bytes));
    }

    [Fact]
    public void Input_is_bounded_by_the_body_and_output_by_max_tokens_at_the_models_rates()
    {
        const string Body = """{"model":"claude-sonnet-4-6","max_tokens":1000,"messages":[{"role":"user","content":"Hello"}]}""";
        var (request, worst) = Estimate(Body);

        Assert.Equal(Encoding.UTF8.GetByteCount(Body), worst.InputTokens);
        Assert.Equal(1000, worst.OutputTokens);
        Assert.False(worst.CacheWrites);
        Assert.True(CostCalculator.Default.TryPriceWorstCase(request, worst, out var usd));
        Assert.Equal((worst.InputTokens * 3m / 1_000_000m) + (1000 * 15m / 1_000_000m), usd);
    }

    [Fact]
    public void The_bound_holds_over_what_the_api_would_count_for_a_realistic_prompt()
    {
        // Every token stands for at least one byte of the text; ASCII prose runs about four bytes a token.
        var prompt = string.Join(' ', Enumerable.Repeat("Summarise the quarterly cost report for the finance team.", 40));
        var (_, worst) = Estimate($$"""{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"{{prompt}}"}]}""");
        Assert.True(worst.InputTokens > prompt.Length, "the body's bytes cover the prompt's characters");
    }

    [Fact]
    public void Cache_marks_bill_all_input_as_writes_and_a_1h_ttl_at_the_1h_rate()
    {
        const string FiveMinutes = """{"model":"claude-sonnet-4-6","max_tokens":10,"system":[{"type":"text","text":"Rules","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hi"}]}""";
        const string OneHour = """{"model":"claude-sonnet-4-6","max_tokens":10,"system":[{"type":"text","text":"Rules","cache_control":{"type":"ephemeral","ttl":"1h"}}],"messages":[{"role":"user","content":"Hi"}]}""";
        var (r5, w5) = Estimate(FiveMinutes);
        var (r1, w1) = Estimate(OneHour);

        Assert.True(w5.CacheWrites && !w5.CacheWrites1h);
        Assert.True(w1.CacheWrites1h);
        Assert.True(CostCalculator.Default.TryPriceWorstCase(r5, w5, out var usd5));
        Assert.True(CostCalculator.Default.TryPriceWorstCase(r1, w1, out var usd1));
        Assert.Equal((w5.InputTokens * 3.75m / 1_000_000m) + (10 * 15m / 1_000_000m), usd5);
        Assert.Equal((w1.InputTokens * 6m / 1_000_000m) + (10 * 15m / 1_000_000m), usd1);
    }

    [Fact]
    public void Tools_and_media_by_reference_add_what_the_body_does_not_carry()
    {
        const string Plain = """{"model":"claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""";
        const string WithTool = """{"model":"claude-sonnet-4-6","max_tokens":10,"tools":[{"name":"t","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"Hi"}]}""";
        const string WithImage = """{"model":"claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}""";

        Assert.Equal(Encoding.UTF8.GetByteCount(WithTool) + WorstCaseRequest.ToolAllowance, Estimate(WithTool).Worst.InputTokens);
        // "url" appears twice (the source's type and its key): each counts, erring on the side of more.
        Assert.Equal(Encoding.UTF8.GetByteCount(WithImage) + (2 * WorstCaseRequest.MediaAllowance), Estimate(WithImage).Worst.InputTokens);
        Assert.Equal(Encoding.UTF8.GetByteCount(Plain), Estimate(Plain).Worst.InputTokens);
    }

    [Fact]
    public void An_unknown_model_cannot_be_priced_before_the_call_either()
    {
        var (request, worst) = Estimate("""{"model":"gpt-9","max_tokens":10,"messages":[]}""");
        Assert.False(CostCalculator.Default.TryPriceWorstCase(request, worst, out var usd));
        Assert.Equal(0m, usd);
    }
}
