-- Issue 16: what calls said and answered, when the gateway captures content (`claudit serve --capture-content`,
-- off by default), redacted before it is written; joined to `calls` by call id. Partitioned by UTC day like
-- `calls`, so retention drops a day's content with its calls. messages is a JSON array [{"role","text"}];
-- ticks is the call's exact start (100 ns since the Unix epoch). A call's content written twice is one row
-- after a merge (ReplacingMergeTree); reads take any one of the copies, which are equal.
CREATE TABLE IF NOT EXISTS call_content (
    call_id    UUID,
    start_time DateTime('UTC'),
    ticks      Int64,
    model      Nullable(String),
    messages   String,
    output     Nullable(String)
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(start_time)
ORDER BY (start_time, call_id);
