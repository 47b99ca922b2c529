import { defineStateMachine } from './state-machine';

/**
 * Offboarding a person (server/jobs/offboard): per client, delete their tokens, then forget their
 * consent. `partial` = ended with parts that failed; retrying them runs it again.
 */
export const OFFBOARD_JOB_STATES = ['queued', 'running', 'completed', 'partial'] as const;
export type OffboardJobState = (typeof OFFBOARD_JOB_STATES)[number];

export const offboardMachine = defineStateMachine<OffboardJobState>('offboarding', OFFBOARD_JOB_STATES, {
  queued: ['running'],
  running: ['completed', 'partial'],
  partial: ['running'],
  completed: [],
});
