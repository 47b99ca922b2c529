import { defineStateMachine } from './state-machine';

/**
 * A revoke-by-query job (server/jobs/revoke): drafted with its query (and subject list), then a
 * preview step counts what it would revoke; only a confirmed preview runs. Pause and resume move
 * between running and paused; cancel stops it wherever it is.
 */
export const REVOKE_JOB_STATES = [
  'draft',
  'scanning',
  'previewed',
  'running',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const;
export type RevokeJobState = (typeof REVOKE_JOB_STATES)[number];

export const revokeMachine = defineStateMachine<RevokeJobState>('revocation', REVOKE_JOB_STATES, {
  draft: ['scanning', 'cancelled'],
  scanning: ['previewed', 'cancelled', 'failed'],
  previewed: ['running', 'cancelled'],
  running: ['paused', 'completed', 'cancelled', 'failed'],
  paused: ['running', 'cancelled'],
  completed: [],
  cancelled: [],
  failed: [],
});
