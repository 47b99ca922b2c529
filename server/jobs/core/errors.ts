import type { StateMachine } from '@/lib/jobs/state-machine';

/**
 * Why a job action cannot be done, in the job's own words. Job code throws these and never an HTTP
 * error; the route wrapper (server/http/errors.ts, `fromJobError`) maps each kind to a status.
 */
export type JobErrorKind =
  /** No such job or chunk. */
  | 'not_found'
  /** The job or chunk is not in a state that allows this (already done, being done, changed meanwhile). */
  | 'conflict'
  /** What was sent does not fit the job (row count, row lines, missing values). */
  | 'invalid_input'
  /** The work is more than the job may do on its own (e.g. too many bad rows to narrow). */
  | 'too_much_work'
  /** Authlete has not finished yet; asking again later will do. */
  | 'still_processing';

export class JobError extends Error {
  override name = 'JobError';
  constructor(
    readonly kind: JobErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A move its state machine does not allow, or a compare-and-set that lost to another writer. */
export class TransitionRefusedError<S extends string = string> extends JobError {
  override name = 'TransitionRefusedError';
  constructor(
    readonly machine: StateMachine<S>,
    readonly from: S | null,
    readonly to: S,
    message: string,
  ) {
    super('conflict', message);
  }
}

/** For a compare-and-set that may rightly find the work already moved on: only a refused move is ignored. */
export function ignoreRefused(error: unknown): void {
  if (!(error instanceof TransitionRefusedError)) throw error;
}
