using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Claudit.Server.Keys;
using Claudit.Store.DuckDb;
using Spectre.Console;

namespace Claudit.Cli.Commands;

/// <summary>
/// <c>claudit keys create|list|revoke</c>: virtual keys (docs/budgets.md#virtual-keys), in the store of
/// <c>--data-dir</c>, or through a running gateway's admin API with <c>--server URL</c>. A gateway holds its
/// store open, so while one runs on the data directory its keys are managed through it (the store says so).
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("keys", "Virtual keys: stand-ins for the real Anthropic key, each with its own tags, models, budget and rate limit.");
        command.Subcommands.Add(CreateCommand(console));
        command.Subcommands.Add(ListCommand(console));
        command.Subcommands.Add(RevokeCommand(console));
        return command;
    }

    private static Command CreateCommand(CliConsole console)
    {
        var name = new Option<string>("--name") { Description = "The key's name (unique among keys that are not revoked).", Required = true };
        var user = new Option<string?>("--user") { Description = "The user every call made with the key is tagged with.", HelpName = "ID" };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant every call made with the key is tagged with.", HelpName = "ID" };
        var feature = new Option<string?>("--feature") { Description = "The feature every call made with the key is tagged with.", HelpName = "NAME" };
        var models = new Option<string?>("--models") { Description = "The models the key may call, comma-separated (a model id also allows its dated snapshots); default: any.", HelpName = "LIST" };
        var budget = new Option<string?>("--budget-usd") { Description = "The key's own budget in USD per window; calls past it are refused (HTTP 429).", HelpName = "USD" };
        var window = new Option<string?>("--window") { Description = "The budget's window: 1d or 1mo (calendar, UTC), or Nm / Nh (rolling); default 1d.", HelpName = "WINDOW" };
        var rpm = new Option<int?>("--rpm") { Description = "The key's own limit of requests per minute." };
        var expires = new Option<string?>("--expires") { Description = "When the key stops working: an ISO 8601 date or time (UTC unless an offset is given), or a time from now such as 30d or 12h.", HelpName = "DATE" };
        var (dataDir, server, token) = Where();
        var command = new Command("create", "Create a virtual key and print it (the only time it is shown; only a salted hash is stored).")
        {
            name, user, tenant, feature, models, budget, window, rpm, expires, dataDir, server, token,
        };
        command.SetAction(async (parse, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var request = new VirtualKeyRequest
            {
                Name = parse.GetValue(name),
                User = parse.GetValue(user),
                Tenant = parse.GetValue(tenant),
                Feature = parse.GetValue(feature),
                Models = parse.GetValue(models)?.Split(',', StringSplitOptions.TrimEntries),
                BudgetUsd = parse.GetValue(budget) is { } usd ? Usd(usd) : null,
                Window = parse.GetValue(window),
                Rpm = parse.GetValue(rpm),
                ExpiresAt = parse.GetValue(expires) is { } text ? Expiry(text, now) : null,
            };
            if (request.Problem(now, Flag) is { } problem)
            {
                throw new CliException(problem + ".");
            }

            KeyView created;
            if (parse.GetValue(server) is { } url)
            {
                created = await KeysClient.CreateAsync(url, (parse.GetValue(token) ?? console.Environment("CLAUDIT_TOKEN")), request, ct).ConfigureAwait(false);
            }
            else
            {
                await using var store = Open(parse.GetValue(dataDir)!);
                var (key, stored) = VirtualKeyIssuer.Issue(request, now);
                await store.AddKeyAsync(stored, ct).ConfigureAwait(false);
                created = KeyView.Of(stored, now) with { Key = key };
            }

            // The key alone on standard output (KEY=$(claudit keys create …)); what it is, on standard error.
            await console.Out.WriteLineAsync(created.Key).ConfigureAwait(false);
            await console.Error.WriteLineAsync($"claudit keys: created '{created.Name}' ({created.Id}){Describe(created)}. The key is shown this once: keep it now.").ConfigureAwait(false);
            return ClauditCli.Ok;
        });
        return command;
    }

    private static Command ListCommand(CliConsole console)
    {
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var (dataDir, server, token) = Where();
        var command = new Command("list", "List the virtual keys: names, ids, tags, limits, status (never the keys).") { format, dataDir, server, token };
        command.SetAction(async (parse, ct) =>
        {
            KeyView[] keys;
            if (parse.GetValue(server) is { } url)
            {
                keys = await KeysClient.ListAsync(url, (parse.GetValue(token) ?? console.Environment("CLAUDIT_TOKEN")), ct).ConfigureAwait(false);
            }
            else
            {
                await using var store = Open(parse.GetValue(dataDir)!);
                var now = DateTimeOffset.UtcNow;
                keys = [.. (await store.ListKeysAsync(ct).ConfigureAwait(false)).Select(k => KeyView.Of(k, now))];
            }

            if (parse.GetValue(format) == "json")
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(keys, KeysJsonContext.Default.KeyViewArray)).ConfigureAwait(false);
                return ClauditCli.Ok;
            }

            var table = new Table().AddColumns("id", "name", "status", "user", "tenant", "feature", "models", "budget", "rpm", "expires", "created");
            foreach (var k in keys)
            {
                table.AddRow(Cells(k.Id, k.Name, k.Status, k.User, k.Tenant, k.Feature, k.Models.Count == 0 ? "any" : string.Join(",", k.Models),
                    k.BudgetUsd is { } b ? $"${b.ToString("0.00##", CultureInfo.InvariantCulture)}/{k.Window}" : null, k.Rpm?.ToString(CultureInfo.InvariantCulture), Time(k.ExpiresAt), Time(k.CreatedAt)));
            }

            console.CreateAnsi().Write(table);
            return ClauditCli.Ok;
        });
        return command;
    }

    private static Command RevokeCommand(CliConsole console)
    {
        var key = new Argument<string>("key") { Description = "The key's name or id (vk_…)." };
        var (dataDir, server, token) = Where();
        var command = new Command("revoke", "Revoke a virtual key: calls with it are refused (HTTP 401) from now on.") { key, dataDir, server, token };
        command.SetAction(async (parse, ct) =>
        {
            KeyView revoked;
            if (parse.GetValue(server) is { } url)
            {
                revoked = await KeysClient.RevokeAsync(url, (parse.GetValue(token) ?? console.Environment("CLAUDIT_TOKEN")), parse.GetValue(key)!, ct).ConfigureAwait(false);
            }
            else
            {
                await using var store = Open(parse.GetValue(dataDir)!);
                var now = DateTimeOffset.UtcNow;
                revoked = await store.RevokeKeyAsync(parse.GetValue(key)!, now, ct).ConfigureAwait(false) is { } stored
                    ? KeyView.Of(stored, now)
                    : throw new CliException($"no key named or numbered '{parse.GetValue(key)}' in the store.");
            }

            await console.Out.WriteLineAsync($"revoked '{revoked.Name}' ({revoked.Id}) at {Time(revoked.RevokedAt)}").ConfigureAwait(false);
            return ClauditCli.Ok;
        });
        return command;
    }

    /// <summary>Where the keys are: a data directory's store, or a running gateway (and its access token).</summary>
    private static (Option<string?> DataDir, Option<string?> Server, Option<string?> Token) Where() => (
        DataDirOption.Create($"The store's directory (default: {DataDirOption.Default}); while a gateway runs on it, use --server instead.", defaultToCurrent: true),
        new Option<string?>("--server") { Description = "Manage the keys of a running `claudit serve` at this URL (its /api/keys) instead of a store.", HelpName = "URL" },
        new Option<string?>("--token") { Description = "The server's access token, if it has one (default: $CLAUDIT_TOKEN)." });

    private static DuckDbCallStore Open(string dataDir) => DuckDbCallStore.Open(Path.Combine(dataDir, DuckDbCallStore.FileName));

    private static string Flag(string field) => field switch
    {
        "budget_usd" => "--budget-usd",
        "expires_at" => "--expires",
        _ => "--" + field,
    };

    private static decimal Usd(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var usd) && usd > 0
            ? usd
            : throw new CliException($"--budget-usd must be a positive amount in USD, like 5 or 2.50, not '{text}'.");

    /// <summary>An ISO 8601 date or time, or a time from now (<c>30d</c>, <c>12h</c>, <c>90m</c>).</summary>
    private static DateTimeOffset Expiry(string text, DateTimeOffset now)
    {
        text = text.Trim();
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && char.ToLowerInvariant(text[^1]) switch { 'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), _ => (TimeSpan?)null } is { } span)
        {
            return now + span;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new CliException($"--expires '{text}' is neither an ISO 8601 date/time (2026-12-31, 2026-12-31T18:00:00Z) nor a time from now (30d, 12h).");
    }

    private static string Describe(KeyView k)
    {
        var parts = new List<string>();
        if (k.User is not null) parts.Add("user " + k.User);
        if (k.Tenant is not null) parts.Add("tenant " + k.Tenant);
        if (k.Feature is not null) parts.Add("feature " + k.Feature);
        if (k.Models.Count > 0) parts.Add("models " + string.Join(",", k.Models));
        if (k.BudgetUsd is { } b) parts.Add($"budget ${b.ToString("0.00##", CultureInfo.InvariantCulture)} per {k.Window}");
        if (k.Rpm is { } r) parts.Add($"{r} requests per minute");
        if (k.ExpiresAt is { } e) parts.Add("expires " + Time(e));
        return parts.Count == 0 ? "" : ": " + string.Join(", ", parts);
    }

    private static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string[] Cells(params string?[] values) => [.. values.Select(v => Markup.Escape(v ?? "–"))];
}
