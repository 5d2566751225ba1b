-- Distributed mode: a cancel asked of another replica is stored with the batch, so that the
-- owner of its subscription applies it at its next lease renewal even when the NOTIFY was lost.
ALTER TABLE batch ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
