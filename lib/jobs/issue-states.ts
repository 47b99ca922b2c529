import { defineStateMachine } from './state-machine';

/**
 * The issue-from-CSV job's states. A job is what a person started; its chunks are the steps, each
 * sent to Authlete as one batch request after its own dry run. These tables are the only place the
 * life cycles are written down: the server's `transition()` refuses anything else.
 */

/** Derived from the chunks: draft (dry runs only) → submitting/processing ↔ attention → completed. */
export const ISSUE_JOB_STATES = ['draft', 'submitting', 'processing', 'attention', 'completed'] as const;
export type IssueJobState = (typeof ISSUE_JOB_STATES)[number];

export const issueJobMachine = defineStateMachine<IssueJobState>('issue job', ISSUE_JOB_STATES, {
  draft: ['submitting', 'processing', 'attention', 'completed'],
  submitting: ['processing', 'attention', 'completed'],
  processing: ['submitting', 'attention', 'completed'],
  attention: ['submitting', 'processing', 'completed'],
  completed: [],
});

/**
 * A chunk's real submission. `unknown`: sent, but the answer was lost (timeout, 5xx, a server
 * stopped mid-call); `narrowing`: its bad rows are being isolated; `narrowed`: its rows were
 * accounted for row by row (bad rows recorded, the rest moved into a new chunk).
 */
export const CHUNK_STATES = [
  'pending',
  'submitting',
  'running',
  'succeeded',
  'failed',
  'unknown',
  'narrowing',
  'narrowed',
] as const;
export type ChunkState = (typeof CHUNK_STATES)[number];

export const chunkMachine = defineStateMachine<ChunkState>('chunk', CHUNK_STATES, {
  pending: ['submitting', 'narrowed'],
  submitting: ['running', 'failed', 'unknown'],
  running: ['succeeded', 'failed', 'unknown'],
  failed: ['narrowing'],
  unknown: ['narrowing'],
  // A narrowing that stops half-way gives the chunk back as it was.
  narrowing: ['narrowed', 'failed', 'unknown'],
  succeeded: [],
  narrowed: [],
});

/** A chunk's dry run, before anything is sent for real. A failed one may be run (or narrowed) again. */
export const DRY_RUN_STATES = ['none', 'running', 'succeeded', 'failed'] as const;
export type DryRunState = (typeof DRY_RUN_STATES)[number];

export const dryRunMachine = defineStateMachine<DryRunState>('dry run', DRY_RUN_STATES, {
  none: ['running'],
  running: ['succeeded', 'failed'],
  // Only a chunk that passed before dry runs were digested is checked again (see startDryRun).
  succeeded: ['running'],
  failed: ['running'],
});

/** Why a row of the file was not created by its job. */
export const ROW_OUTCOMES = ['already_present', 'rejected'] as const;
