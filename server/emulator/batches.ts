import { randomUUID } from 'node:crypto';
import { type Ctx, type Reply } from './context';
import type { Db } from './db';
import { AuthleteError, badRequest } from './errors';
import { recordGrants } from './grants';
import type { Service } from './model';
import {
  type CreateInput,
  type NewToken,
  duplicateError,
  grantOf,
  insertTokens,
  prepareToken,
  readCreateInput,
  resolveClients,
} from './tokens';
import { Params, parseJson, readBody } from './wire';

export const MAX_BATCH_SIZE = 100_000;
/** Tokens inserted per transaction: small enough that other requests interleave with a big batch. */
const CHUNK_SIZE = 1000;

const CODES = {
  accepted: 'A361001',
  malformed: 'A361201',
  element: 'A361202',
  dryRun: 'A361203',
  contentType: 'A361204',
  injected: 'A361102',
  statusOk: 'A362001',
  statusId: 'A362201',
  statusUnknown: 'A362202',
} as const;

interface BatchRow {
  request_id: string;
  service_id: bigint;
  dry_run: boolean;
  result: string | null;
  token_count: bigint;
  error_code: string | null;
  error_description: string | null;
  created_at: bigint;
  modified_at: bigint;
}

interface Failure {
  code: string;
  description: string;
}

export interface BatchOptions {
  db: Db;
  /** 0-based index of an element to fail on purpose (fault injection), or null. */
  failElement(): number | null;
  /** The emulator's clock (ms). */
  now(): number;
}

/**
 * The batch API: the request is validated element by element (shape only) and answered with a
 * `requestId` at once; tokens are then created in the background, in chunks. Checks that need the
 * database (client exists, scopes, duplicate values) happen while processing, so a bad element
 * ends the batch FAILED with the tokens before it already created, as Authlete documents.
 */
