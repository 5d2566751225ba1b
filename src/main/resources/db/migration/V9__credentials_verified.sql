-- Distributed mode (package cluster): the last verify that found a subscription's keys
-- good, per subscription, so that its owner learns of it at its next lease renewal even
-- when the NOTIFY was lost. A table of its own rather than a column of subscription:
-- subscriptions set in configuration have no row there, and are verified all the same.
-- verify_number grows with every verify of the subscription, so that the owner applies
-- each verify once. Unused by the embedded H2 journal.

CREATE TABLE credentials_verified (
    subscription_id   VARCHAR(64) NOT NULL PRIMARY KEY,
    settings_version  BIGINT      NOT NULL,
    verify_number     BIGINT      NOT NULL
);
