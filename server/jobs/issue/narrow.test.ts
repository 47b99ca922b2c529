import { describe, expect, it } from 'vitest';
import type { BatchStatus, TokenCreateInput } from '@/lib/schemas';
import { failingElement, narrowFailedChunk, NarrowingLimitError, type NarrowRow } from './narrow';

function rows(n: number): NarrowRow[] {
  return Array.from({ length: n }, (_, index) => ({
    index,
    line: index + 2,
    token: {
      grantType: 'PASSWORD',
      clientId: '1',
      subject: `user${index}`,
      scopes: [],
      accessToken: `value-${index}`,
    } as TokenCreateInput,
  }));
}

/** A fake Authlete: some values exist, some rows are invalid; dry runs fail at the first bad element. */
function fakeAuthlete({
  existing,
  invalid,
  namesElement = true,
}: {
  existing: Set<string>;
  invalid: Set<string>;
  namesElement?: boolean;
}) {
  const calls = { dryRuns: 0, lookups: 0 };
  return {
    calls,
    deps: {
      async dryRun(tokens: TokenCreateInput[]): Promise<BatchStatus> {
        calls.dryRuns++;
        const index = tokens.findIndex((t) => existing.has(t.accessToken!) || invalid.has(t.accessToken!));
        if (index === -1) return { requestId: 'r', state: 'succeeded', tokenCount: tokens.length };
        const duplicate = existing.has(tokens[index]!.accessToken!);
        return {
          requestId: 'r',
          state: 'failed',
          tokenCount: index,
          errorCode: duplicate ? 'A001' : 'A002',
          errorDescription: `[${duplicate ? 'A001' : 'A002'}] ${namesElement ? `Element [${index}]: ` : ''}${duplicate ? 'duplicate' : 'bad subject'}`,
        };
      },
      async exists(token: TokenCreateInput) {
        calls.lookups++;
        return existing.has(token.accessToken!);
      },
    },
  };
}

describe('narrowFailedChunk', () => {
  it('finds rows the failed batch created, rows already there and bad rows; the rest passes a dry run together', async () => {
    const all = rows(100);
    // The batch created rows 0-29 and failed on row 30 (bad); row 70 existed before the job.
    const existing = new Set([...all.slice(0, 30).map((r) => r.token.accessToken!), 'value-70']);
    const { deps, calls } = fakeAuthlete({ existing, invalid: new Set(['value-30', 'value-55']) });
    const result = await narrowFailedChunk(all, 30, deps);
    expect(result.createdByFailedBatch.map((r) => r.index)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(result.alreadyPresent.map((r) => r.row.index)).toEqual([70]);
    expect(result.rejected).toEqual([
      { row: all[30], errorCode: 'A002', errorDescription: '[A002] bad subject' },
      { row: all[55], errorCode: 'A002', errorDescription: '[A002] bad subject' },
    ]);
    expect(result.remainder).toHaveLength(100 - 30 - 3);
    expect(new Set(result.remainder.map((r) => r.index)).size).toBe(67);
    // One dry run per bad row plus the final passing one; lookups for the hinted rows and each bad row.
    expect(calls.dryRuns).toBe(4);
    expect(calls.lookups).toBe(33);
  });

  it('halves when Authlete does not name the failing element', async () => {
    const all = rows(64);
    const { deps, calls } = fakeAuthlete({
      existing: new Set(),
      invalid: new Set(['value-5', 'value-40']),
      namesElement: false,
    });
    const result = await narrowFailedChunk(all, 0, deps);
    expect(result.rejected.map((r) => r.row.index)).toEqual([5, 40]);
    expect(result.remainder).toHaveLength(62);
    expect(calls.dryRuns).toBeLessThanOrEqual(2 * 2 * Math.log2(64) + 1);
  });

  it('resubmits everything when the failure was transient', async () => {
    const { deps } = fakeAuthlete({ existing: new Set(), invalid: new Set() });
    const result = await narrowFailedChunk(rows(10), 0, deps);
    expect(result).toMatchObject({ createdByFailedBatch: [], alreadyPresent: [], rejected: [] });
    expect(result.remainder).toHaveLength(10);
  });

  it('gives up beyond its dry-run budget instead of hammering Authlete', async () => {
    const all = rows(20);
    const { deps } = fakeAuthlete({ existing: new Set(), invalid: new Set(all.map((r) => r.token.accessToken!)) });
    await expect(narrowFailedChunk(all, 0, { ...deps, maxDryRuns: 5 })).rejects.toBeInstanceOf(NarrowingLimitError);
  });

  it('starts from a failure already seen, and keeps what it found when the budget runs out', async () => {
    const all = rows(30);
    const invalid = new Set(['value-3', 'value-9', 'value-20', 'value-27']);
    const { deps, calls } = fakeAuthlete({ existing: new Set(['value-9']), invalid });
    const knownFailure = await deps.dryRun(all.map((r) => r.token));
    calls.dryRuns = 0;
    const spent: number[] = [];
    const result = await narrowFailedChunk(all, 0, { ...deps, onDryRun: (n) => void spent.push(n) }, { knownFailure });
    expect(result.alreadyPresent.map((r) => [r.row.index, r.errorCode])).toEqual([[9, 'A001']]);
    expect(result.rejected.map((r) => r.row.index)).toEqual([3, 20, 27]);
    // The known failure names row 3; then one dry run per remaining bad row plus the passing one.
    expect(calls.dryRuns).toBe(4);
    expect(spent).toEqual([1, 2, 3, 4]);
    expect(result.dryRuns).toBe(4);

    const limited = await narrowFailedChunk(all, 0, { ...deps, maxDryRuns: 2 }, { knownFailure }).catch(
      (error: unknown) => error,
    );
    expect(limited).toBeInstanceOf(NarrowingLimitError);
    const partial = (limited as NarrowingLimitError).partial!;
    expect([...partial.alreadyPresent, ...partial.rejected].map((r) => r.row.index).sort((a, b) => a - b)).toEqual([
      3, 9, 20,
    ]);
    expect(partial.remainder).toEqual([]);
    expect(partial.dryRuns).toBe(2);
  });

  it('reads the element index from Authlete error descriptions', () => {
    expect(failingElement('[A361202] Element [12]: bad')).toBe(12);
    expect(failingElement('[A1] nothing')).toBeUndefined();
    expect(failingElement(undefined)).toBeUndefined();
  });
});
