-- How far into each journal file the store has applied (docs/store.md): one row per file of the
-- journal directory (calls-YYYY-MM-DD.jsonl), the byte offset just past the last line applied. It is
-- written in the same transaction as the records it covers, so after any crash the store resumes
-- from exactly where its last committed batch ended and catches up with the journal.
CREATE TABLE IF NOT EXISTS journal_position (
    file        VARCHAR PRIMARY KEY,
    byte_offset BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
