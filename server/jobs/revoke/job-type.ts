import 'server-only';
import { z } from 'zod';
import { revokeMachine } from '@/lib/jobs/revoke-states';
import { recordAudit } from '@/server/audit';
import { authleteFor, refreshServices } from '@/server/services';
import { defineJobType, idle, runAgainIn } from '../core/define';
import { setProgress, transitionJob, findJob } from '../core/store';
import { ignoreRefused } from '../core/errors';
import {
  claimRevoke,
  findRevokeRow,
  itemCounts,
  LEASE_RETRY_MS,
  pendingItems,
  releaseRevoke,
  renewRevoke,
  updateRevokeRow,
} from './store';
import { revokeBatch, revokeBatchSize, scanStep, withDigest } from './work';

/** A step works at most this long, so a stopping server waits for little and pause is heard soon. */
const STEP_SLICE_MS = 5_000;

/**
 * Revoke by query (this folder): the generic job record holds owner, state and progress; the
 * job's own row (revoke_jobs, same id) holds the service, query, scan cursor, preview and lease,
 * and revoke_items one row per upstream call with its outcome. `scanning` counts what the query
 * covers (the preview); `running` revokes the previewed items batch by batch. Both keep their
 * place in the database, so a restart or a second instance carries on where the last step stopped,
 * and an item is marked done once only.
 */
export const revokeJobType = defineJobType({
  name: 'revoke',
  payload: z.strictObject({ service: z.string().min(1) }),
  machine: revokeMachine,
  initialState: 'draft',
  async runStep({ job, payload, deadline, signal }) {
    if (job.state !== 'scanning' && job.state !== 'running') return idle;
    if (!(await claimRevoke(job.id))) return runAgainIn(LEASE_RETRY_MS);
    await refreshServices();
    const authlete = authleteFor(payload.service);
    const until = Math.min(deadline, Date.now() + STEP_SLICE_MS);
    try {
      const row = await findRevokeRow(job.id);
      if (!row) return idle;
      if (job.state === 'scanning') {
        let scanned = row.scanned;
        const preview = await scanStep(authlete, row, until, signal, async (cursor, more) => {
          scanned += more;
          await updateRevokeRow(job.id, { scanCursor: cursor, scanned });
          await renewRevoke(job.id);
        });
        if (!preview) return runAgainIn(0);
        const full = withDigest(row, preview);
        await updateRevokeRow(job.id, { preview: full, digest: full.digest, scanCursor: null });
        await transitionJob(revokeJobType, job.id, 'previewed', { from: ['scanning'] }).catch(ignoreRefused);
        await setProgress(job.id, 0, full.items);
        return idle;
      }
      while (Date.now() < until && !signal.aborted) {
        const current = await findJob(revokeJobType, job.id);
        if (current?.state !== 'running') return idle;
        const items = await pendingItems(job.id, revokeBatchSize());
        if (items.length === 0) {
          const counts = await itemCounts((await findRevokeRow(job.id))!);
          await setProgress(job.id, counts.done + counts.failed, counts.total);
          await transitionJob(revokeJobType, job.id, 'completed', { from: ['running'], set: { result: counts } })
            .then(() =>
              recordAudit({
                action: 'incident.finish',
                outcome: counts.failed === 0 ? 'success' : 'failure',
                actor: { id: job.createdBy.id, email: job.createdBy.email },
                service: row.service,
                count: counts.revokedTokens,
                reason: row.reason,
                details: { jobId: job.id, service: row.service, ...counts },
              }),
            )
            .catch(ignoreRefused);
          return idle;
        }
        const { retryAfterMs } = await revokeBatch(authlete, job.id, items);
        const counts = await itemCounts((await findRevokeRow(job.id))!);
        await setProgress(job.id, counts.done + counts.failed, counts.total);
        if (retryAfterMs !== null) return runAgainIn(retryAfterMs);
        await renewRevoke(job.id);
      }
      return runAgainIn(0);
    } finally {
      await releaseRevoke(job.id);
    }
  },
});
