-- Issue 16, speed: hourly log-scale histograms of each call's latency, time to first token and output tokens per
-- second, maintained as records are stored (RollupSql.Add, in the append's transaction), so that the
-- dashboard's percentiles over a range of more than HistogramSql.ExactUpTo calls read a few thousand counts
-- instead of sorting every raw value (docs/store.md, "Latency histograms": within 1% of the exact value). One row per
-- hour × endpoint kind × dimension × key × metric × bucket: dimension `all` (key '') and `model` (the billed
-- model, '(none)' for NULL); metric is the calls column measured; bucket i holds the values in
-- (1.02^(i-1), 1.02^i] (LogHistogram), values ≤ 0 bucket -32768. Rows stored before this version are
-- added by SchemaMigrations' backfill with the same statement (HistogramSql.Add).
CREATE TABLE call_histogram (
    -- The hour's start, 100 ns ticks since the Unix epoch.
    hour           BIGINT NOT NULL,
    endpoint_kind  VARCHAR NOT NULL,
    dim            VARCHAR NOT NULL,
    key            VARCHAR NOT NULL,
    metric         VARCHAR NOT NULL,
    bucket         INTEGER NOT NULL,
    calls          BIGINT NOT NULL,
    PRIMARY KEY (hour, endpoint_kind, dim, key, metric, bucket)
);

-- The rollups' token sums become BIGINT: DuckDB sums a HUGEINT column about a hundred times slower than a
-- BIGINT one, and every dashboard view sums them. They saturate at BIGINT's ends, as the sums over calls do.
ALTER TABLE call_rollup ALTER input_tokens TYPE BIGINT USING CAST(greatest(least(input_tokens, 9223372036854775807), -9223372036854775808) AS BIGINT);
ALTER TABLE call_rollup ALTER output_tokens TYPE BIGINT USING CAST(greatest(least(output_tokens, 9223372036854775807), -9223372036854775808) AS BIGINT);
ALTER TABLE call_rollup ALTER cache_read_tokens TYPE BIGINT USING CAST(greatest(least(cache_read_tokens, 9223372036854775807), -9223372036854775808) AS BIGINT);
ALTER TABLE call_rollup ALTER total_input_tokens TYPE BIGINT USING CAST(greatest(least(total_input_tokens, 9223372036854775807), -9223372036854775808) AS BIGINT);
