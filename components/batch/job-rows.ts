import type { JobChunk } from '@/lib/schemas/issue-job';

/** A chunk whose refused rows the admin excluded after its dry run: it was never sent; its other rows went on as a new chunk. */
export function excludedAfterDryRun(chunk: Pick<JobChunk, 'state' | 'dryRunState'>): boolean {
  return chunk.state === 'narrowed' && chunk.dryRunState === 'failed';
}

/**
 * The rows a job issues (sorted, merged half-open ranges of row indexes): every chunk's rows except
 * those of chunks excluded after their dry run, whose kept rows are in the chunks that replaced them.
 * Rows refused by the dry run and excluded are in no other chunk, so they are left out.
 */
export function issuedRowRanges(
  chunks: readonly Pick<JobChunk, 'state' | 'dryRunState' | 'rowRanges'>[],
): [number, number][] {
  const ranges = chunks
    .filter((chunk) => !excludedAfterDryRun(chunk))
    .flatMap((chunk) => chunk.rowRanges)
    .toSorted((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of ranges) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
