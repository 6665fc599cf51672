-- Schema 3: the digest of the roster record a sync last made the patron agree with (PatronWrite.rosterDigest).
-- NULL until a sync writes one, and again after any other write: the next sync then compares the whole record.

ALTER TABLE patron ADD COLUMN roster_digest VARCHAR(64);
