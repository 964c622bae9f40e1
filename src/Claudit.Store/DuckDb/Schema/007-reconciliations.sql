-- Issue 15: what `claudit serve --admin-key-env` reconciled of each finished UTC day (docs/reconcile.md):
-- one row per day × billed model × service tier, Claudit's recorded usage and cost beside what Anthropic's
-- Admin usage and cost reports billed, and the verdict. A day reconciled again replaces its rows.
-- billed_cost_usd is NULL for tiers the cost report does not bill (priority, flex).
CREATE TABLE reconciliations (
    bucket                   TIMESTAMPTZ NOT NULL,
    model                    VARCHAR NOT NULL,
    service_tier             VARCHAR NOT NULL,
    recorded_input           BIGINT NOT NULL,
    recorded_cache_write_5m  BIGINT NOT NULL,
    recorded_cache_write_1h  BIGINT NOT NULL,
    recorded_cache_read      BIGINT NOT NULL,
    recorded_output          BIGINT NOT NULL,
    recorded_web_searches    BIGINT NOT NULL,
    recorded_cost_usd        DECIMAL(38, 24),
    billed_input             BIGINT NOT NULL,
    billed_cache_write_5m    BIGINT NOT NULL,
    billed_cache_write_1h    BIGINT NOT NULL,
    billed_cache_read        BIGINT NOT NULL,
    billed_output            BIGINT NOT NULL,
    billed_web_searches      BIGINT NOT NULL,
    billed_cost_usd          DECIMAL(38, 24),
    verdict                  VARCHAR NOT NULL,
    reconciled_at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (bucket, model, service_tier)
);
