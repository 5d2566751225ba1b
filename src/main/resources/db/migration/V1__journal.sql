-- The journal: everything accepted is written here before it is acknowledged (DESIGN.md §2).

CREATE TABLE subscription (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    settings    TEXT         NOT NULL,
    version     BIGINT       NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Accept order of batches: a record's place in time is (batch accept_seq, idx), so an older
-- record of a customer can be told from a newer one across batches.
CREATE SEQUENCE batch_accept_seq START WITH 1;

CREATE TABLE batch (
    id               VARCHAR(36)  NOT NULL PRIMARY KEY,
    accept_seq       BIGINT       NOT NULL,
    subscription_id  VARCHAR(64)  NOT NULL,
    source           VARCHAR(16)  NOT NULL,
    status           VARCHAR(32)  NOT NULL,
    status_reason    VARCHAR(1000),
    priority         INT          NOT NULL DEFAULT 0,
    dry_run          BOOLEAN      NOT NULL DEFAULT FALSE,
    force_send       BOOLEAN      NOT NULL DEFAULT FALSE,
    debug            BOOLEAN      NOT NULL DEFAULT FALSE,
    total            INT          NOT NULL,
    idempotency_key  VARCHAR(200),
    body_hash        VARCHAR(64),
    retry_of         VARCHAR(36),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX batch_idempotency ON batch (subscription_id, idempotency_key);
CREATE INDEX batch_by_subscription_status ON batch (subscription_id, status);

CREATE TABLE batch_record (
    batch_id             VARCHAR(36)   NOT NULL,
    idx                  INT           NOT NULL,
    ipaas_customer_id    VARCHAR(64),
    email                VARCHAR(320),
    payload              TEXT,
    outcome              VARCHAR(16),
    stamped_customer_id  VARCHAR(64),
    attempts             INT           NOT NULL DEFAULT 0,
    duration_ms          BIGINT,
    error_code           VARCHAR(40),
    error_message        VARCHAR(2000),
    http_status          INT,
    trace                TEXT,
    finished_at          TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (batch_id, idx)
);
CREATE INDEX batch_record_by_outcome ON batch_record (batch_id, outcome);

CREATE TABLE batch_event (
    batch_id    VARCHAR(36)  NOT NULL,
    seq         BIGINT       NOT NULL,
    type        VARCHAR(16)  NOT NULL,
    data        TEXT         NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (batch_id, seq)
);

CREATE TABLE customer_link (
    subscription_id      VARCHAR(64)  NOT NULL,
    ipaas_customer_id    VARCHAR(64)  NOT NULL,
    stamped_customer_id  VARCHAR(64)  NOT NULL,
    fingerprint          VARCHAR(64),
    subscribed           BOOLEAN,
    source_batch_seq     BIGINT       NOT NULL,
    source_idx           INT          NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (subscription_id, ipaas_customer_id)
);
