-- Schema 5: three fewer indexes for every patron a sync creates to maintain (one patron row, one log line).
-- The log's situation filter reads the operation's lines through the primary key, as the outcome, type
-- and site filters already did. "Did a later run touch these patrons" reads the later runs' lines through
-- the primary key (there are rarely any: only the last applied run can be undone). The linked patrons of
-- an integration are read in one pass over the table (absence after a full sync, the footprint).

DROP INDEX operation_log_situation;
DROP INDEX operation_log_patron;
DROP INDEX patron_integration;
