import 'server-only';
import type { z } from 'zod';
import type { StateMachine } from '@/lib/jobs/state-machine';
import type { JobRecord } from './store';

/** What one step of a job asks for next: run again after a delay, or nothing until someone acts. */
export type StepResult = { again: true; afterMs: number } | { again: false };

export const runAgainIn = (afterMs: number): StepResult => ({ again: true, afterMs: Math.max(0, afterMs) });
export const idle: StepResult = { again: false };

export interface StepContext<P, S extends string> {
  job: JobRecord<S>;
  payload: P;
  /** Stop starting new work after this (epoch ms): on Vercel a cron call has a time limit. */
  deadline: number;
  /** Aborts when this process stops its workers: stop starting new work (the job is picked up again at the next start). */
  signal: AbortSignal;
}

/**
 * A kind of job. `machine` is its state machine (lib/jobs/…, shared with the browser); a new job
 * starts in `initialState`. `runStep` does one bounded piece of server-side work (no browser
 * secret) and says whether to run again; it must be safe to run twice (a step whose server died
 * is retried), which `transitionJob()`'s compare-and-set gives it.
 */
export interface JobType<P, S extends string> {
  name: string;
  payload: z.ZodType<P>;
  machine: StateMachine<S>;
  initialState: S;
  runStep(context: StepContext<P, S>): Promise<StepResult>;
}

/** Declares a job type; list it in server/jobs/registry.ts so workers run its steps. */
export function defineJobType<P, S extends string>(definition: JobType<P, S>): JobType<P, S> {
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(definition.name)) throw new Error(`Bad job type name "${definition.name}".`);
  return definition;
}

/** Any job type, for the registry and the queue, which only pass payloads through the type's own schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobType = JobType<any, string>;
