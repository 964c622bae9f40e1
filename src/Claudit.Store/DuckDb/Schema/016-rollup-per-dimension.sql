-- Issue 16: one rollup table per dimension. In call_rollup and call_rollup_daily every dimension's rows were
-- interleaved batch by batch, so a query for one dimension read them all: the `all` rows the overview reads
-- are 1.6% of call_rollup (tenants are 65%), and DuckDB's min/max per row group cannot skip the rest. Each
-- dimension now has a table of its own, ordered by time: call_rollup_<dim> by minute (all, model, feature,
-- tenant, error_type, price_table) and call_rollup_daily_<dim> by day (user, session), with the columns of
-- call_rollup less `dim`. The rows are moved over as they are; RollupSql adds each appended batch to each.

CREATE TABLE call_rollup_all (
    minute BIGINT NOT NULL, endpoint_kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    calls BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, priced BIGINT NOT NULL,
    unpriced_with_usage BIGINT NOT NULL, billable BIGINT NOT NULL, cost_usd DECIMAL(38, 24) NOT NULL,
    cost_input_usd DECIMAL(38, 24) NOT NULL, cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL, cost_cache_read_usd DECIMAL(38, 24) NOT NULL,
    cost_output_usd DECIMAL(38, 24) NOT NULL, cost_web_search_usd DECIMAL(38, 24) NOT NULL,
    input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, total_input_tokens BIGINT NOT NULL,
    PRIMARY KEY (minute, endpoint_kind, key)
);
INSERT INTO call_rollup_all SELECT minute, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd, cost_web_search_usd, input_tokens, output_tokens, cache_read_tokens, total_input_tokens FROM call_rollup WHERE dim = 'all' ORDER BY minute, endpoint_kind, key;

CREATE TABLE call_rollup_model (
    minute BIGINT NOT NULL, endpoint_kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    calls BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, priced BIGINT NOT NULL,
    unpriced_with_usage BIGINT NOT NULL, billable BIGINT NOT NULL, cost_usd DECIMAL(38, 24) NOT NULL,
    cost_input_usd DECIMAL(38, 24) NOT NULL, cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL, cost_cache_read_usd DECIMAL(38, 24) NOT NULL,
    cost_output_usd DECIMAL(38, 24) NOT NULL, cost_web_search_usd DECIMAL(38, 24) NOT NULL,
    input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, total_input_tokens BIGINT NOT NULL,
    PRIMARY KEY (minute, endpoint_kind, key)
);
INSERT INTO call_rollup_model SELECT minute, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd, cost_web_search_usd, input_tokens, output_tokens, cache_read_tokens, total_input_tokens FROM call_rollup WHERE dim = 'model' ORDER BY minute, endpoint_kind, key;

CREATE TABLE call_rollup_feature (
    minute BIGINT NOT NULL, endpoint_kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    calls BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, priced BIGINT NOT NULL,
    unpriced_with_usage BIGINT NOT NULL, billable BIGINT NOT NULL, cost_usd DECIMAL(38, 24) NOT NULL,
    cost_input_usd DECIMAL(38, 24) NOT NULL, cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL, cost_cache_read_usd DECIMAL(38, 24) NOT NULL,
    cost_output_usd DECIMAL(38, 24) NOT NULL, cost_web_search_usd DECIMAL(38, 24) NOT NULL,
    input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, total_input_tokens BIGINT NOT NULL,
    PRIMARY KEY (minute, endpoint_kind, key)
);
INSERT INTO call_rollup_feature SELECT minute, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd, cost_web_search_usd, input_tokens, output_tokens, cache_read_tokens, total_input_tokens FROM call_rollup WHERE dim = 'feature' ORDER BY minute, endpoint_kind, key;

CREATE TABLE call_rollup_tenant (
    minute BIGINT NOT NULL, endpoint_kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    calls BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, priced BIGINT NOT NULL,
    unpriced_with_usage BIGINT NOT NULL, billable BIGINT NOT NULL, cost_usd DECIMAL(38, 24) NOT NULL,
    cost_input_usd DECIMAL(38, 24) NOT NULL, cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL, cost_cache_read_usd DECIMAL(38, 24) NOT NULL,
    cost_output_usd DECIMAL(38, 24) NOT NULL, cost_web_search_usd DECIMAL(38, 24) NOT NULL,
    input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, total_input_tokens BIGINT NOT NULL,
    PRIMARY KEY (minute, endpoint_kind, key)
);
INSERT INTO call_rollup_tenant SELECT minute, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd, cost_web_search_usd, input_tokens, output_tokens, cache_read_tokens, total_input_tokens FROM call_rollup WHERE dim = 'tenant' ORDER BY minute, endpoint_kind, key;

