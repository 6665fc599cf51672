-- Schema 6: the table function a bulk load inserts from (PatronStore.load, the first sync of a new store).
-- Derby inserts from a table function into an empty table the way its import does: the rows into a new
-- heap, each index built once by sorting, in the caller's transaction. The columns are those of
-- DerbyPatronStore's insert, in that order: PatronLoad hands Derby each row by position.

CREATE FUNCTION load_patrons(handle BIGINT) RETURNS TABLE (
  id                 BIGINT,
  patron_type        VARCHAR(20),
  policy             VARCHAR(100),
  integration        VARCHAR(200),
  provenance         VARCHAR(2000),
  created_at         TIMESTAMP,
  updated_at         TIMESTAMP,
  roster_digest      VARCHAR(64),
  guid               VARCHAR(255),
  barcode            VARCHAR(255),
  community_id       VARCHAR(255),
  first_name         VARCHAR(255),
  middle_name        VARCHAR(255),
  last_name          VARCHAR(255),
  birthdate          DATE,
  sex                VARCHAR(1),
  address            VARCHAR(500),
  city               VARCHAR(255),
  state              VARCHAR(100),
  postal_code        VARCHAR(40),
  phone              VARCHAR(100),
  email              VARCHAR(320),
  additional_contact VARCHAR(2000),
  other_emails       VARCHAR(2000),
  location           VARCHAR(255),
  level              VARCHAR(40),
  username           VARCHAR(255),
  site               VARCHAR(100),
  status             SMALLINT
)
LANGUAGE JAVA PARAMETER STYLE DERBY_JDBC_RESULT_SET NO SQL
EXTERNAL NAME 'org.rollbook.store.derby.internal.PatronLoad.rows';
