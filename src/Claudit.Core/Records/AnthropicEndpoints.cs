namespace Claudit.Core.Records;

public static class AnthropicEndpoints
{
    public const string Messages = "/v1/messages";
    public const string CountTokens = "/v1/messages/count_tokens";
    public const string Batches = "/v1/messages/batches";
}
