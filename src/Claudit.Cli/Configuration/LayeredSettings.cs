using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Claudit.Cli.Configuration;

/// <summary>A setting's value and where it came from, so an error can name the place to fix.</summary>
internal readonly record struct Setting<T>(T Value, string Origin);

/// <summary>
/// Settings in layers, the later winning: built-in defaults, <c>appsettings.json</c> (section
/// <c>Claudit</c>), environment variables (<c>CLAUDIT_…</c>), then flags given on the command line.
/// Text from the file or the environment is parsed here with errors that name its origin.
/// </summary>
internal sealed class LayeredSettings
{
    public const string Section = "Claudit";

    private readonly ParseResult _parse;
    private readonly IConfiguration? _file;
    private readonly string? _fileName;
    private readonly Func<string, string?> _environment;

    private LayeredSettings(ParseResult parse, IConfiguration? file, string? fileName, Func<string, string?> environment)
    {
        _parse = parse;
        _file = file;
        _fileName = fileName;
        _environment = environment;
    }

    /// <summary>
    /// Reads <paramref name="configFile"/> when given (it must exist), else <c>appsettings.json</c> in
    /// the working directory when there is one.
    /// </summary>
    public static LayeredSettings Load(ParseResult parse, string? configFile, Func<string, string?> environment)
    {
        var path = configFile ?? (File.Exists("appsettings.json") ? "appsettings.json" : null);
        if (path is null)
        {
            return new LayeredSettings(parse, null, null, environment);
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"--config '{path}' is a directory: give the settings file (JSON, section \"{Section}\").");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"--config '{path}' does not exist.");
        }

        try
        {
            var file = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
            return new LayeredSettings(parse, file.GetSection(Section), path, environment);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new CliException($"cannot read the settings file '{path}': {reason}", ex);
        }
    }

    public Setting<string> Text(Option<string> option, string key, string variable) =>
        Get(option, key, variable, static text => (true, text), "");

    public Setting<string?> OptionalText(Option<string?> option, string key, string variable) =>
        Get(option, key, variable, static text => (true, text.Length == 0 ? null : text), "");

    public Setting<int> Integer(Option<int> option, string key, string variable) =>
        Get(option, key, variable, static text => (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v), v), "must be a whole number");

    public Setting<bool> Boolean(Option<bool> option, string key, string variable) =>
        Get(option, key, variable, static text => text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => (true, true),
            "false" or "0" or "no" => (true, false),
            _ => (false, false),
        }, "must be true or false");

    /// <summary>
    /// A key of the settings file's <c>Claudit</c> section written as a JSON object (inline policies), with its
    /// origin; null when there is no file or the key is absent or not an object.
    /// </summary>
    public (System.Text.Json.JsonElement Value, string Origin)? FileObject(string key)
    {
        if (_fileName is null)
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(_fileName), new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
            && document.RootElement.TryGetProperty(Section, out var section) && section.ValueKind == System.Text.Json.JsonValueKind.Object
            && section.TryGetProperty(key, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.Object
            ? (value.Clone(), $"{_fileName} {Section}:{key}")
            : null;
    }

    public Setting<long> Long(Option<long> option, string key, string variable) =>
        Get(option, key, variable, static text => (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v), v), "must be a whole number");

    private Setting<T> Get<T>(Option<T> option, string key, string variable, Func<string, (bool Ok, T Value)> parse, string expectation)
    {
        if (_parse.GetResult(option) is { Implicit: false })
        {
            return new Setting<T>(_parse.GetValue(option)!, option.Name);
        }

        if (_environment(variable) is { Length: > 0 } fromEnvironment)
        {
            return Parsed(fromEnvironment, variable);
        }

        if (_file?[key] is { } fromFile)
        {
            return Parsed(fromFile, $"{_fileName} {Section}:{key}");
        }

        return new Setting<T>(_parse.GetValue(option)!, option.Name);

        Setting<T> Parsed(string text, string origin)
        {
            var (ok, value) = parse(text.Trim());
            return ok ? new Setting<T>(value, origin) : throw new CliException($"{origin} {expectation}, not '{text}'.");
        }
    }
}
