import { PGlite, types } from '@electric-sql/pglite';

/**
 * The emulator's own database (embedded Postgres). Token rows keep only base64url SHA-256 hashes of
 * the values plus metadata, as Authlete does. 64-bit columns come back as `bigint` so client ids and
 * the "never expires" timestamp of persistent tokens are emitted exactly.
 */
export type Db = PGlite;

/** Authlete stores a persistent (never-expiring) access token with this expiry (Java's Long.MAX_VALUE). */
export const PERSISTENT_EXPIRES_AT = 9223372036854775807n;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS services (
  service_id              BIGINT PRIMARY KEY,
  number                  INTEGER NOT NULL,
  service_name            TEXT NOT NULL,
  issuer                  TEXT NOT NULL,
  access_token_hash       TEXT NOT NULL UNIQUE,
  access_token_duration   BIGINT NOT NULL,
  refresh_token_duration  BIGINT NOT NULL,
  supported_scopes        JSONB NOT NULL,
  supported_grant_types   JSONB NOT NULL,
  created_at              BIGINT NOT NULL,
  modified_at             BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS clients (
  client_id        BIGINT PRIMARY KEY,
  service_id       BIGINT NOT NULL REFERENCES services (service_id) ON DELETE CASCADE,
  number           INTEGER NOT NULL,
  client_id_alias  TEXT,
  client_name      TEXT NOT NULL,
  description      TEXT,
  client_type      TEXT NOT NULL,
  developer        TEXT NOT NULL,
  grant_types      JSONB NOT NULL,
  created_at       BIGINT NOT NULL,
  modified_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS clients_alias_idx ON clients (service_id, client_id_alias);
CREATE INDEX IF NOT EXISTS clients_service_idx ON clients (service_id, number);

CREATE TABLE IF NOT EXISTS tokens (
  id                        BIGSERIAL PRIMARY KEY,
  service_id                BIGINT NOT NULL,
  access_token_hash         TEXT NOT NULL,
  refresh_token_hash        TEXT,
  client_id                 BIGINT NOT NULL,
  subject                   TEXT,
  grant_type                TEXT NOT NULL,
  scopes                    JSONB NOT NULL,
  refresh_token_scopes      JSONB,
  properties                JSONB,
  access_token_persistent   BOOLEAN NOT NULL DEFAULT FALSE,
  access_token_expires_at   BIGINT NOT NULL,
  refresh_token_expires_at  BIGINT NOT NULL DEFAULT 0,
  created_at                BIGINT NOT NULL,
  last_refreshed_at         BIGINT NOT NULL DEFAULT 0
);
-- A value whose hash already exists cannot be inserted again (Authlete reports an error).
CREATE UNIQUE INDEX IF NOT EXISTS tokens_access_hash_idx ON tokens (access_token_hash);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_refresh_hash_idx ON tokens (refresh_token_hash);
-- List filters walk these in id order (the list's stable order): a page is an index range scan.
CREATE INDEX IF NOT EXISTS tokens_subject_idx ON tokens (service_id, subject, id);
CREATE INDEX IF NOT EXISTS tokens_client_idx ON tokens (service_id, client_id, id);
CREATE INDEX IF NOT EXISTS tokens_service_idx ON tokens (service_id, id);
-- Counting expired tokens (VALID = total - expired) stays an index-only range scan.
CREATE INDEX IF NOT EXISTS tokens_client_expiry_idx ON tokens (service_id, client_id, access_token_expires_at);
CREATE INDEX IF NOT EXISTS tokens_service_expiry_idx ON tokens (service_id, access_token_expires_at);

-- Per-client token totals, kept by statement-level triggers, so counting a client's (or a whole
-- service's) tokens over a million rows does not scan them.
CREATE TABLE IF NOT EXISTS token_counts (
  service_id  BIGINT NOT NULL,
  client_id   BIGINT NOT NULL,
  total       BIGINT NOT NULL,
  PRIMARY KEY (service_id, client_id)
);

CREATE OR REPLACE FUNCTION token_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO token_counts (service_id, client_id, total)
    SELECT service_id, client_id, count(*) FROM inserted_rows GROUP BY service_id, client_id
  ON CONFLICT (service_id, client_id) DO UPDATE SET total = token_counts.total + EXCLUDED.total;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION token_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE token_counts c SET total = c.total - d.n
    FROM (SELECT service_id, client_id, count(*) AS n FROM deleted_rows GROUP BY service_id, client_id) d
    WHERE c.service_id = d.service_id AND c.client_id = d.client_id;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS tokens_count_insert ON tokens;
CREATE TRIGGER tokens_count_insert AFTER INSERT ON tokens
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION token_counts_on_insert();
DROP TRIGGER IF EXISTS tokens_count_delete ON tokens;
CREATE TRIGGER tokens_count_delete AFTER DELETE ON tokens
  REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION token_counts_on_delete();

CREATE TABLE IF NOT EXISTS batches (
  request_id         TEXT PRIMARY KEY,
  service_id         BIGINT NOT NULL,
  dry_run            BOOLEAN NOT NULL,
  result             TEXT,
  token_count        BIGINT NOT NULL DEFAULT 0,
  error_code         TEXT,
  error_description  TEXT,
  created_at         BIGINT NOT NULL,
  modified_at        BIGINT NOT NULL
);
`;

/** Creates whatever is missing (tables, indexes, triggers); safe to run on every start. */
export async function ensureSchema(db: Db): Promise<void> {
  await db.exec(SCHEMA);
}

export async function openDatabase(dataDir: string | undefined): Promise<Db> {
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: { [types.INT8]: (value: string) => BigInt(value) },
  });
  await ensureSchema(db);
  // A batch still marked running when the process stopped will never finish: close it as FAILED.
  await db.query(
    `UPDATE batches SET result = 'FAILED', error_code = 'A361101',
       error_description = '[A361101] The batch was interrupted by a server restart.', modified_at = $1
     WHERE result IS NULL`,
    [Date.now()],
  );
  return db;
}
