-- Issue 16, speed: per-day rollups of the calls by user and by session, maintained as records are stored
-- (RollupSql.AddSums, in the append's transaction), so that the dashboard's top users and the sessions' cost
-- distribution read a row per user (session) and day instead of every call: both are too many for the per-minute
-- rollups (a row per user and minute is about a row per call). Same sums as call_rollup, one row per UTC day ×
-- endpoint kind × dimension × key: dimension `user` (tag_user, '(none)' for NULL) and `session` (session_key;
-- calls in no session are left out). Partial days at a range's ends are read from calls. Rows stored before this
-- version are added by SchemaMigrations' backfill with the same statement.
CREATE TABLE call_rollup_daily (
    -- The day's start (UTC), 100 ns ticks since the Unix epoch.
    day                  BIGINT NOT NULL,
    endpoint_kind        VARCHAR NOT NULL,
    dim                  VARCHAR NOT NULL,
    key                  VARCHAR NOT NULL,
    calls                BIGINT NOT NULL,
    errors               BIGINT NOT NULL,
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
    input_tokens         BIGINT NOT NULL,
    output_tokens        BIGINT NOT NULL,
    cache_read_tokens    BIGINT NOT NULL,
    total_input_tokens   BIGINT NOT NULL,
    PRIMARY KEY (day, endpoint_kind, dim, key)
);

-- The dearest priced call's cost per hour × endpoint kind, kept as records are stored (CostPeakSql.Add): the
-- cost view's "top calls" reads the k-th highest of these as a lower bound for the k dearest calls in range,
-- and DuckDB then skips every row group of calls whose dearest call is below it (its min/max per column).
CREATE TABLE call_cost_peak (
    hour                 BIGINT NOT NULL,
    endpoint_kind        VARCHAR NOT NULL,
    max_cost_usd         DECIMAL(38, 24) NOT NULL,
    PRIMARY KEY (hour, endpoint_kind)
);