CREATE TABLE call_rollup_error_type (
    minute BIGINT NOT NULL, endpoint_kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    calls BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, priced BIGINT NOT NULL,
    unpriced_with_usage BIGINT NOT NULL, billable BIGINT NOT NULL, cost_usd DECIMAL(38, 24) NOT NULL,
    cost_input_usd DECIMAL(38, 24) NOT NULL, cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL, cost_cache_read_usd DECIMAL(38, 24) NOT NULL,
    cost_output_usd DECIMAL(38, 24) NOT NULL, cost_web_search_usd DECIMAL(38, 24) NOT NULL,
    input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, total_input_tokens BIGINT NOT NULL,
    PRIMARY KEY (minute, endpoint_kind, key)
);
INSERT INTO call_rollup_error_type SELECT minute, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd, cost_web_search_usd, input_tokens, output_tokens, cache_read_tokens, total_input_tokens FROM call_rollup WHERE dim = 'error_type' ORDER BY minute, endpoint_kind, key;

CREATE TABLE call_rollup_price_table (
    minute BIGINT NOT NULL, endpoint_kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    calls BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, priced BIGINT NOT NULL,
    unpriced_with_usage BIGINT NOT NULL, billable BIGINT NOT NULL, cost_usd DECIMAL(38, 24) NOT NULL,
    cost_input_usd DECIMAL(38, 24) NOT NULL, cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL, cost_cache_read_usd DECIMAL(38, 24) NOT NULL,
    cost_output_usd DECIMAL(38, 24) NOT NULL, cost_web_search_usd DECIMAL(38, 24) NOT NULL,
    input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, total_input_tokens BIGINT NOT NULL,
    PRIMARY KEY (minute, endpoint_kind, key)
);
INSERT INTO call_rollup_price_table SELECT minute, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd, cost_web_search_usd, input_tokens, output_tokens, cache_read_tokens, total_input_tokens FROM call_rollup WHERE dim = 'price_table' ORDER BY minute, endpoint_kind, key;

DROP TABLE call_rollup;

CREATE TABLE call_rollup_daily_user (
    day BIGINT NOT NULL, endpoint_kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    calls BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, priced BIGINT NOT NULL,
    unpriced_with_usage BIGINT NOT NULL, billable BIGINT NOT NULL, cost_usd DECIMAL(38, 24) NOT NULL,
    cost_input_usd DECIMAL(38, 24) NOT NULL, cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL, cost_cache_read_usd DECIMAL(38, 24) NOT NULL,
    cost_output_usd DECIMAL(38, 24) NOT NULL, cost_web_search_usd DECIMAL(38, 24) NOT NULL,
    input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, total_input_tokens BIGINT NOT NULL,
    PRIMARY KEY (day, endpoint_kind, key)
);
INSERT INTO call_rollup_daily_user SELECT day, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd, cost_web_search_usd, input_tokens, output_tokens, cache_read_tokens, total_input_tokens FROM call_rollup_daily WHERE dim = 'user' ORDER BY day, endpoint_kind, key;

CREATE TABLE call_rollup_daily_session (
    day BIGINT NOT NULL, endpoint_kind VARCHAR NOT NULL, key VARCHAR NOT NULL,
    calls BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, priced BIGINT NOT NULL,
    unpriced_with_usage BIGINT NOT NULL, billable BIGINT NOT NULL, cost_usd DECIMAL(38, 24) NOT NULL,
    cost_input_usd DECIMAL(38, 24) NOT NULL, cost_cache_write_5m_usd DECIMAL(38, 24) NOT NULL,
    cost_cache_write_1h_usd DECIMAL(38, 24) NOT NULL, cost_cache_read_usd DECIMAL(38, 24) NOT NULL,
    cost_output_usd DECIMAL(38, 24) NOT NULL, cost_web_search_usd DECIMAL(38, 24) NOT NULL,
    input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, total_input_tokens BIGINT NOT NULL,
    PRIMARY KEY (day, endpoint_kind, key)
);
INSERT INTO call_rollup_daily_session SELECT day, endpoint_kind, key, calls, errors, retries, priced, unpriced_with_usage, billable, cost_usd, cost_input_usd, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_read_usd, cost_output_usd, cost_web_search_usd, input_tokens, output_tokens, cache_read_tokens, total_input_tokens FROM call_rollup_daily WHERE dim = 'session' ORDER BY day, endpoint_kind, key;

DROP TABLE call_rollup_daily;
