import 'server-only';
import pMap from 'p-map';
import { tokenFieldsOf, type RevokePreview, type RevokeQuery } from '@/lib/schemas/incident';
import type { Token } from '@/lib/schemas';
import type { AuthleteClient } from '@/server/authlete';
import { config } from '@/server/config';
import { AuthleteError } from '@/server/authlete/errors';
import { isRateLimited, RetryLaterError } from '../core/upstream';
import { previewDigest } from './digest';
import {
  insertItems,
  itemsPerClient,
  recordOutcomes,
  type ItemOutcome,
  type ItemRow,
  type NewItem,
  type RevokeRow,
} from './store';

/** Tokens read per list request while scanning (Authlete lists 20 per call; the client fans out). */
const SCAN_PAGE = 500;
/** Items taken per batch, per call in flight: each batch's outcomes are stored (and shown as progress) before the next starts. */
const BATCH_PER_CALL = 4;
/** Items one batch takes (`REVOKE_JOB_CONCURRENCY` calls at a time, bounded: Authlete rate-limits a service). */
export const revokeBatchSize = () => config.revokeJobConcurrency * BATCH_PER_CALL;

/** Whether one token matches the query's token fields. */
export function tokenMatches(token: Token, query: RevokeQuery): boolean {
  if (query.scopes.length > 0 && !token.scopes.some((scope) => query.scopes.includes(scope))) return false;
  if (query.grantType !== undefined && token.grantType !== query.grantType) return false;
  if (query.createdAfter !== undefined && token.createdAt < query.createdAfter) return false;
  if (query.createdBefore !== undefined && token.createdAt >= query.createdBefore) return false;
  if (query.refreshedBefore !== undefined && (token.lastRefreshedAt || token.createdAt) >= query.refreshedBefore)
    return false;
  return true;
}

/** The item one token becomes: revoked by its hash (the only exact call for token fields). */
const tokenItem = (token: Token): NewItem => ({
  key: `t:${token.accessTokenHash}`,
  kind: 'token',
  clientId: token.clientId,
  subject: token.subject ?? null,
  tokenHash: token.accessTokenHash,
});

/** The items of an uploaded chunk: one per subject, or one per subject and client when clients are named. */
export function subjectItems(subjects: readonly string[], clientIds: readonly string[]): NewItem[] {
  const clients = clientIds.length > 0 ? clientIds : [null];
  return subjects.flatMap((subject) =>
    clients.map((clientId) => ({
      key: `s:${clientId ?? ''}:${subject}`,
      kind: 'subject',
      clientId,
      subject,
      tokenHash: null,
    })),
  );
}

function rethrowRateLimit(error: unknown): never {
  if (isRateLimited(error)) throw new RetryLaterError((error.retryAfterSeconds ?? 5) * 1000);
  throw error;
}

interface ScanCursor {
  client: number;
  offset: number;
}

/**
 * One preview step: whole clients are counted with Authlete's totalCount (one call each) and become
 * one revoke-by-client item each; token-field queries list each client's tokens from the stored
 * cursor, keep the matching ones as items, and move the cursor on, until `deadline`. Returns the
 * preview once everything is counted, else null (run again).
 */
