-- Per-record cost of the journal (docs/performance.md, "Per-record cost").
--
-- A record's event is derived from its batch_record row: event_seq is its number in the
-- batch's event log (NULL while the record waits, or for a record that ended without an
-- event). batch_event keeps the status and progress events only.
ALTER TABLE batch_record ADD COLUMN event_seq BIGINT;
CREATE INDEX batch_record_by_event ON batch_record (batch_id, event_seq);

-- VARCHAR rather than TEXT where the length is bounded: on H2, TEXT is a CLOB, kept apart
-- from its row once longer than a few hundred bytes. A payload is at most
-- stamped-sync.batches.max-record-bytes long, and that setting at most 1 MiB.
ALTER TABLE batch_record ALTER COLUMN payload SET DATA TYPE VARCHAR(1048576);
ALTER TABLE batch_event ALTER COLUMN data SET DATA TYPE VARCHAR(1048576);
