import 'server-only';
import type { AuditFilter } from '@/lib/schemas/audit';
import type { ExportKind, TokenExportFilter } from '@/lib/schemas/export';
import { countAuditBefore, listAuditBefore, newestAuditId, recordAudit } from '@/server/audit';
import { isAuthleteError } from '@/server/authlete';
import { describeError, logEvent } from '@/server/core/log';
import { authleteFor, refreshServices } from '@/server/services';
import { auditVisibilityOf, scopedAuthlete, scopeFromColumn } from '@/server/auth/scope';
import {
  auditExportStep,
  firstAuditCursor,
  firstTokenCursor,
  tokenExportStep,
  type AuditCursor,
  type ExportStep,
  type TokenCursor,
} from './producer';
import { claimExport, failExport, releaseExport, storeStep } from './store';

type Row = NonNullable<Awaited<ReturnType<typeof claimExport>>>;
type Step = (cursor: Record<string, unknown>, signal: AbortSignal) => Promise<ExportStep<Record<string, unknown>>>;

export function firstCursor(kind: ExportKind): Record<string, unknown> {
  return { ...(kind === 'tokens' ? firstTokenCursor : firstAuditCursor) };
}

/** The step function of an export's kind, with its data source (read once per run). */
async function stepperFor(row: Row, rows: number | undefined): Promise<Step> {
  // The export reads what its creator's grant covered when it was asked for, and nothing more.
  const scope = scopeFromColumn(row.clientIds);
  if (row.kind === 'audit') {
    const visibility = auditVisibilityOf(scope);
    const source = {
      newestId: newestAuditId,
      count: (filter: AuditFilter, beforeId: number) => countAuditBefore(filter, beforeId, visibility),
      listBefore: (filter: AuditFilter, beforeId: number, limit: number) =>
        listAuditBefore(filter, beforeId, limit, visibility),
    };
    return (cursor) =>
      auditExportStep(source, row.filter as AuditFilter, cursor as unknown as AuditCursor, { rows }) as never;
  }
  await refreshServices();
  const client = scopedAuthlete(authleteFor(row.service), scope);
  const clients = new Map((await client.listClients()).map((c) => [c.clientId, c]));
  const source = { listTokens: client.listTokens.bind(client), clients };
  return (cursor, signal) =>
    tokenExportStep(source, row.filter as TokenExportFilter, cursor as unknown as TokenCursor, {
      rows,
      signal,
    }) as never;
}

export interface RunOptions {
  /** Stop after the step that ends past this much time (at least one step runs; the rest is left for the next run). */
  budgetMs?: number;
  signal?: AbortSignal;
  /** Rows per step, when not the producer's own choice (tests make many small steps). */
  stepRows?: number;
}

/**
 * Advances an export step by step from its stored cursor until it is done or the time budget is
 * spent: the handler a job queue calls, and safe to call twice at once (the claim and each step's
 * compare-and-set let one worker store each step). Returns whether work remains.
 */
export async function runExport(
  id: string,
  { budgetMs = Infinity, signal, stepRows }: RunOptions = {},
): Promise<boolean> {
  const claimed = await claimExport(id);
  if (!claimed) return false;
  const deadline = performance.now() + budgetMs;
  let row: Row = claimed;
  try {
    const step = await stepperFor(row, stepRows);
    while (row.cursor !== null) {
      if (row.steps > claimed.steps && (performance.now() > deadline || signal?.aborted)) {
        await releaseExport(id);
        return true;
      }
      const result = await step(row.cursor, signal ?? new AbortController().signal);
      const stored = await storeStep(id, row.steps, {
        chunk: result.chunk,
        rows: result.rows,
        next: result.next as Record<string, unknown> | null,
        total: result.progress.total,
      });
      // Another worker stored this step (our lease ran out mid-step): it carries on.
      if (!stored) return false;
      row = stored;
    }
    await auditFinish(row, 'success');
    return false;
  } catch (error) {
    logEvent('error', 'export failed', { exportId: id, kind: row.kind, error: describeError(error) });
    const message = isAuthleteError(error)
      ? error.message
      : 'The export failed on the server; start it again, or quote its ID to an operator.';
    await failExport(id, message);
    await auditFinish({ ...row, state: 'failed' }, 'failure').catch(() => {});
    return false;
  }
}

/** The person who started the export, the filter and the rows written. */
function auditFinish(row: Row, outcome: 'success' | 'failure') {
  return recordAudit({
    action: 'export.finish',
    outcome,
    actor: { id: row.createdById, email: row.createdByEmail },
    service: row.service,
    count: row.rowsDone,
    details: { exportId: row.id, kind: row.kind, filter: row.filter },
  });
}
