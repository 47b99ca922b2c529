import { defineStateMachine } from './state-machine';

/** An export job (server/jobs/export): its steps read the list into stored CSV parts. */
export const EXPORT_JOB_STATES = ['queued', 'running', 'completed', 'failed'] as const;
export type ExportJobState = (typeof EXPORT_JOB_STATES)[number];

export const exportMachine = defineStateMachine<ExportJobState>('export', EXPORT_JOB_STATES, {
  queued: ['running', 'failed'],
  running: ['completed', 'failed'],
  completed: [],
  failed: [],
});
