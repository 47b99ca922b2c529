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

-- Added for several services in one emulator. api_version: 3 (service access token, paths under
-- /api/{serviceId}) or 2 (HTTP Basic with the API key = service_id and the API secret, paths
-- without the id); a 2.x service has no access token. organization_id: the 3.x organization whose
-- token lists the service on /api/service/get/list.
ALTER TABLE services ADD COLUMN IF NOT EXISTS api_version SMALLINT NOT NULL DEFAULT 3;
ALTER TABLE services ADD COLUMN IF NOT EXISTS api_secret_hash TEXT;
ALTER TABLE services ADD COLUMN IF NOT EXISTS organization_id BIGINT;
ALTER TABLE services ALTER COLUMN access_token_hash DROP NOT NULL;
CREATE TABLE IF NOT EXISTS organizations (
  organization_id    BIGINT PRIMARY KEY,
  organization_name  TEXT NOT NULL,
  access_token_hash  TEXT NOT NULL UNIQUE
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
-- Added after the first release. locked: Authlete's client lock flag (client/lock_flag/update).
-- requestable_scopes: the scopes the client may request; NULL = every scope of the service.
ALTER TABLE clients ADD COLUMN IF NOT EXISTS locked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN IF NOT EXISTS requestable_scopes JSONB;
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
-- Added after the first release: data folders written before keep working.
-- expired: access_token_expires_at <= the emulator's clock, kept current by refreshExpiry() before
-- any read that depends on it, so VALID / INVALID become stored sets that can be counted ahead.
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS expired BOOLEAN NOT NULL DEFAULT FALSE;
-- Last use that Authlete counts (an update, an introspection); 0 = never since creation.
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS last_used_at BIGINT NOT NULL DEFAULT 0;
-- A value whose hash already exists cannot be inserted again (Authlete reports an error).
CREATE UNIQUE INDEX IF NOT EXISTS tokens_access_hash_idx ON tokens (access_token_hash);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_refresh_hash_idx ON tokens (refresh_token_hash);
-- A list page is an index range in id order (the list's stable order), one index per filter set.
CREATE INDEX IF NOT EXISTS tokens_subject_idx ON tokens (service_id, subject, id);
CREATE INDEX IF NOT EXISTS tokens_client_idx ON tokens (service_id, client_id, id);
CREATE INDEX IF NOT EXISTS tokens_service_idx ON tokens (service_id, id);
CREATE INDEX IF NOT EXISTS tokens_status_idx ON tokens (service_id, expired, id);
CREATE INDEX IF NOT EXISTS tokens_client_status_idx ON tokens (service_id, client_id, expired, id);
-- Tokens whose status the clock has changed since the last read are found by range, not by scan.
CREATE INDEX IF NOT EXISTS tokens_live_expiry_idx ON tokens (access_token_expires_at) WHERE NOT expired;
CREATE INDEX IF NOT EXISTS tokens_dead_expiry_idx ON tokens (access_token_expires_at) WHERE expired;
DROP INDEX IF EXISTS tokens_client_expiry_idx;
DROP INDEX IF EXISTS tokens_service_expiry_idx;

-- Token counts per block of ids at three sizes (2^8, 2^14 and 2^20 ids: each block holds 64 of the
-- next smaller), per client (client_id 0 = every client) and status, kept by statement-level
-- triggers. A list's offset is found by walking down: under 64 rows read per level, then fewer than
-- 256 index entries skipped, at any offset and any size; totalCount is the sum of the top level.
DROP TABLE IF EXISTS token_counts;
DROP FUNCTION IF EXISTS token_counts_on_insert() CASCADE;
DROP FUNCTION IF EXISTS token_counts_on_delete() CASCADE;
CREATE TABLE IF NOT EXISTS token_blocks (
  service_id  BIGINT NOT NULL,
  client_id   BIGINT NOT NULL,
  expired     BOOLEAN NOT NULL,
  shift       SMALLINT NOT NULL,
  block       BIGINT NOT NULL,
  n           BIGINT NOT NULL,
  PRIMARY KEY (service_id, client_id, shift, expired, block)
);

CREATE OR REPLACE FUNCTION token_blocks_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO token_blocks (service_id, client_id, expired, shift, block, n)
    SELECT r.service_id, c.id, r.expired, l.shift, r.id >> l.shift, count(*)
    FROM inserted_rows r CROSS JOIN LATERAL (VALUES (r.client_id), (0::bigint)) c(id) CROSS JOIN (VALUES (8), (14), (20)) l(shift)
    GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (service_id, client_id, shift, expired, block) DO UPDATE SET n = token_blocks.n + EXCLUDED.n;
  RETURN NULL;
END $$;

-- Decrements go key by key through the primary key: a join against the whole table would be
-- planned for a large transition table and scan token_blocks even when one token changed.
CREATE OR REPLACE FUNCTION token_blocks_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d RECORD;
BEGIN
  FOR d IN SELECT r.service_id, c.id AS client_id, r.expired, l.shift, r.id >> l.shift AS block, count(*) AS n
           FROM deleted_rows r CROSS JOIN LATERAL (VALUES (r.client_id), (0::bigint)) c(id) CROSS JOIN (VALUES (8), (14), (20)) l(shift)
           GROUP BY 1, 2, 3, 4, 5 LOOP
    UPDATE token_blocks SET n = n - d.n
      WHERE service_id = d.service_id AND client_id = d.client_id AND shift = d.shift AND expired = d.expired AND block = d.block;
  END LOOP;
  RETURN NULL;
END $$;

-- Only rows whose status or client changed move between counts (most updates change neither).
CREATE OR REPLACE FUNCTION token_blocks_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d RECORD;
BEGIN
  FOR d IN SELECT o.service_id, c.id AS client_id, o.expired, l.shift, o.id >> l.shift AS block, count(*) AS n
           FROM old_rows o JOIN new_rows w ON w.id = o.id
           CROSS JOIN LATERAL (VALUES (o.client_id), (0::bigint)) c(id) CROSS JOIN (VALUES (8), (14), (20)) l(shift)
           WHERE o.expired <> w.expired OR o.client_id <> w.client_id GROUP BY 1, 2, 3, 4, 5 LOOP
    UPDATE token_blocks SET n = n - d.n
      WHERE service_id = d.service_id AND client_id = d.client_id AND shift = d.shift AND expired = d.expired AND block = d.block;
  END LOOP;
  INSERT INTO token_blocks (service_id, client_id, expired, shift, block, n)
    SELECT w.service_id, c.id, w.expired, l.shift, w.id >> l.shift, count(*)
    FROM new_rows w JOIN old_rows o ON o.id = w.id
    CROSS JOIN LATERAL (VALUES (w.client_id), (0::bigint)) c(id) CROSS JOIN (VALUES (8), (14), (20)) l(shift)
    WHERE o.expired <> w.expired OR o.client_id <> w.client_id
    GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (service_id, client_id, shift, expired, block) DO UPDATE SET n = token_blocks.n + EXCLUDED.n;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS tokens_blocks_insert ON tokens;
CREATE TRIGGER tokens_blocks_insert AFTER INSERT ON tokens
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION token_blocks_on_insert();
DROP TRIGGER IF EXISTS tokens_blocks_delete ON tokens;
CREATE TRIGGER tokens_blocks_delete AFTER DELETE ON tokens
  REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION token_blocks_on_delete();
DROP TRIGGER IF EXISTS tokens_blocks_update ON tokens;
CREATE TRIGGER tokens_blocks_update AFTER UPDATE ON tokens
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION token_blocks_on_update();

-- Remembered consent (client/granted_scopes): one record per subject and client, written when a
-- token is created for them and kept when their tokens go; deleted only by granted_scopes/delete.
CREATE TABLE IF NOT EXISTS granted_scopes (
  service_id     BIGINT NOT NULL,
  client_id      BIGINT NOT NULL,
  subject        TEXT NOT NULL,
  latest_scopes  JSONB NOT NULL,
  merged_scopes  JSONB NOT NULL,
  modified_at    BIGINT NOT NULL,
  PRIMARY KEY (service_id, client_id, subject)
);

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
  // A data folder from before the block counts: count its tokens once.
  const r = await db.query<{ missing: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM tokens) AND NOT EXISTS (SELECT 1 FROM token_blocks) AS missing',
  );
  if (r.rows[0]?.missing) await rebuildTokenBlocks(db, Date.now());
}

