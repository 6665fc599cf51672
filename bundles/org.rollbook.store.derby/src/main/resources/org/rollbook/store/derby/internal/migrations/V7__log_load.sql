-- Schema 7: the table function a load's log lines are inserted from (PatronStore.load, second pass).
-- The log table is never empty, so Derby inserts these rows one at a time, as it does a JDBC batch's,
-- but in one statement: the table and its index are opened once for the whole run, not once a line.
-- The columns are LogLines' insert columns without changes_long: a line whose changes need the CLOB
-- goes in by the ordinary insert. PatronLoad hands Derby each row by position, as for load_patrons.

CREATE FUNCTION load_log_lines(handle BIGINT) RETURNS TABLE (
  operation_id BIGINT,
  seq          BIGINT,
  situation    VARCHAR(20),
  outcome      VARCHAR(20),
  patron_type  VARCHAR(20),
  site         VARCHAR(255),
  source_id    VARCHAR(1000),
  patron_id    BIGINT,
  match_key    VARCHAR(100),
  blank_keys   VARCHAR(1000),
  candidates   VARCHAR(4000),
  reason       VARCHAR(4000),
  changes      VARCHAR(32000)
)
LANGUAGE JAVA PARAMETER STYLE DERBY_JDBC_RESULT_SET NO SQL
EXTERNAL NAME 'org.rollbook.store.derby.internal.PatronLoad.rows';
