-- The billed split of cache writes, 5-minute and 1-hour, as Claudit computes it when it appends a
-- record (TokenUsage.EffectiveCacheWrite5m / 1h: no split reported means all writes are 5-minute).
-- Queries read these columns instead of re-deriving the rule in SQL. Rows stored before this
-- version are filled by SchemaMigrations' backfill, in C#, with the same rule. NULL: no usage.
ALTER TABLE calls ADD COLUMN cache_write_5m_billed BIGINT;
ALTER TABLE calls ADD COLUMN cache_write_1h_billed BIGINT;
