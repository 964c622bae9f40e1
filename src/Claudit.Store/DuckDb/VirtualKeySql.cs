using System.Data.Common;
using Claudit.Store.Keys;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>The <c>virtual_keys</c> table (Schema/004): keys added, listed and revoked, never deleted.</summary>
internal static class VirtualKeySql
{
    private const string Columns = "id, name, salt, hash, tag_user, tag_tenant, tag_feature, models, CAST(budget_usd AS VARCHAR), budget_window, rpm, expires_at, created_at, revoked_at";

    public static void Add(DuckDBConnection connection, StoredVirtualKey key)
    {
        using var transaction = connection.BeginTransaction();
        using (var taken = connection.CreateCommand())
        {
            taken.Transaction = transaction;
            taken.CommandText = "SELECT count(*) FROM virtual_keys WHERE (name = $name AND revoked_at IS NULL) OR id = $id";
            taken.Parameters.Add(new DuckDBParameter("name", key.Name));
            taken.Parameters.Add(new DuckDBParameter("id", key.Id));
            if ((long)taken.ExecuteScalar()! > 0)
            {
                throw new StoreException($"a key named '{key.Name}' exists and is not revoked: revoke it first, or choose another name");
            }
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"""
            INSERT INTO virtual_keys ({Columns.Replace("CAST(budget_usd AS VARCHAR)", "budget_usd", StringComparison.Ordinal)})
            VALUES ($id, $name, $salt, $hash, $user, $tenant, $feature, $models, CAST($budget AS {Money}), $window, $rpm, $expires, $created, $revoked)
            """;
        insert.Parameters.Add(new DuckDBParameter("id", key.Id));
        insert.Parameters.Add(new DuckDBParameter("name", key.Name));
        insert.Parameters.Add(new DuckDBParameter("salt", Convert.ToHexStringLower(key.Salt)));
        insert.Parameters.Add(new DuckDBParameter("hash", Convert.ToHexStringLower(key.Hash)));
        insert.Parameters.Add(new DuckDBParameter("user", key.User));
        insert.Parameters.Add(new DuckDBParameter("tenant", key.Tenant));
        insert.Parameters.Add(new DuckDBParameter("feature", key.Feature));
        insert.Parameters.Add(new DuckDBParameter("models", key.Models.Count == 0 ? null : string.Join(',', key.Models)));
        insert.Parameters.Add(new DuckDBParameter("budget", key.BudgetUsd?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        insert.Parameters.Add(new DuckDBParameter("window", key.BudgetWindow));
        insert.Parameters.Add(new DuckDBParameter("rpm", key.RequestsPerMinute));
        insert.Parameters.Add(new DuckDBParameter("expires", key.ExpiresAt));
        insert.Parameters.Add(new DuckDBParameter("created", key.CreatedAt));
        insert.Parameters.Add(new DuckDBParameter("revoked", key.RevokedAt));
        insert.ExecuteNonQuery();
        transaction.Commit();
    }

    public static StoredVirtualKey[] List(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM virtual_keys ORDER BY created_at, id";
        using var d = command.ExecuteReader();
        var keys = new List<StoredVirtualKey>();
        while (d.Read())
        {
            keys.Add(Read(d));
        }

        return [.. keys];
    }

    public static StoredVirtualKey? Revoke(DuckDBConnection connection, string nameOrId, DateTimeOffset at)
    {
        using var transaction = connection.BeginTransaction();
        using var find = connection.CreateCommand();
        find.Transaction = transaction;
        // The id first: a name may have been reused by a later key once the first was revoked.
        find.CommandText = $"SELECT {Columns} FROM virtual_keys WHERE id = $key OR (name = $key AND revoked_at IS NULL) ORDER BY (id = $key) DESC LIMIT 1";
        find.Parameters.Add(new DuckDBParameter("key", nameOrId));
        StoredVirtualKey? key;
        using (var d = find.ExecuteReader())
        {
            key = d.Read() ? Read(d) : null;
        }

        if (key is null || key.RevokedAt is not null)
        {
            return key;
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE virtual_keys SET revoked_at = $at WHERE id = $id";
        update.Parameters.Add(new DuckDBParameter("at", at));
        update.Parameters.Add(new DuckDBParameter("id", key.Id));
        update.ExecuteNonQuery();
        transaction.Commit();
        return key with { RevokedAt = at };
    }

    private static StoredVirtualKey Read(DbDataReader d) => new()
    {
        Id = d.GetString(0),
        Name = d.GetString(1),
        Salt = Convert.FromHexString(d.GetString(2)),
        Hash = Convert.FromHexString(d.GetString(3)),
        User = Str(d, 4),
        Tenant = Str(d, 5),
        Feature = Str(d, 6),
        Models = Split(Str(d, 7)),
        BudgetUsd = d.IsDBNull(8) ? null : Dec(d, 8),
        BudgetWindow = Str(d, 9),
        RequestsPerMinute = Int(d, 10),
        ExpiresAt = Time(d, 11),
        CreatedAt = d.GetFieldValue<DateTimeOffset>(12),
        RevokedAt = Time(d, 13),
    };
}
