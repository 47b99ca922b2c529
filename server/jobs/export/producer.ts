/**
 * The export producers: pure step functions `(source, filter, cursor) -> { chunk, next, progress }`.
 * A step reads one slice of the list and renders it as CSV (the same lines as the browser export);
 * its cursor is plain JSON, so an export can stop after any step and resume from the stored cursor
 * in another process, writing exactly the bytes one uninterrupted pass would. The file's byte order
 * mark is not part of the steps: the download adds it (PGlite drops a leading one from stored text).
 */
import { auditColumnsLine, auditCsvLine, tokenColumnsLine, tokenCsvLine } from '@/lib/csv/export-lines';
import type { Client, Token } from '@/lib/schemas';
import type { AuditFilter, AuditRecord } from '@/lib/schemas/audit';
import type { TokenExportFilter } from '@/lib/schemas/export';

export interface ExportProgress {
  done: number;
  total: number;
}

export interface ExportStep<Cursor> {
  /** CSV text of this step (the header line with the first step). */
  chunk: string;
  rows: number;
  /** Where the next step starts; null when the list is exhausted. */
  next: Cursor | null;
  progress: ExportProgress;
}

// ── tokens ───────────────────────────────────────────────────────────────────

/**
 * Tokens per step: 50 upstream list calls (Authlete answers at most 20 tokens a call), which the
 * Authlete client runs a few at a time. Big enough that a step's bookkeeping (one database write)
 * is noise, small enough that a step ends well within a serverless function's time limit even at
 * deep offsets.
 */
export const TOKEN_STEP_ROWS = 1_000;

/**
 * How far back a step re-reads to find where the previous one stopped. Authlete's list is offset
 * based: tokens that expire or are revoked between two steps move the rest towards the start, and
 * reading on from the old offset would skip them. Re-reading this many lets a step find the last
 * token it wrote and go on right after it.
 */
export const TOKEN_RESYNC_OVERLAP = 20;

export interface TokenCursor {
  /** Position in the list just after the last token written. */
  offset: number;
  /** That token's hash, null before the first step. */
  lastHash: string | null;
  done: number;
}

export interface TokenSource {
  listTokens(
    filter: TokenExportFilter,
    start: number,
    end: number,
    signal?: AbortSignal,
  ): Promise<{ tokens: Token[]; totalCount: number }>;
  clients: ReadonlyMap<string, Pick<Client, 'clientName'>>;
}

export const firstTokenCursor: TokenCursor = { offset: 0, lastHash: null, done: 0 };

export async function tokenExportStep(
  source: TokenSource,
  filter: TokenExportFilter,
  cursor: TokenCursor,
  { rows = TOKEN_STEP_ROWS, signal }: { rows?: number | undefined; signal?: AbortSignal } = {},
): Promise<ExportStep<TokenCursor>> {
  const start = cursor.lastHash === null ? cursor.offset : Math.max(0, cursor.offset - TOKEN_RESYNC_OVERLAP);
  const page = await source.listTokens(filter, start, cursor.offset + rows, signal);
  // Just after the last token written, wherever removals (or additions) before it have moved it.
  let from = cursor.offset - start;
  if (cursor.lastHash !== null) {
    const at = page.tokens.findIndex((token) => token.accessTokenHash === cursor.lastHash);
    if (at >= 0) from = at + 1;
  }
  const taken = page.tokens.slice(from, from + rows);
  const lines = taken.map((token) => tokenCsvLine(token, source.clients)).join('');
  const done = cursor.done + taken.length;
  const offset = start + from + taken.length;
  const last = taken.at(-1);
  const exhausted = taken.length < rows || offset >= page.totalCount;
  return {
    chunk: (cursor.lastHash === null && cursor.done === 0 ? tokenColumnsLine : '') + lines,
    rows: taken.length,
    next: exhausted || !last ? null : { offset, lastHash: last.accessTokenHash, done },
    progress: { done, total: exhausted ? done : Math.max(page.totalCount, done) },
  };
}

// ── audit log ────────────────────────────────────────────────────────────────

/** Audit records per step: one keyset query each. */
export const AUDIT_STEP_ROWS = 2_000;

export interface AuditCursor {
  /** Records below this id are still to be written; null before the first step fixes the snapshot. */
  beforeId: number | null;
  done: number;
  /** Records in the snapshot, counted by the first step. */
  total: number | null;
}

export interface AuditSource {
  newestId(): Promise<number>;
  count(filter: AuditFilter, beforeId: number): Promise<number>;
  listBefore(filter: AuditFilter, beforeId: number, limit: number): Promise<AuditRecord[]>;
}

export const firstAuditCursor: AuditCursor = { beforeId: null, done: 0, total: null };

/**
 * Newest first by id, keyset-paged: the first step fixes the snapshot (records written while the
 * export runs, its own audit records included, are not in it), so pages never shift.
 */
export async function auditExportStep(
  source: AuditSource,
  filter: AuditFilter,
  cursor: AuditCursor,
  { rows = AUDIT_STEP_ROWS }: { rows?: number | undefined } = {},
): Promise<ExportStep<AuditCursor>> {
  const first = cursor.beforeId === null;
  const beforeId = cursor.beforeId ?? (await source.newestId()) + 1;
  const total = cursor.total ?? (await source.count(filter, beforeId));
  const records = await source.listBefore(filter, beforeId, rows);
  const done = cursor.done + records.length;
  const last = records.at(-1);
  return {
    chunk: (first ? auditColumnsLine : '') + records.map(auditCsvLine).join(''),
    rows: records.length,
    next: records.length < rows || !last ? null : { beforeId: Number(last.id), done, total },
    progress: { done, total: records.length < rows ? done : Math.max(total, done) },
  };
}
