-- Issue 18, alerts. Two record fields the tool failure rate needs: the tool_result blocks a request
-- sent back (its last user message) and how many of them were is_error: true. NULL on rows stored
-- before this version (read as 0: the count was not taken).
ALTER TABLE calls ADD COLUMN tool_results INTEGER;
ALTER TABLE calls ADD COLUMN tool_result_errors INTEGER;

-- One row per alert of the evaluator (docs/alerts.md): a rule's condition holding for one group.
-- status: 'pending' (the condition holds, not yet for the rule's `for`), 'firing' (notified) or
-- 'resolved' (history). A pending alert that clears before it fires is deleted: it was never an
-- alert. The evaluator restores pending and firing rows when the gateway starts, so a restart neither
-- repeats a notification nor forgets one that is owed; resolved rows are the history /api/alerts and
-- the dashboard show. No PRIMARY KEY (see 001): ids are UUIDv7 and the store replaces a row by
-- deleting and inserting it in one transaction.
CREATE TABLE alerts (
    id                UUID NOT NULL,
    rule              VARCHAR NOT NULL,
    metric            VARCHAR NOT NULL,
    severity          VARCHAR NOT NULL,
    -- {"model": "claude-sonnet-4-6"}: the rule's group_by labels and this alert's values ({} when ungrouped).
    group_labels      JSON NOT NULL,
    status            VARCHAR NOT NULL,
    value             DOUBLE NOT NULL,
    threshold         DOUBLE NOT NULL,
    comparison        VARCHAR NOT NULL,
    calls             BIGINT NOT NULL,
    window_s          DOUBLE NOT NULL,
    -- When the condition began to hold (the pending start), when it fired, when it cleared.
    started_at        TIMESTAMPTZ NOT NULL,
    fired_at          TIMESTAMPTZ,
    ended_at          TIMESTAMPTZ,
    last_notified_at  TIMESTAMPTZ,
    -- The largest (or, for a below rule, smallest) value seen while it was active.
    worst_value       DOUBLE NOT NULL
);
