using System.Text;
using Claudit.Store.Keys;

namespace Claudit.Store.Tests;

/// <summary>Schema 004's <c>virtual_keys</c>: keys added, listed, revoked by name or id, never holding the key itself.</summary>
public class VirtualKeyStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static StoredVirtualKey Key(string id, string name) => new()
    {
        Id = id,
        Name = name,
        Salt = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        Hash = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray(),
        User = "u-42",
        Tenant = "acme",
        Feature = "billing",
        Models = ["claude-haiku-4-5", "claude-sonnet-4-6"],
        BudgetUsd = 5.25m,
        BudgetWindow = "1d",
        RequestsPerMinute = 60,
        ExpiresAt = T0.AddDays(30),
        CreatedAt = T0,
    };

    [Fact]
    public async Task A_key_round_trips_every_field_and_survives_reopening()
    {
        using var dir = new TempStore();
        var key = Key("vk_0123456789abcdef", "billing-bot");
        await using (var store = dir.Open())
        {
            await store.AddKeyAsync(key);
        }

        await using var reopened = dir.Open();
        var stored = Assert.Single(await reopened.ListKeysAsync());
        Assert.Equal(key.Salt, stored.Salt);
        Assert.Equal(key.Hash, stored.Hash);
        Assert.Equal(key with { Salt = stored.Salt, Hash = stored.Hash, Models = stored.Models }, stored);
        Assert.Equal(key.Models, stored.Models);
    }

    [Fact]
    public async Task Names_are_unique_among_keys_not_revoked_and_revoking_by_name_or_id_works_once()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        await store.AddKeyAsync(Key("vk_0000000000000001", "bot"));

        var clash = await Assert.ThrowsAsync<StoreException>(() => store.AddKeyAsync(Key("vk_0000000000000002", "bot")));
        Assert.Contains("'bot'", clash.Message, StringComparison.Ordinal);

        var revoked = await store.RevokeKeyAsync("bot", T0.AddHours(1));
        Assert.Equal(T0.AddHours(1), revoked!.RevokedAt);

        // Once revoked, the name is free again; the old key is still found by its id, revoked once.
        await store.AddKeyAsync(Key("vk_0000000000000002", "bot"));
        Assert.Equal(T0.AddHours(1), (await store.RevokeKeyAsync("vk_0000000000000001", T0.AddHours(5)))!.RevokedAt);
        Assert.Equal("vk_0000000000000002", (await store.RevokeKeyAsync("bot", T0.AddHours(2)))!.Id);
        Assert.Null(await store.RevokeKeyAsync("nobody", T0));
        Assert.All(await store.ListKeysAsync(), k => Assert.NotNull(k.RevokedAt));
    }

    [Fact]
    public async Task The_file_holds_the_hash_as_hex_and_nothing_that_was_not_given()
    {
        using var dir = new TempStore();
        await using (var store = dir.Open())
        {
            await store.AddKeyAsync(Key("vk_0123456789abcdef", "bot"));
        }

        var file = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(dir.StorePath));
        Assert.Contains(Convert.ToHexStringLower(Key("x", "y").Hash)[..16], file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_from_before_version_4_gets_the_keys_table_and_keeps_its_calls()
    {
        using var dir = new TempStore();
        await using (var current = dir.Open())
        {
            await current.AppendAsync([new Core.Records.CallRecord { Id = Guid.CreateVersion7(T0), StartTime = T0 }]);
        }

        using (var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            OlderSchema.BackToVersion2(connection);
        }

        await using var store = dir.Open();
        Assert.Equal(1, await store.CountAsync());
        Assert.Empty(await store.ListKeysAsync());
        await store.AddKeyAsync(Key("vk_0123456789abcdef", "after-upgrade"));
        Assert.Single(await store.ListKeysAsync());
    }
}
