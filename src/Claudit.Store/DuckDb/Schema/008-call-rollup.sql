-- Issue 16: per-minute rollups of the calls, maintained as records are stored (DuckDbCallStore appends
-- a batch's rows here in the same transaction), so that the dashboard's time series, totals and
-- breakdowns read a few thousand rows instead of a million. One row per minute × endpoint kind ×
-- dimension × key: dimension `all` (key ''), `model` (the billed model), `feature`, `tenant`,
-- `error_type` (errors only; '' for the rest) and `price_table` (the price table a priced call names).
-- Keys stand for NULL with '(none)'. Rows stored before this version are rolled up by SchemaMigrations'
-- backfill with the same statement (RollupSql.Add). Cost is the recorded cost of the priced calls.
CREATE TABLE call_rollup (
    -- The minute's start, 100 ns ticks since the Unix epoch (StoreTime.TicksSql rounded down).
    minute               BIGINT NOT NULL,
    endpoint_kind        VARCHAR NOT NULL,
    dim                  VARCHAR NOT NULL,
    key                  VARCHAR NOT NULL,
    calls                BIGINT NOT NULL,
    errors               BIGINT NOT NULL,
    -- Attempts linked to an earlier failed attempt (tags.parent_id): each stands for one retried failure.
    retries              BIGINT NOT NULL,
    priced               BIGINT NOT NULL,
    unpriced_with_usage  BIGINT NOT NULL,
    billable             BIGINT NOT NULL,
    cost_usd             DECIMAL(38, 24) NOT NULL,
    cost_input_usd       DECIMAL(38, 24) NOT NULL,
    cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_read_usd  DECIMAL(38, 24) NOT NULL,
    cost_output_usd      DECIMAL(38, 24) NOT NULL,
    cost_web_search_usd  DECIMAL(38, 24) NOT NULL,
    input_tokens         HUGEINT NOT NULL,
    output_tokens        HUGEINT NOT NULL,
    cache_read_tokens    HUGEINT NOT NULL,
    total_input_tokens   HUGEINT NOT NULL,
    PRIMARY KEY (minute, endpoint_kind, dim, key)
);
