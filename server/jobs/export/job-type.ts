import 'server-only';
import { z } from 'zod';
import { exportMachine } from '@/lib/jobs/export-states';
import { runExport } from '@/server/jobs/export/run';
import { exportLeaseLeftMs, findExport } from '@/server/jobs/export/store';
import { defineJobType, idle, runAgainIn } from '../core/define';
import { setProgress, transitionJob } from '../core/store';

/**
 * An export of a long list (this folder): the job record is the generic one (owner, state,
 * progress); the export's own row (same id) holds its filter, cursor and CSV parts. A step reads
 * from the stored cursor until the deadline, so a restart or a second instance resumes it.
 */
export const exportJobType = defineJobType({
  name: 'export',
  payload: z.strictObject({}),
  machine: exportMachine,
  initialState: 'queued',
  async runStep({ job, deadline }) {
    if (job.state === 'queued') await transitionJob(exportJobType, job.id, 'running', { from: ['queued'] });
    await runExport(job.id, { budgetMs: Math.max(0, deadline - Date.now()) });
    const row = await findExport(job.id);
    if (!row) {
      await transitionJob(exportJobType, job.id, 'failed', {
        set: { error: 'The export expired before it finished.' },
      });
      return idle;
    }
    await setProgress(job.id, row.rowsDone, row.rowsTotal);
    if (row.state === 'succeeded') {
      await transitionJob(exportJobType, job.id, 'completed');
      return idle;
    }
    if (row.state === 'failed') {
      await transitionJob(exportJobType, job.id, 'failed', { set: { error: row.error } });
      return idle;
    }
    // Unfinished: more to read, or another worker holds it (this step runs again when its lease ends).
    return runAgainIn(exportLeaseLeftMs(row));
  },
});
