-- Columns derived from a record by Claudit's own rules, computed in C# when it appends the record, so
-- that queries read them instead of re-deriving the rules in SQL. Rows stored before this version are
-- filled by SchemaMigrations' backfill, in C#, with the same rules.
-- The billed split of cache writes, 5-minute and 1-hour (TokenUsage.EffectiveCacheWrite5m / 1h: no
-- split reported means all writes are 5-minute); NULL: no usage.
ALTER TABLE calls ADD COLUMN cache_write_5m_billed BIGINT;
ALTER TABLE calls ADD COLUMN cache_write_1h_billed BIGINT;
-- The session a call belongs to (CallTags.SessionKey: the session tag, else the conversation tag).
ALTER TABLE calls ADD COLUMN session_key VARCHAR;
