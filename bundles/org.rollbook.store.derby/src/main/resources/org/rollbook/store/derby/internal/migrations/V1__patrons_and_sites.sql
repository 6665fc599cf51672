-- Schema 1: patrons, their local-only fields, sites.
-- Blank values are stored as NULL, so a blank key is never indexed as a match (unique constraints on
-- nullable columns allow any number of NULLs in Derby).
CREATE TABLE patron (
  id                 BIGINT       NOT NULL PRIMARY KEY,
  patron_type        VARCHAR(20)  NOT NULL,
  policy             VARCHAR(100),
  integration        VARCHAR(200),
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
  status             SMALLINT     NOT NULL DEFAULT 1,
  provenance         VARCHAR(2000),
  created_at         TIMESTAMP    NOT NULL,
  updated_at         TIMESTAMP    NOT NULL,
  email_key          VARCHAR(320) GENERATED ALWAYS AS (LOWER(email)),
  last_name_key      VARCHAR(255) GENERATED ALWAYS AS (LOWER(last_name)),
  first_name_key     VARCHAR(255) GENERATED ALWAYS AS (LOWER(first_name)),
  CONSTRAINT patron_guid_per_integration UNIQUE (integration, guid),
  CONSTRAINT patron_barcode_unique UNIQUE (barcode),
  CONSTRAINT patron_status_code CHECK (status BETWEEN 1 AND 4),
  CONSTRAINT patron_sex_code CHECK (sex IN ('M', 'F', 'X'))
);
CREATE INDEX patron_guid ON patron (guid);
CREATE INDEX patron_community_id ON patron (community_id);
CREATE INDEX patron_email_key ON patron (email_key);
CREATE INDEX patron_name ON patron (last_name_key, first_name_key, id);
CREATE INDEX patron_first_name ON patron (first_name_key);
CREATE INDEX patron_site ON patron (site);

CREATE TABLE patron_local (
  patron_id  BIGINT        NOT NULL REFERENCES patron (id) ON DELETE CASCADE,
  name       VARCHAR(100)  NOT NULL,
  field_value VARCHAR(4000) NOT NULL,
  PRIMARY KEY (patron_id, name)
);

CREATE TABLE site (
  code        VARCHAR(100) NOT NULL PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  provider_id VARCHAR(255),
  CONSTRAINT site_provider_id_unique UNIQUE (provider_id)
);
