-- Schema 2: sync operations with their counts and logs, and each integration's state (cursors, checkpoints).
-- Enums are stored by name (situation, outcome, status, kind, trigger), patron types by their code.

CREATE TABLE operation (
  id           BIGINT        GENERATED ALWAYS AS IDENTITY (START WITH 1, INCREMENT BY 1) PRIMARY KEY,
  integration  VARCHAR(200)  NOT NULL,
  kind         VARCHAR(20)   NOT NULL,
  run_trigger  VARCHAR(20)   NOT NULL,
  preview      BOOLEAN       NOT NULL,
  patron_types VARCHAR(200)  NOT NULL,
  status       VARCHAR(20)   NOT NULL,
  created_at   TIMESTAMP     NOT NULL,
  started_at   TIMESTAMP,
  finished_at  TIMESTAMP,
  processed    BIGINT        NOT NULL DEFAULT 0,
  expected     BIGINT        NOT NULL DEFAULT 0,
  message      VARCHAR(4000),
  undo_of      BIGINT        NOT NULL DEFAULT 0
);
CREATE INDEX operation_integration ON operation (integration, id);
CREATE INDEX operation_finished ON operation (finished_at);

-- Counts have no foreign key to operation (nor has the log): the store deletes them with their operation.
-- A count without a type or a site holds '' there, so that the key is a primary key.
CREATE TABLE operation_count (
  operation_id BIGINT        NOT NULL,
  situation    VARCHAR(20)   NOT NULL,
  outcome      VARCHAR(20)   NOT NULL,
  patron_type  VARCHAR(20)   NOT NULL,
  site         VARCHAR(255)  NOT NULL,
  records      BIGINT        NOT NULL,
  PRIMARY KEY (operation_id, situation, outcome, patron_type, site)
);

-- One line per record a run logged. blank_keys, candidates and changes are JSON arrays:
-- ["barcode","email"], [12,40], [[1019,"before",null],...] (field numbers of SPEC §2); NULL for none.
-- Changes longer than changes can hold go to changes_long instead (a CLOB reads several times slower).
CREATE TABLE operation_log (
  operation_id BIGINT         NOT NULL,
  seq          BIGINT         NOT NULL,
  situation    VARCHAR(20)    NOT NULL,
  outcome      VARCHAR(20)    NOT NULL,
  patron_type  VARCHAR(20),
  site         VARCHAR(255),
  source_id    VARCHAR(1000),
  patron_id    BIGINT         NOT NULL,
  match_key    VARCHAR(100),
  blank_keys   VARCHAR(1000),
  candidates   VARCHAR(4000),
  reason       VARCHAR(4000),
  changes      VARCHAR(32000),
  changes_long CLOB,
  PRIMARY KEY (operation_id, seq)
);
CREATE INDEX operation_log_situation ON operation_log (operation_id, situation, seq);
-- For "did a later run touch these patrons": covers the lookup without reading the rows.
CREATE INDEX operation_log_patron ON operation_log (patron_id, operation_id, outcome);

CREATE TABLE integration_state (
  integration  VARCHAR(200)   NOT NULL,
  state_key    VARCHAR(200)   NOT NULL,
  state_value  VARCHAR(32000) NOT NULL,
  updated_at   TIMESTAMP      NOT NULL,
  PRIMARY KEY (integration, state_key)
);

-- The patrons linked to an integration in id order, without sorting them (absence after a full sync).
CREATE INDEX patron_integration ON patron (integration, id);
