using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>A list request's cursor: <c>before_id</c> or <c>after_id</c>, and <c>limit</c>.</summary>
internal readonly record struct CursorQuery(string? BeforeId, string? AfterId, int Limit);

/// <summary>
/// The id-cursor paging of the Models and Message Batches lists: <c>limit</c> (default 20, 1–1000),
/// <c>after_id</c> for the page after an item, <c>before_id</c> for the page before it, and the envelope
/// <c>{data, has_more, first_id, last_id}</c> where <c>has_more</c> looks in the requested direction.
/// </summary>
internal static class CursorPage
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;

    public static MockError? Read(IQueryCollection query, out CursorQuery cursor)
    {
        cursor = default;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var raw) && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return MockHttp.Invalid($"limit: Input should be between 1 and {MaxLimit}");
        }

        string? before = query["before_id"], after = query["after_id"];
        if (!string.IsNullOrEmpty(before) && !string.IsNullOrEmpty(after))
        {
            // Unconfirmed: the reference does not say; one page cannot lie in both directions.
            return MockHttp.Invalid("before_id and after_id are mutually exclusive");
        }

        cursor = new CursorQuery(string.IsNullOrEmpty(before) ? null : before, string.IsNullOrEmpty(after) ? null : after, limit);
        return null;
    }

    /// <summary>The page of <paramref name="ordered"/> the cursor asks for; an unknown cursor id gives an empty page (unconfirmed).</summary>
    public static (IReadOnlyList<T> Items, bool HasMore) Take<T>(IReadOnlyList<T> ordered, Func<T, string> id, CursorQuery cursor)
    {
        if (cursor.AfterId is { } after)
        {
            var at = IndexOf(ordered, id, after);
            if (at < 0)
            {
                return ([], false);
            }

            var items = ordered.Skip(at + 1).Take(cursor.Limit).ToList();
            return (items, at + 1 + cursor.Limit < ordered.Count);
        }

        if (cursor.BeforeId is { } before)
        {
            var at = IndexOf(ordered, id, before);
            if (at < 0)
            {
                return ([], false);
            }

            var start = Math.Max(0, at - cursor.Limit);
            return (ordered.Skip(start).Take(at - start).ToList(), start > 0);
        }

        return (ordered.Take(cursor.Limit).ToList(), ordered.Count > cursor.Limit);
    }

    public static void Write<T>(Utf8JsonWriter w, IReadOnlyList<T> items, bool hasMore, Func<T, string> id, Action<Utf8JsonWriter, T> item)
    {
        w.WriteStartObject();
        w.WriteStartArray("data"u8);
        foreach (var x in items)
        {
            item(w, x);
        }

        w.WriteEndArray();
        w.WriteBoolean("has_more"u8, hasMore);
        MockHttp.StringOrNull(w, "first_id", items.Count > 0 ? id(items[0]) : null);
        MockHttp.StringOrNull(w, "last_id", items.Count > 0 ? id(items[^1]) : null);
        w.WriteEndObject();
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, Func<T, string> id, string wanted)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (id(items[i]) == wanted)
            {
                return i;
            }
        }

        return -1;
    }
}
