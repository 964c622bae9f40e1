-- Issue 13: the endpoint dimension and the Message Batches Claudit follows.
-- endpoint_kind: EndpointKinds.Classify of the call (messages, count_tokens, batches, batch_result,
-- models, files, other), computed when a record is appended; rows stored before this version are
-- filled by SchemaMigrations' backfill, in C#, from their endpoint path.
ALTER TABLE calls ADD COLUMN endpoint_kind VARCHAR;
-- The Message Batch a call belongs to (record field `batch`): its id; on results the request's
-- custom_id and how it ended (succeeded, errored, canceled, expired); on management calls the batch's
-- processing_status and request count as the answer showed them.
ALTER TABLE calls ADD COLUMN batch_id VARCHAR;
ALTER TABLE calls ADD COLUMN batch_custom_id VARCHAR;
ALTER TABLE calls ADD COLUMN batch_result VARCHAR;
ALTER TABLE calls ADD COLUMN batch_status VARCHAR;
ALTER TABLE calls ADD COLUMN batch_request_count BIGINT;

-- The batches the gateway has seen (created, retrieved, listed, canceled through it), so that it
-- remembers them across restarts: the tags of the call that created a batch go onto its results, and
-- a batch that ended without its results being read through the gateway is listed as a gap.
CREATE TABLE batches (
    id                       VARCHAR NOT NULL PRIMARY KEY,
    created_at               TIMESTAMPTZ,
    expires_at               TIMESTAMPTZ,
    ended_at                 TIMESTAMPTZ,
    processing_status        VARCHAR,
    request_count            BIGINT,
    succeeded                BIGINT NOT NULL DEFAULT 0,
    errored                  BIGINT NOT NULL DEFAULT 0,
    canceled                 BIGINT NOT NULL DEFAULT 0,
    expired                  BIGINT NOT NULL DEFAULT 0,
    -- True when the create call went through the gateway (its tags are then known).
    created_through_gateway  BOOLEAN NOT NULL DEFAULT false,
    create_call_id           UUID,
    tag_user                 VARCHAR,
    tag_tenant               VARCHAR,
    tag_feature              VARCHAR,
    tag_session              VARCHAR,
    tag_conversation         VARCHAR,
    properties               JSON,
    first_seen               TIMESTAMPTZ NOT NULL,
    last_seen                TIMESTAMPTZ NOT NULL,
    -- When the results were last read through the gateway, and how many records they made.
    results_read_at          TIMESTAMPTZ,
    results_records          BIGINT NOT NULL DEFAULT 0
);
