-- Virtual keys (docs/budgets.md#virtual-keys), made by `claudit keys create` or POST /api/keys. The key
-- itself is shown once and never stored: only an HMAC-SHA256 of it under a random salt of its own.
-- A key is never deleted, only revoked (revoked_at), so that the calls it made keep naming it.
CREATE TABLE virtual_keys (
    id            VARCHAR NOT NULL PRIMARY KEY,
    name          VARCHAR NOT NULL,
    -- Lower-case hex.
    salt          VARCHAR NOT NULL,
    hash          VARCHAR NOT NULL,
    -- The tags every call made with the key carries, whatever the caller's headers say.
    tag_user      VARCHAR,
    tag_tenant    VARCHAR,
    tag_feature   VARCHAR,
    -- The models the key may call, comma-separated; NULL: any.
    models        VARCHAR,
    -- The key's own budget (block) and requests-per-minute limit; NULL: none.
    budget_usd    DECIMAL(38, 24),
    budget_window VARCHAR,
    rpm           INTEGER,
    expires_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ
);
