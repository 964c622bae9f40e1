using System.Text.Json;
using Claudit.Core.Anthropic;

namespace Claudit.Mock;

/// <summary>A validated Messages (or count_tokens) request, as the mock needs it.</summary>
internal sealed record MockRequest
{
    public required string Model { get; init; }
    public required long MaxTokens { get; init; }
    public required bool Stream { get; init; }
    public required PromptAnalysis Prompt { get; init; }
    public IReadOnlyList<JsonElement> Tools { get; init; } = [];
    /// <summary><c>auto</c>, <c>any</c>, <c>tool</c> or <c>none</c>.</summary>
    public string ToolChoice { get; init; } = "auto";
    public string? ToolChoiceName { get; init; }
    public long? ThinkingBudget { get; init; }
    public string? ServiceTier { get; init; }
    public string? InferenceGeo { get; init; }
    /// <summary><c>fast</c> mode is billed at its own rates; anything else is standard speed.</summary>
    public string? Speed { get; init; }
    /// <summary><c>metadata.user_id</c>: a batch request naming <c>mock-batch-error</c> fails (docs/mock.md).</summary>
    public string? UserId { get; init; }
    /// <summary>The request's web search server tool (<c>web_search_…</c>), if it offers one.</summary>
    public JsonElement? WebSearchTool { get; init; }
}

/// <summary>An error the mock answers with, in Anthropic's shape.</summary>
internal sealed record MockError(int Status, string Type, string Message);

/// <summary>Validates a request body like the real API and turns it into a <see cref="MockRequest"/>.</summary>
internal static class MockRequestReader
{
    public const long MaxBodyBytes = 32L * 1024 * 1024;

    public static MockError? Read(JsonElement body, bool countTokens, out MockRequest? request)
    {
        request = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Invalid("Request body must be a JSON object.");
        }

        if (!body.TryGetProperty("model", out var modelJson) || modelJson.ValueKind != JsonValueKind.String)
        {
            return Invalid("model: Field required");
        }

        var model = modelJson.GetString()!;
        long maxTokens = 0;
        if (!countTokens)
        {
            if (!body.TryGetProperty("max_tokens", out var mt) || mt.ValueKind != JsonValueKind.Number)
            {
                return Invalid("max_tokens: Field required");
            }

            if (!mt.TryGetInt64(out maxTokens) || maxTokens < 1)
            {
                return Invalid("max_tokens: Input should be greater than or equal to 1");
            }
        }

        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return Invalid("messages: Field required");
        }

        if (messages.GetArrayLength() == 0)
        {
            return Invalid("messages: at least one message is required");
        }

        var price = MockModels.Find(model);
        if (price is null)
        {
            return new MockError(404, ErrorTypes.NotFound, $"model: {model}");
        }

        var prompt = PromptAnalysis.Analyse(model, body);
        var window = MockModels.ContextWindow(price);
        if (prompt.TotalTokens > window)
        {
            return Invalid($"prompt is too long: {prompt.TotalTokens} tokens > {window} maximum");
        }

        long? thinking = null;
        if (body.TryGetProperty("thinking", out var th) && th.ValueKind == JsonValueKind.Object
            && th.TryGetProperty("type", out var tt) && (tt.ValueEquals("enabled"u8) || tt.ValueEquals("adaptive"u8)))
        {
            long? budget = th.TryGetProperty("budget_tokens", out var b) && b.TryGetInt64(out var n) ? n : null;
            thinking = budget ?? 1024;
            // Only an explicit budget must leave room for the answer: adaptive thinking sends none, max_tokens bounds it.
            if (!countTokens && budget >= maxTokens)
            {
                return Invalid("`max_tokens` must be greater than `thinking.budget_tokens`.");
            }
        }

        var tools = body.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().ToArray() : [];
        string choice = "auto";
        string? choiceName = null;
        if (body.TryGetProperty("tool_choice", out var tc) && tc.ValueKind == JsonValueKind.Object && tc.TryGetProperty("type", out var tct))
        {
            choice = tct.GetString() ?? "auto";
            choiceName = tc.TryGetProperty("name", out var n) ? n.GetString() : null;
            if (thinking is not null && choice is "any" or "tool")
            {
                // As the API: extended thinking works with tool_choice auto or none only.
                return Invalid("Thinking may not be enabled when tool_choice forces tool use.");
            }

            if (choice == "tool" && !tools.Any(x => x.TryGetProperty("name", out var tn) && tn.GetString() == choiceName))
            {
                return Invalid($"tool_choice: tool '{choiceName}' is not among the request's tools");
            }
        }

        request = new MockRequest
        {
            Model = model,
            MaxTokens = maxTokens,
            Stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True,
            Prompt = prompt,
            Tools = tools,
            ToolChoice = choice,
            ToolChoiceName = choiceName,
            ThinkingBudget = thinking,
            ServiceTier = body.TryGetProperty("service_tier", out var st) && st.ValueKind == JsonValueKind.String ? NormaliseTier(st.GetString()) : null,
            InferenceGeo = body.TryGetProperty("inference_geo", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null,
            Speed = body.TryGetProperty("speed", out var sp) && sp.ValueKind == JsonValueKind.String ? sp.GetString() : null,
            UserId = body.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object
                && md.TryGetProperty("user_id", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null,
            WebSearchTool = tools.Cast<JsonElement?>().FirstOrDefault(x => x!.Value.TryGetProperty("type", out var tt)
                && tt.ValueKind == JsonValueKind.String && tt.GetString()!.StartsWith("web_search_", StringComparison.Ordinal)),
        };
        return null;
    }

    /// <summary>"auto" and "standard_only" requests are served on the standard tier.</summary>
    private static string? NormaliseTier(string? tier) => tier is "auto" or "standard_only" ? "standard" : tier;

    private static MockError Invalid(string message) => new(400, ErrorTypes.InvalidRequest, message);
}
