-- Distributed mode (package cluster): live replicas and one lease per subscription. Unused by
-- the embedded H2 journal, where one process owns everything.

CREATE TABLE replica (
    id            VARCHAR(100) NOT NULL PRIMARY KEY,
    heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE subscription_lease (
    subscription_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    owner            VARCHAR(100) NOT NULL,
    fencing_token    BIGINT       NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
