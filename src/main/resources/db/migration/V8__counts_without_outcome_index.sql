-- Intake writes one B-tree entry less per record (docs/performance.md, "Per-record cost").
--
-- batch_record_by_outcome (batch_id, outcome) took an entry for every record written,
-- waiting or not, to count a batch's outcomes. The answer to a batch's POST now takes its
-- counts from the intake itself, a batch run here from memory, and the rest (a batch not
-- run here, a dispatcher resuming a batch that ran before) count the batch's rows through
-- the primary key, which reads them in one range of (batch_id, idx).
DROP INDEX batch_record_by_outcome;

-- How many records the intake wrote rejected (the others wait): a batch queued and never
-- started is counted from here (its dispatcher's start, its view) instead of reading every
-- row. NULL for a batch whose intake did not keep it.
ALTER TABLE batch ADD COLUMN intake_rejected INT;
