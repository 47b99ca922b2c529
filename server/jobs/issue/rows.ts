import 'server-only';
import type { TokenCreateInput } from '@/lib/schemas';
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

/** An Authlete dry run of these rows, waited for (narrowing needs each answer before the next). */
export function dryRunIn(client: AuthleteClient) {
  return async (tokens: TokenCreateInput[]) => {
    const { requestId } = await client.createBatch(tokens, true);
    return waitForFinalStatus(() => client.getBatchStatus(requestId));
  };
}
