import { failingElement } from '@/lib/csv/lines';
import type { BatchStatus, TokenCreateInput } from '@/lib/schemas';
import { JobError } from '@/server/jobs/core/errors';
import { mapUpstream } from '@/server/jobs/core/upstream';

/** One row of a failed chunk, with its values (supplied by the browser, never stored). */
export interface NarrowRow {
  index: number;
  line: number;
  token: TokenCreateInput;
}

export interface NarrowDeps {
  /** Runs an Authlete dry run of these requests and resolves with its final status. */
  dryRun(tokens: TokenCreateInput[]): Promise<BatchStatus>;
  /** Whether a token with this row's access token value already exists in Authlete. */
  exists(token: TokenCreateInput): Promise<boolean>;
  /** Most dry runs one narrowing may spend (each bad row costs about one). */
  maxDryRuns?: number;
  /** Called after each dry run with how many were spent so far (to show progress). */
  onDryRun?(spent: number): void | Promise<void>;
}

export interface RejectedRow {
  row: NarrowRow;
  errorCode: string | null;
  errorDescription: string | null;
}

export interface NarrowResult {
  /** Rows the failed batch itself created before it stopped (found by their hash). */
  createdByFailedBatch: NarrowRow[];
  /** Rows whose access token existed already (from an earlier run or another system), with Authlete's error. */
  alreadyPresent: RejectedRow[];
  /** Rows Authlete refuses on their own. */
  rejected: RejectedRow[];
  /** Rows that passed a dry run together: safe to submit again. */
  remainder: NarrowRow[];
  /** Dry runs spent. */
  dryRuns: number;
}

export class NarrowingLimitError extends JobError {
  override name = 'NarrowingLimitError';
  constructor(message: string) {
    super('too_much_work', message);
  }
  /** What was found before the budget ran out (`remainder` then holds only rows proven good). */
  partial?: NarrowResult;
}

export { failingElement };

async function filterExisting(
  rows: NarrowRow[],
  exists: NarrowDeps['exists'],
): Promise<{ present: NarrowRow[]; absent: NarrowRow[] }> {
  const flags = await mapUpstream(rows, (row) => exists(row.token));
  return { present: rows.filter((_, i) => flags[i]), absent: rows.filter((_, i) => !flags[i]) };
}

/**
 * Narrows a failed chunk to its bad rows so the rest can be submitted again without creating any
 * token twice. Every row carries its values, so "created already" is a fact to look up, not a guess:
 *
 * 1. Rows Authlete may have created before failing (the first `createdHint` rows: a FAILED batch
 *    reports how many it created, in order) are looked up by their access token hash; those found
 *    were created by the failed batch.
 * 2. The others are dry-run together. A failure that names its element removes that row (already
 *    present if its value exists, else rejected with Authlete's error) and the rest is dry-run
 *    again; a failure without an element splits the rows in halves, each narrowed the same way.
 * 3. What passes a dry run as a whole is the remainder.
 */
export async function narrowFailedChunk(
  rows: NarrowRow[],
  createdHint: number,
  deps: NarrowDeps,
  { knownFailure }: { knownFailure?: BatchStatus } = {},
): Promise<NarrowResult> {
  const budget: Budget = { max: deps.maxDryRuns ?? 200, spent: 0 };
  const hinted = rows.slice(0, Math.max(0, Math.min(createdHint, rows.length)));
  const { present, absent } = await filterExisting(hinted, deps.exists);
  const result: NarrowResult = {
    createdByFailedBatch: present,
    alreadyPresent: [],
    rejected: [],
    remainder: [],
    dryRuns: 0,
  };
  const sort = () => {
    result.dryRuns = budget.spent;
    result.alreadyPresent.sort((a, b) => a.row.index - b.row.index);
    result.rejected.sort((a, b) => a.row.index - b.row.index);
    result.remainder.sort((a, b) => a.index - b.index);
    return result;
  };
  try {
    // A failure already seen for exactly these rows (in this order) saves the first dry run.
    await isolate(
      [...absent, ...rows.slice(hinted.length)],
      deps,
      budget,
      result,
      hinted.length === 0 ? knownFailure : undefined,
    );
  } catch (error) {
    if (error instanceof NarrowingLimitError) error.partial = sort();
    throw error;
  }
  return sort();
}

interface Budget {
  max: number;
  spent: number;
}

async function dryRunWithin(tokens: TokenCreateInput[], deps: NarrowDeps, budget: Budget): Promise<BatchStatus> {
  if (budget.spent >= budget.max) {
    throw new NarrowingLimitError(
      `Stopped after ${budget.max} dry runs: too many bad rows to narrow automatically; fix the file and submit the remaining rows again.`,
    );
  }
  budget.spent++;
  const status = await deps.dryRun(tokens);
  await deps.onDryRun?.(budget.spent);
  return status;
}

async function isolate(
  rows: NarrowRow[],
  deps: NarrowDeps,
  budget: Budget,
  result: NarrowResult,
  knownFailure?: BatchStatus,
): Promise<void> {
  let pending = rows;
  let known = knownFailure;
  while (pending.length > 0) {
    const status =
      known ??
      (await dryRunWithin(
        pending.map((row) => row.token),
        deps,
        budget,
      ));
    known = undefined;
    if (status.state === 'succeeded') {
      result.remainder.push(...pending);
      return;
    }
    const element = failingElement(status.errorDescription);
    const bad = element !== undefined ? pending[element] : pending.length === 1 ? pending[0] : undefined;
    if (bad) {
      const rejection = {
        row: bad,
        errorCode: status.errorCode ?? null,
        errorDescription: stripElement(status.errorDescription),
      };
      if (await deps.exists(bad.token)) result.alreadyPresent.push(rejection);
      else result.rejected.push(rejection);
      pending = pending.filter((row) => row !== bad);
      continue;
    }
    // No element named: halve.
    const middle = Math.ceil(pending.length / 2);
    await isolate(pending.slice(0, middle), deps, budget, result);
    await isolate(pending.slice(middle), deps, budget, result);
    return;
  }
}

/** "[A123] Element [4]: Subject is too long" → "[A123] Subject is too long": the index is of the dry run, not the file. */
function stripElement(description: string | undefined): string | null {
  return description ? description.replace(/Element \[\d+\]:\s*/, '') : null;
}