export function createBatches({ db, failElement, now: clock }: BatchOptions) {
  const running = new Set<Promise<void>>();
  let stopping = false;

  async function setProgress(requestId: string, tokenCount: number, failure?: Failure | 'done'): Promise<void> {
    const now = clock().toString();
    if (failure === undefined) {
      await db.query('UPDATE batches SET token_count = $2, modified_at = $3 WHERE request_id = $1', [
        requestId,
        tokenCount,
        now,
      ]);
    } else if (failure === 'done') {
      await db.query(
        `UPDATE batches SET token_count = $2, modified_at = $3, result = 'SUCCEEDED' WHERE request_id = $1`,
        [requestId, tokenCount, now],
      );
    } else {
      await db.query(
        `UPDATE batches SET token_count = $2, modified_at = $3, result = 'FAILED', error_code = $4, error_description = $5
         WHERE request_id = $1`,
        [requestId, tokenCount, now, failure.code, failure.description],
      );
    }
  }

  async function existingHashes(
    column: 'access_token_hash' | 'refresh_token_hash',
    hashes: string[],
  ): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const r = await db.query<{ h: string }>(`SELECT ${column} AS h FROM tokens WHERE ${column} = ANY($1::text[])`, [
      hashes,
    ]);
    return new Set(r.rows.map((row) => row.h));
  }

  async function process(requestId: string, service: Service, inputs: CreateInput[], dryRun: boolean): Promise<void> {
    const seenAccess = new Set<string>();
    const seenRefresh = new Set<string>();
    const failAt = failElement();
    let created = 0;
    for (let offset = 0; offset < inputs.length; offset += CHUNK_SIZE) {
      if (stopping) {
        await setProgress(requestId, created, {
          code: 'A361101',
          description: '[A361101] The batch was interrupted by a server shutdown.',
        });
        return;
      }
      const chunk = inputs.slice(offset, offset + CHUNK_SIZE);
      const clients = await resolveClients(
        db,
        service.serviceId,
        chunk.map((i) => i.client),
      );
      const prepared: NewToken[] = [];
      let failure: Failure | undefined;
      const now = clock();
      for (let k = 0; k < chunk.length; k++) {
        const index = offset + k;
        const input = chunk[k]!;
        try {
          if (index === failAt) {
            throw new AuthleteError(500, CODES.injected, 'Injected failure (emulator fault injection).');
          }
          const token = prepareToken(service, clients.get(input.client), input, now);
          if (seenAccess.has(token.row.access_token_hash)) throw duplicateError('access');
          if (token.row.refresh_token_hash && seenRefresh.has(token.row.refresh_token_hash))
            throw duplicateError('refresh');
          seenAccess.add(token.row.access_token_hash);
          if (token.row.refresh_token_hash) seenRefresh.add(token.row.refresh_token_hash);
          prepared.push(token);
        } catch (e) {
          if (!(e instanceof AuthleteError)) throw e;
          failure = { code: e.resultCode, description: `[${e.resultCode}] Element [${index}]: ${e.detail}` };
          break;
        }
      }
      // Values already stored make their element fail; keep only the tokens before the first one.
      const takenAccess = await existingHashes(
        'access_token_hash',
        prepared.map((t) => t.row.access_token_hash),
      );
      const takenRefresh = await existingHashes(
        'refresh_token_hash',
        prepared.flatMap((t) => (t.row.refresh_token_hash ? [t.row.refresh_token_hash] : [])),
      );
      const firstTaken = prepared.findIndex(
        (t) =>
          takenAccess.has(t.row.access_token_hash) ||
          (t.row.refresh_token_hash !== null && takenRefresh.has(t.row.refresh_token_hash)),
      );
      let toInsert = prepared;
      if (firstTaken >= 0) {
        const t = prepared[firstTaken]!;
        const e = duplicateError(takenAccess.has(t.row.access_token_hash) ? 'access' : 'refresh');
        failure = {
          code: e.resultCode,
          description: `[${e.resultCode}] Element [${offset + firstTaken}]: ${e.detail}`,
        };
        toInsert = prepared.slice(0, firstTaken);
      }
      if (!dryRun) {
        await insertTokens(db, toInsert, now);
        await recordGrants(db, service.serviceId, toInsert.map(grantOf), now);
      }
      created += toInsert.length;
      if (failure) {
        await setProgress(requestId, created, failure);
        return;
      }
      await setProgress(requestId, created);
      // Let queued HTTP requests run between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await setProgress(requestId, created, 'done');
  }

  async function handleCreateBatch(ctx: Ctx): Promise<Reply> {
    const dryRunText = ctx.query.get('dryRun');
    if (dryRunText !== null && dryRunText !== 'true' && dryRunText !== 'false') {
      throw badRequest(CODES.dryRun, `'dryRun' must be true or false, not '${dryRunText}'.`);
    }
    const dryRun = dryRunText === 'true';
    const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== '' && type !== 'application/json') {
      throw badRequest(
        CODES.contentType,
        `The content type '${type}' is not supported; the batch API takes application/json.`,
      );
    }
    const body = parseJson(await readBody(ctx.req));
    if (!Array.isArray(body))
      throw badRequest(CODES.malformed, 'The request body must be a JSON array of token create requests.');
    if (body.length === 0)
      throw badRequest(CODES.malformed, 'The request body must hold at least one token create request.');
    if (body.length > MAX_BATCH_SIZE) {
      throw badRequest(
        CODES.malformed,
        `A batch may hold at most ${MAX_BATCH_SIZE} token create requests (got ${body.length}).`,
      );
    }
    const inputs = body.map((element, i) => {
      try {
        return readCreateInput(Params.fromJson(element, CODES.element, `Element [${i}]`));
      } catch (e) {
        if (e instanceof AuthleteError) throw badRequest(e.resultCode, `Element [${i}]: ${e.detail}`);
        throw e;
      }
    });
    const requestId = randomUUID();
    const now = clock().toString();
    await db.query(
      'INSERT INTO batches (request_id, service_id, dry_run, created_at, modified_at) VALUES ($1, $2, $3, $4, $4)',
      [requestId, ctx.service.serviceId.toString(), dryRun, now],
    );
    const job = process(requestId, ctx.service, inputs, dryRun)
      .catch(async (e: unknown) => {
        const detail = e instanceof Error ? e.message : String(e);
        await setProgress(requestId, 0, {
          code: 'A361103',
          description: `[A361103] Authlete Server error: ${detail}`,
        }).catch(() => {});
      })
      .finally(() => running.delete(job));
    running.add(job);
    return {
      status: 200,
      body: {
        resultCode: CODES.accepted,
        resultMessage: `[${CODES.accepted}] The batch request to create ${inputs.length} access token(s) was accepted${dryRun ? ' (dry run)' : ''}.`,
        requestId,
      },
    };
  }

  async function handleStatus(ctx: Ctx): Promise<Reply> {
    const requestId = ctx.pathParams[0]!;
    const r = await db.query<BatchRow>('SELECT * FROM batches WHERE request_id = $1 AND service_id = $2', [
      requestId,
      ctx.service.serviceId.toString(),
    ]);
    const row = r.rows[0];
    // 400, not 404: the file lists 200, 400, 401, 403 and 500 for this operation.
    if (!row) throw badRequest(CODES.statusUnknown, `The batch request '${requestId}' does not exist.`);
    return {
      status: 200,
      body: {
        resultCode: CODES.statusOk,
        resultMessage: `[${CODES.statusOk}] Retrieved the status of the batch request successfully.`,
        status: {
          batchKind: 'CREATE',
          requestId: row.request_id,
          ...(row.result ? { result: row.result } : {}),
          ...(row.error_code ? { errorCode: row.error_code } : {}),
          ...(row.error_description ? { errorDescription: row.error_description } : {}),
          tokenCount: row.token_count,
          createdAt: row.created_at,
          modifiedAt: row.modified_at,
        },
      },
    };
  }

  return {
    handleCreateBatch,
    handleStatus,
    /** Resolves once no batch is being processed. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running]);
    },
    /** Stops processing: running batches end FAILED at their next chunk. */
    async stop(): Promise<void> {
      stopping = true;
      await this.idle();
    },
  };
}
