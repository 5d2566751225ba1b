-- Tracking guids of delivered hook notifications, so a redelivery is not transferred twice.
-- batch_id stays NULL while the delivery is being written to the journal; a claim left NULL
-- (the gateway stopped in between) is taken over after stamped-sync.ipaas.hook-claim-timeout.
CREATE TABLE hook_delivery (
    subscription_id  VARCHAR(64)   NOT NULL,
    tracking_guid    VARCHAR(200)  NOT NULL,
    batch_id         VARCHAR(36),
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (subscription_id, tracking_guid)
);
CREATE INDEX hook_delivery_by_received ON hook_delivery (received_at);
