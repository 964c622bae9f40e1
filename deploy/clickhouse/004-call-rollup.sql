-- Issue 14: per-minute sums of the calls for the dashboard's counts and costs (ClickHouseRollup), so that the
-- Overview and Cost views over a long range read one row per minute, endpoint kind and key instead of every call.
-- dim names what `key` is: 'all' (key ''), 'model' (the billed model), 'feature', 'tenant' ('(none)' when the tag
-- is absent), 'error_type' (the error's type, '' for a call that did not fail) and 'price_table' (the recorded
-- price table's version). A SummingMergeTree adds up rows of the same key only when it merges parts, so every
-- reader sums with GROUP BY. Costs are the record's cost over its priced calls, in the calls' own exact
-- Decimal128(24); token sums are Decimal128(0) so they cannot wrap (readers saturate them at the Int64 range).
-- Fed by the materialized view call_rollup_feed on `calls`, which ClickHouseSchema creates after this script from
-- the same SELECT the readers use for partial minutes, and backfilled from the calls stored before it.
-- Partitioned by UTC day like `calls`: retention drops a day's sums with its calls.
CREATE TABLE IF NOT EXISTS call_rollup (
    minute                 DateTime('UTC'),
    endpoint_kind          String,
    dim                    String,
    key                    String,
    n_calls                UInt64,
    n_errors               UInt64,
    n_retries              UInt64,
    n_priced               UInt64,
    n_unpriced_with_usage  UInt64,
    n_billable             UInt64,
    n_ttfts                UInt64,
    usd_total              Decimal128(24),
    usd_input              Decimal128(24),
    usd_5m                 Decimal128(24),
    usd_1h                 Decimal128(24),
    usd_read               Decimal128(24),
    usd_output             Decimal128(24),
    usd_web                Decimal128(24),
    tok_input              Decimal128(0),
    tok_output             Decimal128(0),
    tok_read               Decimal128(0),
    tok_total_input        Decimal128(0)
) ENGINE = SummingMergeTree
PARTITION BY toDate(minute)
ORDER BY (dim, minute, endpoint_kind, key);
