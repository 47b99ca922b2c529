/**
 * Four-eyes against the app database: a request is recorded with its digest, another admin decides
 * it (never the requester, never after the expiry, only once), and the approved action runs only
 * when it is exactly what was approved, and only once, however many retries race.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/schemas/session';
import { listAudit } from '@/server/audit';
import { createUser } from '@/server/auth/users';
import { getDb } from '@/server/db';
import { approvals } from '@/server/db/schema';
import { useTestConfig } from '@/server/testing/config';
import { ApprovalError, decideApproval, guardWithApproval, listApprovals, type ApprovalGuard } from './index';

let requester: Actor;
let approver: Actor;
let third: Actor;

async function person(role: 'admin' | 'support'): Promise<Actor> {
  const email = `${role}-${crypto.randomUUID().slice(0, 8)}@desk.test`;
  const user = await createUser(await getDb(), { email, name: email, role, password: 'a long enough test password' });
  return { id: user.id, email, name: email, role, method: 'password' };
}

beforeAll(async () => {
  useTestConfig({ APPROVAL_BULK_ISSUE_OVER: '10', APPROVAL_EXPIRY_HOURS: '24' });
  requester = await person('admin');
  approver = await person('admin');
  third = await person('admin');
});

const asking = (justification?: string) =>
  new Headers(
    justification
      ? { 'x-approval-justification': encodeURIComponent(justification), 'x-approval-ticket': 'INC-42' }
      : {},
  );

function bulk(payload: unknown, headers = asking(), actor = requester): ApprovalGuard {
  return {
    action: 'bulk_issue',
    service: 'default',
    actor,
    payload,
    summary: { rowCount: 20 },
    facts: { tokenCount: 20 },
    headers,
  };
}

async function requested(payload: unknown) {
  const outcome = await guardWithApproval(bulk(payload, asking('Migrating the partner tokens, ticket attached')));
  if (outcome.kind !== 'requested') throw new Error('expected a request');
  return outcome.approval;
}

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof ApprovalError ? error.kind : String(error)),
  );

describe('guardWithApproval', () => {
  it('lets an action under the threshold through without anyone', async () => {
    const outcome = await guardWithApproval({ ...bulk({ job: 'small' }), facts: { tokenCount: 10 } });
    expect(outcome).toEqual({ kind: 'proceed', approvalId: null });
  });

  it('refuses an action over it until asked for, records the request with justification and ticket', async () => {
    const payload = { job: crypto.randomUUID() };
    await expect(kindOf(guardWithApproval(bulk(payload)))).resolves.toBe('required');
    const approval = await requested(payload);
    expect(approval).toMatchObject({
      state: 'pending',
      requestedByEmail: requester.email,
      justification: 'Migrating the partner tokens, ticket attached',
      ticket: 'INC-42',
      tokenCount: 20,
    });
    // Asking again returns the same request.
    expect((await requested(payload)).id).toBe(approval.id);
    // Still refused while pending.
    await expect(kindOf(guardWithApproval(bulk(payload)))).resolves.toBe('required');
    const list = await listApprovals('default', approver, true);
    expect(list.approvals.map((a) => a.id)).toContain(approval.id);
    expect(list.pending).toBeGreaterThan(0);
  });

  it('refuses a justification too short to say why', async () => {
    await expect(kindOf(guardWithApproval(bulk({ job: 'x' }, asking('because'))))).resolves.toBe('invalid_request');
  });
});

describe('decideApproval', () => {
  it('refuses the requester their own approval', async () => {
    const approval = await requested({ job: crypto.randomUUID() });
    await expect(kindOf(decideApproval(approval.id, 'default', requester, 'approve', undefined))).resolves.toBe(
      'own_request',
    );
  });

  it('runs the approved action once, for exactly the approved digest, and only for the requester', async () => {
    const payload = { job: crypto.randomUUID(), rows: 20 };
    const approval = await requested(payload);
    const decided = await decideApproval(approval.id, 'default', approver, 'approve', 'Checked the file');
    expect(decided).toMatchObject({ state: 'approved', decidedByEmail: approver.email });

    // A changed action (another digest) and another person are not covered.
    await expect(kindOf(guardWithApproval(bulk({ ...payload, rows: 21 })))).resolves.toBe('required');
    await expect(kindOf(guardWithApproval(bulk(payload, asking(), third)))).resolves.toBe('required');

    // Two retries at once: one runs, the other is refused.
    const outcomes = await Promise.all([
      kindOf(guardWithApproval(bulk(payload))),
      kindOf(guardWithApproval(bulk(payload))),
    ]);
    expect(outcomes.sort()).toEqual(['ok', 'required']);
    await expect(kindOf(guardWithApproval(bulk(payload)))).resolves.toBe('required');

    const db = await getDb();
    const [row] = await db.select().from(approvals).where(eq(approvals.id, approval.id));
    expect(row).toMatchObject({ state: 'executed' });
    const { entries } = await listAudit({ page: 1, pageSize: 50 } as never);
    expect(
      entries.filter((e) => e.action === 'approval.execute' && e.details?.approvalId === approval.id),
    ).toHaveLength(1);
  });

  it('lets one of two concurrent approvals win, and a rejection stops the action', async () => {
    const payload = { job: crypto.randomUUID() };
    const approval = await requested(payload);
    const both = await Promise.all([
      kindOf(decideApproval(approval.id, 'default', approver, 'approve', undefined)),
      kindOf(decideApproval(approval.id, 'default', third, 'approve', undefined)),
    ]);
    expect(both.sort()).toEqual(['already_decided', 'ok']);
    const outcomes = await Promise.all([
      kindOf(guardWithApproval(bulk(payload))),
      kindOf(guardWithApproval(bulk(payload))),
    ]);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);

    const other = { job: crypto.randomUUID() };
    const rejected = await requested(other);
    await decideApproval(rejected.id, 'default', approver, 'reject', 'Not without the ticket');
    await expect(kindOf(guardWithApproval(bulk(other)))).resolves.toBe('required');
  });

  it('expires an undecided request after its expiry, audited, and refuses to decide it', async () => {
    const payload = { job: crypto.randomUUID() };
    const approval = await requested(payload);
    const db = await getDb();
    await db
      .update(approvals)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(approvals.id, approval.id));
    await expect(kindOf(decideApproval(approval.id, 'default', approver, 'approve', undefined))).resolves.toBe(
      'not_usable',
    );
    const [row] = await db.select().from(approvals).where(eq(approvals.id, approval.id));
    expect(row?.state).toBe('expired');
    const { entries } = await listAudit({ page: 1, pageSize: 50 } as never);
    expect(entries.some((e) => e.action === 'approval.expire' && e.details?.approvalId === approval.id)).toBe(true);
  });
});
