using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Claudit.Mock;

/// <summary>
/// Whether every string of a parsed document can be read as text. The JSON parser accepts bytes that are
/// not UTF-8 inside a string, and escapes of an unpaired surrogate (<c>"\ud800"</c>), and only fails when
/// the string is read; the API refuses such a body up front with a 400, and so does the mock, rather than
/// fail half-way through answering it. Strings are checked in place, without being copied out.
/// </summary>
internal static class JsonText
{
    /// <summary>Null when every property name and string value is valid text, else why not.</summary>
    public static string? Problem(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(JsonMarshal.GetRawUtf8Value(element), element.GetString) ? null : Describe(JsonMarshal.GetRawUtf8Value(element));
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (Problem(item) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (!IsText(name, () => property.Name))
                    {
                        return Describe(name);
                    }

                    if (Problem(property.Value) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Raw (still escaped) UTF-8: valid as it stands, and, when it has escapes, decodable.</summary>
    private static bool IsText(ReadOnlySpan<byte> raw, Func<string?> decode)
    {
        if (!Utf8.IsValid(raw))
        {
            return false;
        }

        if (raw.IndexOf((byte)'\\') < 0)
        {
            return true;
        }

        try
        {
            decode();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(ReadOnlySpan<byte> raw) =>
        Utf8.IsValid(raw) ? "a string holds an unpaired surrogate escape" : "a string is not valid UTF-8";
}
