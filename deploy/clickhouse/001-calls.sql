-- ClickHouse schema for Claudit (docs/scale-out.md). Applied in order by ClickHouseSchema, each script once,
-- recorded in schema_version; statements are separated by a line ending in ';' (the HTTP interface runs one
-- statement per request). Kept to what ClickHouse 18.16 (Debian's package) and current releases both accept:
-- no TTL (retention drops day partitions), no LowCardinality, no DateTime64, no JSON type.
--
-- One row per call record. The columns are what reports, the dashboard, budgets and alerts filter and
-- aggregate on; `record` is the record as its JSON line (docs/record-format.md), what GetCall and the
-- alert replay read back, so every field round-trips exactly without a column per field.
-- Partitioned by UTC day (retention drops whole days); ordered by start time then id: every report and
-- dashboard query is bounded by time, and (start_time, id) identifies a record, so ReplacingMergeTree
-- collapses a record stored twice (a replay racing another writer) at its next merge.
CREATE TABLE IF NOT EXISTS calls (
    id                      UUID,
    start_time              DateTime('UTC'),
    -- 100 ns ticks since the Unix epoch: the exact start time (.NET's resolution), ordering and bucketing.
    ticks                   Int64,
    source                  String,
    endpoint                String,
    endpoint_kind           String,
    streaming               UInt8,
    model_requested         Nullable(String),
    model_used              Nullable(String),
    -- model_used, else model_requested (CallRecord.PricedModel): the model whose price applies.
    priced_model            Nullable(String),
    status                  String,
    http_status             Nullable(Int32),
    error_type              Nullable(String),
    error_message           Nullable(String),
    error_origin            Nullable(String),
    stop_reason             Nullable(String),
    max_tokens              Nullable(Int32),
    input_tokens            Nullable(Int64),
    output_tokens           Nullable(Int64),
    cache_creation_tokens   Nullable(Int64),
    cache_read_tokens       Nullable(Int64),
    thinking_tokens         Nullable(Int64),
    -- Cache writes as billed (TokenUsage.EffectiveCacheWrite5m / 1h), derived at append.
    cache_write_5m_billed   Nullable(Int64),
    cache_write_1h_billed   Nullable(Int64),
    web_search_requests     Nullable(Int64),
    web_fetch_requests      Nullable(Int64),
    service_tier            Nullable(String),
    inference_geo           Nullable(String),
    speed                   Nullable(String),
    cost_priced             Nullable(UInt8),
    cost_usd                Nullable(Decimal128(24)),
    cost_input_usd          Nullable(Decimal128(24)),
    cost_cache_write_5m_usd Nullable(Decimal128(24)),
    cost_cache_write_1h_usd Nullable(Decimal128(24)),
    cost_cache_read_usd     Nullable(Decimal128(24)),
    cost_output_usd         Nullable(Decimal128(24)),
    cost_web_search_usd     Nullable(Decimal128(24)),
    price_table_version     Nullable(String),
    latency_ms              Float64,
    ttft_ms                 Nullable(Float64),
    output_tokens_per_second Nullable(Float64),
    request_id              Nullable(String),
    tag_user                Nullable(String),
    tag_tenant              Nullable(String),
    tag_feature             Nullable(String),
    -- CallTags.SessionKey: the session tag, else the conversation tag.
    session_key             Nullable(String),
    parent_id               Nullable(String),
    -- The retry's attempt number (0 for the first try), the W3C trace it belongs to, and the caller-defined
    -- properties (Claudit-Property-*) as names and values at the same index (18.16's visitParam functions
    -- do not unescape \u escapes, so a JSON object could not be matched exactly): the drill-down filters on them.
    attempt                 Nullable(Int32),
    trace_id                Nullable(String),
    property_names          Array(String),
    property_values         Array(String),
    -- The gateway's virtual key (properties.virtual_key / virtual_key_name): what key-scoped budgets count.
    virtual_key             Nullable(String),
    virtual_key_name        Nullable(String),
    quality_flags           Nullable(String),
    context_utilisation     Nullable(Float64),
    tool_calls              Nullable(String),
    -- The tool calls' names, comma-joined in order, and their number (18.16 has no JSONExtract to read tool_calls).
    tool_names              Nullable(String),
    tool_count              Int64,
    tool_results            Nullable(Int64),
    tool_result_errors      Nullable(Int64),
    batch_id                Nullable(String),
    batch_status            Nullable(String),
    batch_request_count     Nullable(Int64),
    record                  String
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(start_time)
ORDER BY (start_time, id);

-- How far each gateway's journal has been applied: per writer (a gateway's instance id) and journal file,
-- the offset just past the last line stored. Written after the batch's records are stored (ClickHouse has
-- no transactions): a crash replays at most that batch, which the append's id check makes harmless.
CREATE TABLE IF NOT EXISTS journal_position (
    writer      String,
    file        String,
    byte_offset Int64,
    updated     Int64
) ENGINE = ReplacingMergeTree(updated)
ORDER BY (writer, file);

-- The small state the gateways keep (alerts, virtual keys, batches, reconciliations): one JSON document per
-- key and kind, the newest version wins; a deleted document is a newer version marked deleted.
CREATE TABLE IF NOT EXISTS state (
    kind    String,
    key     String,
    version Int64,
    deleted UInt8,
    doc     String
) ENGINE = ReplacingMergeTree(version)
ORDER BY (kind, key);
