-- Intake writes one B-tree entry less per record (docs/performance.md, "Per-record cost").
--
-- batch_record_by_outcome (batch_id, outcome) took an entry for every record written,
-- waiting or not, to count a batch's outcomes. The answer to a batch's POST now takes its
-- counts from the intake itself, a batch run here from memory, and the rest (a
-- dispatcher's start, a batch not run here) count the batch's rows through the primary
-- key, which reads them in one range of (batch_id, idx).
DROP INDEX batch_record_by_outcome;