/** Sets every token's status for `now` and recounts the blocks from scratch (bulk loads, old data). */
export async function rebuildTokenBlocks(db: Db, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      'UPDATE tokens SET expired = (access_token_expires_at <= $1) WHERE expired <> (access_token_expires_at <= $1)',
      [now.toString()],
    );
    await tx.exec(`DELETE FROM token_blocks;
      INSERT INTO token_blocks (service_id, client_id, expired, shift, block, n)
        SELECT r.service_id, c.id, r.expired, l.shift, r.id >> l.shift, count(*)
        FROM tokens r CROSS JOIN LATERAL (VALUES (r.client_id), (0::bigint)) c(id) CROSS JOIN (VALUES (8), (14), (20)) l(shift)
        GROUP BY 1, 2, 3, 4, 5;`);
  });
}

/**
 * Brings the stored status up to the clock: tokens that expired since the last call become
 * INVALID (and, when the clock was moved back, VALID again). Both are index ranges over the few
 * tokens that changed, so this is cheap enough to run before every read that depends on status.
 */
export async function refreshExpiry(db: Db, now: number): Promise<void> {
  const at = now.toString();
  // Usually nothing changed: the first entry of each partial index says so, and no UPDATE runs
  // (its statement trigger would run even for zero rows).
  const edges = await db.query<{ next_expiry: bigint | null; last_expired: bigint | null }>(
    `SELECT (SELECT min(access_token_expires_at) FROM tokens WHERE NOT expired) AS next_expiry,
            (SELECT max(access_token_expires_at) FROM tokens WHERE expired) AS last_expired`,
  );
  const { next_expiry, last_expired } = edges.rows[0] ?? { next_expiry: null, last_expired: null };
  const clock = BigInt(now);
  if ((next_expiry === null || next_expiry > clock) && (last_expired === null || last_expired <= clock)) return;
  await db.query('UPDATE tokens SET expired = TRUE WHERE NOT expired AND access_token_expires_at <= $1', [at]);
  await db.query('UPDATE tokens SET expired = FALSE WHERE expired AND access_token_expires_at > $1', [at]);
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
