using System.Globalization;
using System.Text.Json;

namespace Claudit.Alerts.Rules;

/// <summary>
/// The fields of one JSON object of a rules file, read with errors for people: each names the place
/// (<c>alerts.json: rule "errors":</c>) and the field, says what was expected and quotes what was found.
/// Unknown fields are errors too: a misspelt <c>windw</c> must not silently mean the default.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _object;
    private readonly string _where;

    public JsonFields(JsonElement element, string where, string what)
    {
        _where = where;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error($"{what} must be a JSON object, not {Quote(element)}");
        }

        _object = element;
    }

    /// <summary>Where the object is, as messages name it: <c>alerts.json: rule "errors"</c>.</summary>
    public string Where => _where;

    public void AllowOnly(params string[] names)
    {
        foreach (var p in _object.EnumerateObject())
        {
            if (Array.IndexOf(names, p.Name) < 0)
            {
                throw Error($"unknown field \"{p.Name}\" (known: {string.Join(", ", names)})");
            }
        }
    }

    public bool Has(string name) => _object.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement? Element(string name) => _object.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string? Text(string name)
    {
        if (Element(name) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : throw Error($"\"{name}\" must be a non-empty string, not {Quote(v)}");
    }

    public TimeSpan? Duration(string name, TimeSpan min)
    {
        if (Element(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.String && DurationText.TryParse(v.GetString(), out var d) && d >= min)
        {
            return d;
        }

        throw Error($"\"{name}\" must be a duration like 30s or 5m{(min > TimeSpan.Zero ? $" (at least {DurationText.Format(min)})" : "")}, not {Quote(v)}");
    }

    public double? Number(string name)
    {
        if (Element(name) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw Error($"\"{name}\" must be a number, not {Quote(v)}");
    }

    public long? WholeNumber(string name, long min, long max)
    {
        if (Element(name) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= min && n <= max
            ? n
            : throw Error($"\"{name}\" must be a whole number from {min} to {max}, not {Quote(v)}");
    }

    public bool? Boolean(string name)
    {
        if (Element(name) is not { } v)
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"\"{name}\" must be true or false, not {Quote(v)}"),
        };
    }

    public Uri? Url(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Error($"\"{name}\" must be an http(s) URL, not \"{text}\"");
    }

    public AlertsFileException Error(string message) => new($"{_where}: {message}");

    /// <summary>A value as the file wrote it, short: <c>"soon"</c>, <c>12</c>, <c>an object</c>.</summary>
    public static string Quote(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{Shorten(v.GetString() ?? "")}\"",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => v.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => v.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
