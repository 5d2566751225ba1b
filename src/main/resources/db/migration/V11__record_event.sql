-- Record events numbered in a table of their own, written at a record's outcome only
-- (docs/performance.md, "Per-record cost").
--
-- batch_record_by_event (batch_id, event_seq) replayed a batch's record events in order.
-- H2 has no partial index: every record took an entry at intake already (its event_seq
-- NULL), and its outcome update then removed that entry and wrote the numbered one. Here a
-- record event is one row of record_event, keyed by its batch's accept_seq times 2^32 plus
-- its number (as record_key is by the index), written with the outcome: nothing at
-- intake, one entry at the outcome. A batch's events are one range of the key, in order.
-- batch_record.event_seq stays the record's number; a record_event row counts only while
-- its record still carries that number.
CREATE TABLE record_event (
    event_key   BIGINT NOT NULL PRIMARY KEY,
    record_key  BIGINT NOT NULL
);

-- One row per number: two records that took the same number (a race of two replicas)
-- leave one of them.
INSERT INTO record_event (event_key, record_key)
SELECT event_key, MIN(record_key) FROM (
    SELECT b.accept_seq * 4294967296 + r.event_seq AS event_key, r.record_key
    FROM batch_record r JOIN batch b ON b.id = r.batch_id
    WHERE r.event_seq IS NOT NULL
) numbered GROUP BY event_key;

DROP INDEX batch_record_by_event;
