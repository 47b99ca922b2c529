import { describe, expect, it } from 'vitest';
import type { JobChunk } from '@/lib/schemas/issue-job';
import { excludedAfterDryRun, issuedRowRanges } from './job-rows';

type ChunkRows = Pick<JobChunk, 'state' | 'dryRunState' | 'rowRanges'>;

describe('issuedRowRanges', () => {
  it('leaves out the rows excluded after the dry run, keeping the rest of their chunks', () => {
    // Rows 1, 7, 8 (chunk 0) and 12, 14 (chunk 1) were refused by the dry run and excluded.
    const chunks: ChunkRows[] = [
      { state: 'narrowed', dryRunState: 'failed', rowRanges: [[0, 10]] },
      { state: 'narrowed', dryRunState: 'failed', rowRanges: [[10, 20]] },
      {
        state: 'succeeded',
        dryRunState: 'succeeded',
        rowRanges: [
          [0, 1],
          [2, 7],
          [9, 10],
        ],
      },
      {
        state: 'pending',
        dryRunState: 'succeeded',
        rowRanges: [
          [10, 12],
          [13, 14],
          [15, 20],
        ],
      },
    ];
    expect(issuedRowRanges(chunks)).toEqual([
      [0, 1],
      [2, 7],
      [9, 12],
      [13, 14],
      [15, 20],
    ]);
  });

  it('keeps every row of a chunk narrowed after a real submission (its rows were sent)', () => {
    const chunks: ChunkRows[] = [
      { state: 'narrowed', dryRunState: 'succeeded', rowRanges: [[0, 6]] },
      {
        state: 'succeeded',
        dryRunState: 'succeeded',
        rowRanges: [
          [2, 4],
          [5, 6],
        ],
      },
      { state: 'pending', dryRunState: 'succeeded', rowRanges: [[6, 9]] },
    ];
    expect(issuedRowRanges(chunks)).toEqual([[0, 9]]);
    expect(chunks.map(excludedAfterDryRun)).toEqual([false, false, false]);
  });

  it('issues nothing when every row was excluded', () => {
    expect(issuedRowRanges([{ state: 'narrowed', dryRunState: 'failed', rowRanges: [[0, 3]] }])).toEqual([]);
  });
});
