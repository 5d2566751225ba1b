-- A record's calls per direction: attempts holds them all, ipaas_calls those to iPaaS.com (the
-- rest went to Stamped.io), so the throughput history can be told apart per direction. Rows
-- written before this column count every attempt as a Stamped.io call.
ALTER TABLE batch_record ADD COLUMN ipaas_calls INT DEFAULT 0 NOT NULL;
