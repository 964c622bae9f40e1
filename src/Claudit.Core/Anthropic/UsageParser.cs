using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Core.Anthropic;

/// <summary>Parses a bare Anthropic usage object (e.g. copied from a log). Null when it is not one.</summary>
public static class UsageParser
{
    public static TokenUsage? Parse(ReadOnlySpan<byte> json, string? speed = null)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var usage = default(UsageAccumulator);
            usage.Read(ref reader);
            return usage.InputTokens is null && usage.OutputTokens is null && usage.CacheCreationInputTokens is null && usage.CacheReadInputTokens is null
                ? null
                : usage.ToUsage(speed);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
