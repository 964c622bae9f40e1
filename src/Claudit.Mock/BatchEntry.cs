using System.Text.Json;

namespace Claudit.Mock;

/// <summary>One request of a batch: its <c>custom_id</c>, its Messages <c>params</c>, when it is processed, and how it ended.</summary>
internal sealed class BatchEntry(string customId, JsonElement parameters, DateTimeOffset processAt)
{
    public string CustomId { get; } = customId;

    public JsonElement Params { get; } = parameters;

    public DateTimeOffset ProcessAt { get; } = processAt;

    public BatchOutcome? Outcome { get; set; }
}
