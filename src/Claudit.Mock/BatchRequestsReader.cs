using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Claudit.Mock;

/// <summary>
/// Validates a <c>POST /v1/messages/batches</c> body as the API does when it accepts the batch: 1 to 100,000
/// requests, each with a unique <c>custom_id</c> matching <c>^[a-zA-Z0-9_-]{1,64}$</c> and a <c>params</c> object
/// that does not stream. The params themselves are validated when each request is processed.
/// </summary>
internal static partial class BatchRequestsReader
{
    public const int MaxRequests = 100_000;

    /// <summary>A batch may carry 256 MB, eight times a Messages body.</summary>
    public const long MaxBodyBytes = 256L * 1024 * 1024;

    public static MockError? Read(JsonElement body, out List<(string CustomId, JsonElement Params)> requests)
    {
        requests = [];
        if (body.ValueKind != JsonValueKind.Object)
        {
            return MockHttp.Invalid("Request body must be a JSON object.");
        }

        if (!body.TryGetProperty("requests", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return MockHttp.Invalid("requests: Field required");
        }

        var count = list.GetArrayLength();
        if (count is 0 or > MaxRequests)
        {
            return MockHttp.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"requests: List should have between 1 and {MaxRequests} items, not {count}"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"requests.{index++}");
            if (item.ValueKind != JsonValueKind.Object)
            {
                return MockHttp.Invalid($"{at}: Input should be an object");
            }

            if (!item.TryGetProperty("custom_id", out var idJson) || idJson.ValueKind != JsonValueKind.String)
            {
                return MockHttp.Invalid($"{at}.custom_id: Field required");
            }

            var customId = idJson.GetString()!;
            if (!CustomId().IsMatch(customId))
            {
                return MockHttp.Invalid($"{at}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'");
            }

            if (!seen.Add(customId))
            {
                return MockHttp.Invalid($"{at}.custom_id: custom_id must be unique within a Message Batch; '{customId}' is used more than once");
            }

            if (!item.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
            {
                return MockHttp.Invalid($"{at}.params: Field required");
            }

            // The SDKs' batch params still carry an optional stream flag; a batch cannot stream, so true is refused.
            if (parameters.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
            {
                return MockHttp.Invalid($"{at}.params.stream: streaming is not supported in Message Batches");
            }

            requests.Add((customId, parameters.Clone()));
        }

        return null;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex CustomId();
}