export async function scanStep(
  authlete: AuthleteClient,
  row: RevokeRow,
  deadline: number,
  signal: AbortSignal,
  save: (cursor: ScanCursor, scannedMore: number) => Promise<void>,
): Promise<Omit<RevokePreview, 'digest'> | null> {
  const query = row.query;
  const clients = (row.clients as string[] | null) ?? [];
  if (query.subjectList) {
    const perClient = await itemsPerClient(row.id);
    const items = perClient.reduce((sum, c) => sum + c.n, 0);
    return {
      method: 'subjects',
      clients: perClient.map((c) => ({ clientId: c.clientId, tokens: null, calls: c.n })),
      items,
      tokens: null,
      subjects: row.subjectsUploaded,
    };
  }
  if (!tokenFieldsOf(query)) {
    const counted = await pMap(
      clients,
      async (clientId) => {
        const page = await authlete.listTokens({ clientId, status: 'all' }, 0, 1).catch(rethrowRateLimit);
        return { clientId, tokens: page.totalCount, calls: 1 };
      },
      { concurrency: 4 },
    );
    await insertItems(
      row.id,
      clients.map((clientId) => ({ key: `c:${clientId}`, kind: 'client', clientId, subject: null, tokenHash: null })),
    );
    return {
      method: 'total_count',
      clients: counted,
      items: clients.length,
      tokens: counted.reduce((sum, c) => sum + c.tokens, 0),
      subjects: null,
    };
  }
  let cursor = (row.scanCursor as ScanCursor | null) ?? { client: 0, offset: 0 };
  while (cursor.client < clients.length) {
    if (Date.now() > deadline || signal.aborted) return null;
    const clientId = clients[cursor.client]!;
    const page = await authlete
      .listTokens({ clientId, status: 'all' }, cursor.offset, cursor.offset + SCAN_PAGE)
      .catch(rethrowRateLimit);
    await insertItems(row.id, page.tokens.filter((token) => tokenMatches(token, query)).map(tokenItem));
    const end = cursor.offset + page.tokens.length;
    cursor =
      page.tokens.length < SCAN_PAGE || end >= page.totalCount
        ? { client: cursor.client + 1, offset: 0 }
        : { client: cursor.client, offset: end };
    await save(cursor, page.tokens.length);
  }
  const perClient = await itemsPerClient(row.id);
  const byClient = new Map(perClient.map((c) => [c.clientId, c.n]));
  const items = perClient.reduce((sum, c) => sum + c.n, 0);
  return {
    method: 'scan',
    clients: clients.map((clientId) => ({
      clientId,
      tokens: byClient.get(clientId) ?? 0,
      calls: byClient.get(clientId) ?? 0,
    })),
    items,
    tokens: items,
    subjects: null,
  };
}

/** The preview with its digest. */
export function withDigest(row: RevokeRow, preview: Omit<RevokePreview, 'digest'>): RevokePreview {
  return {
    ...preview,
    digest: previewDigest({
      jobId: row.id,
      service: row.service,
      query: row.query,
      items: preview.items,
      clients: preview.clients,
    }),
  };
}

/** The cheapest exact call for one item. */
async function revokeItem(authlete: AuthleteClient, item: ItemRow): Promise<number> {
  if (item.kind === 'client') return authlete.revokeClientTokens(item.clientId!);
  if (item.kind === 'subject') return authlete.revokeSubjectTokens(item.subject!, item.clientId ?? undefined);
  return authlete.revokeToken(item.tokenHash!);
}

/**
 * Revokes one batch at bounded concurrency and stores each outcome. A 429 stops new calls (those
 * items stay pending) and the longest `Retry-After` heard is returned; a token already gone (404,
 * or a count of 0) is done, not failed.
 */
export async function revokeBatch(
  authlete: AuthleteClient,
  jobId: string,
  items: readonly ItemRow[],
): Promise<{ retryAfterMs: number | null }> {
  let retryAfterMs: number | null = null;
  const outcomes: ItemOutcome[] = [];
  await pMap(
    items,
    async (item) => {
      if (retryAfterMs !== null) return;
      try {
        const count = await revokeItem(authlete, item);
        outcomes.push({ id: item.id, outcome: count > 0 ? 'revoked' : 'gone', count, resultCode: null });
      } catch (error) {
        if (isRateLimited(error)) {
          retryAfterMs = Math.max(retryAfterMs ?? 0, (error.retryAfterSeconds ?? 5) * 1000);
          return;
        }
        if (!(error instanceof AuthleteError)) throw error;
        outcomes.push({
          id: item.id,
          outcome: error.code === 'not_found' ? 'gone' : 'failed',
          count: 0,
          resultCode: error.resultCode ?? error.code,
        });
      }
    },
    { concurrency: config.revokeJobConcurrency },
  );
  await recordOutcomes(jobId, outcomes);
  return { retryAfterMs };
}
