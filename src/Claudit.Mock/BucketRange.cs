using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>
/// The buckets a legacy report page covers. Buckets start at or after <c>starting_at</c> and end at or before
/// <c>ending_at</c> (the reference's 7-day example counts the bucket ending exactly there); without
/// <c>ending_at</c> (default unconfirmed) they run to the bucket holding now. A page holds at most <c>limit</c>
/// buckets; <c>page</c> is the cursor of the next one's start.
/// </summary>
internal readonly record struct BucketRange(DateTimeOffset PageStart, int Count, BucketWidth Width, DateTimeOffset End)
{
    public DateTimeOffset PageEnd => BucketStart(Count);

    public DateTimeOffset BucketStart(int index) => PageStart + (Buckets.Step(Width) * index);

    public static MockError? Read(IQueryCollection query, BucketWidth width, int limit, DateTimeOffset now, out BucketRange range)
    {
        range = default;
        if (ReportParams.Time(query, "starting_at", required: true, out var start) is { } badStart)
        {
            return badStart;
        }

        if (ReportParams.Time(query, "ending_at", required: false, out var end) is { } badEnd)
        {
            return badEnd;
        }

        if (end <= start)
        {
            return MockHttp.Invalid("ending_at must be after starting_at");
        }

        var first = Buckets.Ceil(start!.Value, width);
        var last = end is { } e ? Buckets.Floor(e, width) : Buckets.Floor(now, width) + Buckets.Step(width);
        var pageStart = first;
        var page = query["page"].ToString();
        if (page.Length > 0)
        {
            if (!ReportParams.TryReadCursor(page, out var next)
                || !DateTimeOffset.TryParse(next, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out pageStart)
                || pageStart < first || pageStart > last || Buckets.Floor(pageStart, width) != pageStart)
            {
                return MockHttp.Invalid("page: not a cursor of this query (pass next_page as it came)");
            }
        }

        var remaining = last > pageStart ? (int)Math.Min(int.MaxValue, (last - pageStart).Ticks / Buckets.Step(width).Ticks) : 0;
        range = new BucketRange(pageStart, Math.Min(limit, remaining), width, last);
        return null;
    }

    /// <summary>The page: <c>{data: [{starting_at, ending_at, results: […]}, …], has_more, next_page}</c>, every bucket listed.</summary>
    public void Write(Utf8JsonWriter w, Action<Utf8JsonWriter, int> results)
    {
        w.WriteStartObject();
        w.WriteStartArray("data"u8);
        for (var i = 0; i < Count; i++)
        {
            w.WriteStartObject();
            w.WriteString("starting_at"u8, MockHttp.Seconds(BucketStart(i)));
            w.WriteString("ending_at"u8, MockHttp.Seconds(BucketStart(i + 1)));
            w.WriteStartArray("results"u8);
            results(w, i);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WritePaging(w);
        w.WriteEndObject();
    }

    /// <summary><c>has_more</c> and <c>next_page</c> (null on the last page).</summary>
    private void WritePaging(Utf8JsonWriter w)
    {
        var hasMore = PageEnd < End;
        w.WriteBoolean("has_more"u8, hasMore);
        MockHttp.StringOrNull(w, "next_page", hasMore ? ReportParams.Cursor(MockHttp.Seconds(PageEnd)) : null);
    }
}
