import 'server-only';
import type { BatchStatus, TokenCreateInput } from '@/lib/schemas';
import { sha256Base64Url } from '@/lib/hash';
import type { AuthleteClient } from '@/server/authlete';
import { AuthleteError } from '@/server/authlete/errors';
import { JobError } from '@/server/jobs/core/errors';
import { waitForFinalStatus } from './batch-status';
import { chunkDigest } from './digest';
import type { NarrowRow } from './narrow';
import { loadChunk, type ChunkRow } from './store';

/** Checks on the rows the browser sends with a chunk (their values are used for that request only). */

export function assertRowCount(chunk: ChunkRow, tokens: readonly unknown[]) {
  if (tokens.length !== chunk.rowCount) {
    throw new JobError(
      'invalid_input',
      `Chunk ${chunk.seq} has ${chunk.rowCount} rows but ${tokens.length} were sent.`,
    );
  }
}

/** Rows that will be created (or narrowed towards creation) must be exactly the rows the chunk's dry run checked. */
export function assertAsPreviewed(chunk: ChunkRow, tokens: readonly TokenCreateInput[]) {
  if (chunk.dryRunDigest === null || chunk.dryRunDigest !== chunkDigest(tokens)) {
    throw new JobError(
      'conflict',
      `These are not the rows chunk ${chunk.seq} was dry-run with (a row was changed, added, removed or moved); only the rows a dry run checked can be sent. Start again from the file.`,
    );
  }
}

/** The rows sent must be exactly the chunk's, each once, each with its access token value. */
export function assertChunkRows(chunk: ChunkRow, rows: NarrowRow[]) {
  const expected = new Set<number>();
  for (const [from, to] of chunk.rowRanges) for (let i = from; i < to; i++) expected.add(i);
  if (rows.length !== expected.size || rows.some((row) => !expected.delete(row.index))) {
    throw new JobError('invalid_input', `Send exactly the ${chunk.rowCount} rows of chunk ${chunk.seq}, each once.`);
  }
  if (rows.some((row) => row.token.accessToken === undefined)) {
    throw new JobError(
      'invalid_input',
      'Every row needs its access token value: narrowing looks rows up by their hash.',
    );
  }
}

/**
 * The chunk a narrowing works on, with the rows the browser sent checked: exactly the chunk's rows,
 * in row order (sorted in place), and the very rows its dry run checked.
 */
export async function loadChunkWithPreviewedRows(jobId: string, seq: number, rows: NarrowRow[]): Promise<ChunkRow> {
  const chunk = await loadChunk(jobId, seq);
  assertChunkRows(chunk, rows);
  rows.sort((a, b) => a.index - b.index);
  assertAsPreviewed(
    chunk,
    rows.map((row) => row.token),
  );
  return chunk;
}

export function errorCodeOf(error: unknown): string {
  if (error instanceof AuthleteError) return error.resultCode ?? error.code;
  return 'internal_error';
}

export function errorDescriptionOf(error: unknown): string {
  if (error instanceof AuthleteError) return error.resultMessage ?? error.message;
  return 'The request could not be completed.';
}

/** Whether a row's access token value is known to Authlete, looked up by its hash. */
export function existsIn(client: AuthleteClient) {
  return async (token: TokenCreateInput) => {
    try {
      await client.findToken(await sha256Base64Url(token.accessToken!), {
        subject: token.subject,
        clientId: token.clientId,
      });
      return true;
    } catch (error) {
      // Not found, or too many tokens to scan: submitting it again is still safe, Authlete refuses a known value.
      if (error instanceof AuthleteError && (error.code === 'not_found' || error.code === 'search_limit_reached'))
        return false;
      throw error;
    }
  };
}

/**
 * An Authlete dry run of these rows, waited for (narrowing needs each answer before the next). A
 * service without the batch API (Authlete 2.x) has no dry run: the rows are checked here against
 * what the service reports (its clients and supported scopes) and against each other (a value
 * twice), with the answer in a batch status's shape, naming the first bad element as Authlete does.
 * What only a create can tell (a value Authlete already holds, a locked client) is found when the
 * row is created, and recorded as that row's outcome.
 */
export function dryRunIn(client: AuthleteClient) {
  if (!client.capabilities.batch) return checkRowsIn(client);
  return async (tokens: TokenCreateInput[]) => {
    const { requestId } = await client.createBatch(tokens, true);
    return waitForFinalStatus(() => client.getBatchStatus(requestId));
  };
}

/** The local check of rows for a service without a dry run; the service's facts are read once per check run. */
function checkRowsIn(client: AuthleteClient) {
  let facts: Promise<{ clients: Set<string>; scopes: Set<string> }> | undefined;
  return async (tokens: TokenCreateInput[]): Promise<BatchStatus> => {
    facts ??= Promise.all([client.listClients(), client.listSupportedScopes()]).then(([clients, scopes]) => ({
      clients: new Set(clients.map((c) => c.clientId)),
      scopes: new Set(scopes.map((s) => s.name)),
    }));
    const { clients, scopes } = await facts;
    const values = new Set<string>();
    const failed = (element: number, errorCode: string, message: string): BatchStatus => ({
      requestId: LOCAL_CHECK_ID,
      state: 'failed',
      tokenCount: 0,
      errorCode,
      errorDescription: `Element [${element}]: ${message}`,
    });
    for (const [element, token] of tokens.entries()) {
      if (!clients.has(token.clientId))
        return failed(element, 'client_not_in_service', `Client ${token.clientId} is not a client of this service.`);
      const unsupported = token.scopes.find((scope) => !scopes.has(scope));
      if (unsupported !== undefined)
        return failed(element, 'unsupported_scope', `The service does not support the scope "${unsupported}".`);
      for (const value of [token.accessToken, token.refreshToken]) {
        if (value === undefined) continue;
        if (values.has(value)) return failed(element, 'duplicate_value', 'A token value appears twice in these rows.');
        values.add(value);
      }
    }
    return { requestId: LOCAL_CHECK_ID, state: 'succeeded', tokenCount: 0 };
  };
}

/** The "request id" of a check made here rather than by Authlete. */
const LOCAL_CHECK_ID = 'local-check';
