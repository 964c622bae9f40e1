using System.Text;

namespace Claudit.Server.Dashboard;

/// <summary>
/// The view request a page will make, named in the page itself (<c>&lt;link rel="preload" as="fetch"&gt;</c>) so that the
/// browser starts it while it is still fetching and running app.js: on a first load that was a third of the time to
/// a drawn view. The page takes this URL for its first request (app.js, <c>viewData</c>), so the two cannot differ;
/// the parameters are chosen as app.js's <c>filterQuery</c> chooses them.
/// </summary>
internal static class ViewPreload
{
    private static readonly string[] Filters = ["range", "since", "until", "model", "feature", "user", "tenant", "endpoint", "cost"];

    private static readonly Dictionary<string, string[]> ViewParameters = new(StringComparer.Ordinal)
    {
        ["overview"] = [], ["latency"] = [], ["quality"] = [], ["models"] = [],
        ["cost"] = ["by"], ["errors"] = ["offset"], ["sessions"] = ["q", "offset"],
        ["calls"] = ["status", "error_type", "stop_reason", "request_id", "trace_id", "q", "order", "dir", "offset"],
    };

    /// <summary>The view's API URL for a page opened with <paramref name="query"/>; null for a page that shows no view of /api/views (one call, a session, budgets, alerts).</summary>
    public static string? For(IQueryCollection query)
    {
        string? First(string name) => query[name] is { Count: > 0 } values && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
        var view = First("view") ?? "overview";
        if (First("call") is not null || First("session") is not null || !ViewParameters.TryGetValue(view, out var own))
        {
            return null;
        }

        var chosen = new List<(string Name, string Value)>();
        foreach (var name in Filters)
        {
            if (First(name) is { } value)
            {
                chosen.Add((name, value));
            }
        }

        if (!chosen.Exists(p => p.Name == "range"))
        {
            chosen.Add(("range", "auto"));
        }

        if (!chosen.Contains(("range", "custom")))
        {
            chosen.RemoveAll(p => p.Name is "since" or "until");
        }

        foreach (var name in own)
        {
            if (First(name) is { } value)
            {
                chosen.Add((name, value));
            }
        }

        if (view == "calls")
        {
            foreach (var (name, values) in query)
            {
                if (name.StartsWith(DashboardQuery.PropertyPrefix, StringComparison.Ordinal) && values.LastOrDefault() is { Length: > 0 } value)
                {
                    chosen.Add((name, value));
                }
            }
        }

        var url = new StringBuilder("/api/views/").Append(view).Append('?');
        for (var i = 0; i < chosen.Count; i++)
        {
            url.Append(i == 0 ? "" : "&").Append(Uri.EscapeDataString(chosen[i].Name)).Append('=').Append(Uri.EscapeDataString(chosen[i].Value));
        }

        return url.ToString();
    }
}
