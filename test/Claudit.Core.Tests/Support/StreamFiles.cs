using System.Text;

namespace Claudit.Core.Tests.Support;

/// <summary>The verbatim SSE captures under TestData/streams, and ways to cut them into chunks.</summary>
internal static class StreamFiles
{
    public const string Text = "text";
    public const string ToolUse = "tool_use";
    public const string Thinking = "thinking";
    public const string WebSearch = "web_search";
    public const string ErrorOverloaded = "error_overloaded";
    public const string Truncated = "truncated";
    public const string CacheSplit = "cache_split";
    public const string CrlfPingUnknown = "crlf_ping_unknown";

    public static readonly string[] Names = [Text, ToolUse, Thinking, WebSearch, ErrorOverloaded, Truncated, CacheSplit, CrlfPingUnknown];

    public static TheoryData<string> All => new(Names);

    public static byte[] Load(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "streams", name + ".sse"));

    /// <summary>
    /// Cuts a stream after every blank line (LF LF or CRLF CRLF), so each piece holds one event
    /// (or comment); a trailing partial event is the last piece.
    /// </summary>
    public static List<byte[]> SplitAfterEvents(byte[] stream)
    {
        var pieces = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < stream.Length; i++)
        {
            var end = -1;
            if (stream[i] == '\n' && i + 1 < stream.Length && stream[i + 1] == '\n')
            {
                end = i + 2;
            }
            else if (stream[i] == '\r' && i + 3 < stream.Length && stream[i + 1] == '\n' && stream[i + 2] == '\r' && stream[i + 3] == '\n')
            {
                end = i + 4;
            }

            if (end > 0)
            {
                pieces.Add(stream[start..end]);
                start = end;
                i = end - 1;
            }
        }

        if (start < stream.Length)
        {
            pieces.Add(stream[start..]);
        }

        return pieces;
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
