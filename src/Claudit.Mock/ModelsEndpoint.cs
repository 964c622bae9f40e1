using System.Text.Json;

namespace Claudit.Mock;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> over the mock's <see cref="ModelCatalog"/>.</summary>
internal static class ModelsEndpoint
{
    /// <summary>Every model the mock answers for is callable: none is deprecated or retired (the mock knows no such dates).</summary>
    private const string Lifecycle = "active";

    private static readonly string[] Lifecycles = ["active", "deprecated", "retired"];

    public static Task ListAsync(MockCall call)
    {
        if (CursorPage.Read(call.Request.Query, out var cursor) is { } invalid)
        {
            return call.FailAsync(invalid);
        }

        // lifecycle[]: the stages to list (up to 3); without it, active and deprecated models.
        var stages = MockHttp.Values(call.Request.Query, "lifecycle");
        if (stages.Count > 3 || stages.FirstOrDefault(s => !Lifecycles.Contains(s)) is not null)
        {
            return call.FailAsync(MockHttp.Invalid("lifecycle: up to 3 of 'active', 'deprecated', 'retired'"));
        }

        var listed = stages.Count == 0 || stages.Contains(Lifecycle) ? ModelCatalog.All : [];
        var (page, hasMore) = CursorPage.Take(listed, m => m.Id, cursor);
        return call.OkAsync(w => CursorPage.Write(w, page, hasMore, m => m.Id, Write));
    }

    public static Task GetAsync(MockCall call)
    {
        var id = call.Route("id") ?? "";
        return ModelCatalog.Resolve(id) is { } model
            ? call.OkAsync(w => Write(w, model))
            : call.FailAsync(MockHttp.NotFound($"model: {id}"));
    }

    /// <summary>
    /// The reference's four fields, <c>lifecycle</c> (the SDKs require it), and <c>max_input_tokens</c> (the context
    /// window the mock enforces). <c>capabilities</c>, <c>max_tokens</c>, <c>line</c> and the deprecation dates are left
    /// out: the mock does not know them, and the SDKs treat them as optional.
    /// </summary>
    private static void Write(Utf8JsonWriter w, CatalogModel model)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "model"u8);
        w.WriteString("id"u8, model.Id);
        w.WriteString("display_name"u8, model.DisplayName);
        w.WriteString("created_at"u8, MockHttp.Seconds(model.CreatedAt));
        w.WriteString("lifecycle"u8, Lifecycle);
        w.WriteNumber("max_input_tokens"u8, model.MaxInputTokens);
        w.WriteEndObject();
    }
}
