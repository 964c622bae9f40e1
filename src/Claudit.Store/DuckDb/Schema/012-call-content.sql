-- Issue 16: what calls said and answered, when the gateway captures content (`claudit serve --capture-content`,
-- off by default). Redacted before it is written (ContentRedactor); kept apart from `calls`, joined by call id.
-- start_time is the call's, so content can be dropped by age on its own (retention). messages is a JSON array
-- [{"role","text"}] (system prompt first); output is the answer's text, both cut at a size cap with a marker.
CREATE TABLE call_content (
    call_id    UUID PRIMARY KEY,
    start_time TIMESTAMPTZ NOT NULL,
    model      VARCHAR,
    messages   VARCHAR NOT NULL,
    output     VARCHAR
);
