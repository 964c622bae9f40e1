using System.Reflection;

namespace Claudit.Server.Dashboard;

/// <summary>
/// The dashboard page: a few static files embedded in this assembly (wwwroot/), so that <c>claudit serve</c>
/// needs no files beside it and the page loads nothing from outside (no CDN, no fonts).
/// </summary>
internal static class DashboardAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    private static readonly Lazy<Dictionary<string, byte[]>> s_files = new(() => Load(typeof(DashboardAssets).Assembly));

    /// <summary>One embedded file's text (the login page's template).</summary>
    public static string Text(string name) => System.Text.Encoding.UTF8.GetString(s_files.Value[name]);

    public static void Map(IEndpointRouteBuilder app)
    {
        var files = s_files.Value;
        var index = System.Text.Encoding.UTF8.GetString(files["index.html"]);
        app.MapGet("/", (HttpRequest request) => ViewPreload.For(request.Query) is { } data
            ? Results.Text(index.Replace("<head>", $"<head>\n<link rel=\"preload\" as=\"fetch\" crossorigin=\"anonymous\" id=\"view-data\" href=\"{System.Net.WebUtility.HtmlEncode(data)}\">", StringComparison.Ordinal), ContentTypes[".html"])
            : Serve(files, "index.html"));
        app.MapGet("/dashboard/{file}", (string file) => files.ContainsKey(file) ? Serve(files, file) : Results.NotFound());
    }

    private static Dictionary<string, byte[]> Load(Assembly assembly)
    {
        const string Prefix = "Claudit.Server.Dashboard.wwwroot.";
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[Prefix.Length..]] = copy.ToArray();
        }

        return files;
    }

    private static IResult Serve(Dictionary<string, byte[]> files, string name) =>
        Results.Bytes(files[name], ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"));
}
