import 'server-only';
import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import { and, desc, eq, gt, lte } from 'drizzle-orm';
import {
  approvalRequestSchema,
  type Approval,
  type ApprovalAction,
  type ApprovalList,
  type ApprovalRequest,
} from '@/lib/schemas/approval';
import type { Actor } from '@/lib/schemas/session';
import { auditRequestContext, recordAudit, type AuditDraft } from '@/server/audit';
import { config } from '@/server/config';
import { getDb } from '@/server/db';
import { approvals } from '@/server/db/schema';
import { needsApproval, type ApprovalFacts } from './policy';

/**
 * Why a four-eyes step cannot go on. Approval code throws these, never an HTTP error; the route
 * wrapper maps each kind to a status (server/http/errors.ts, `fromApprovalError`).
 */
export class ApprovalError extends Error {
  override name = 'ApprovalError';
  constructor(
    readonly kind: 'required' | 'own_request' | 'not_usable' | 'not_found' | 'already_decided' | 'invalid_request',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** SHA-256 of the action exactly as previewed: its kind, its service and its canonical payload. */
export function approvalDigest(action: ApprovalAction, service: string, payload: unknown): string {
  return createHash('sha256').update(stableStringify({ action, service, payload })).digest('hex');
}

type Row = typeof approvals.$inferSelect;

function toApproval(row: Row): Approval {
  return {
    id: row.id,
    action: row.action as ApprovalAction,
    service: row.service,
    digest: row.digest,
    summary: row.summary,
    state: row.state,
    requestedBy: row.requestedBy,
    requestedByEmail: row.requestedByEmail,
    justification: row.justification,
    ticket: row.ticket,
    tokenCount: row.tokenCount,
    requestedAt: row.requestedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    decidedByEmail: row.decidedByEmail,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    executedAt: row.executedAt?.toISOString() ?? null,
  };
}

const auditActorOf = (actor: Actor) => ({ id: actor.id, email: actor.email, role: actor.role, method: actor.method });

/** The justification and ticket a requester sent with a refused action (headers), or null when none. */
export function approvalRequestFrom(headers: Headers): ApprovalRequest | null {
  const justification = headers.get('x-approval-justification');
  if (justification === null) return null;
  const ticket = headers.get('x-approval-ticket');
  let decoded: unknown;
  try {
    decoded = {
      justification: decodeURIComponent(justification),
      ...(ticket ? { ticket: decodeURIComponent(ticket) } : {}),
    };
  } catch {
    throw new ApprovalError('invalid_request', 'The approval justification is not URL-encoded text.');
  }
  const parsed = approvalRequestSchema.safeParse(decoded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApprovalError(
      'invalid_request',
      `The approval request is not valid (${String(issue?.path[0] ?? 'justification')}: ${issue?.message ?? 'invalid'}).`,
    );
  }
  return parsed.data;
}

/** Marks every undecided request past its expiry as expired, each audited once. */
export async function expireOverdueApprovals(now = new Date()): Promise<number> {
  const db = await getDb();
  const expired = await db
    .update(approvals)
    .set({ state: 'expired', decidedAt: now })
    .where(and(eq(approvals.state, 'pending'), lte(approvals.expiresAt, now)))
    .returning();
  for (const row of expired) {
    await recordAudit({
      action: 'approval.expire',
      outcome: 'success',
      actor: null,
      service: row.service,
      count: row.tokenCount,
      details: {
        approvalId: row.id,
        approvalAction: row.action,
        service: row.service,
        requestedBy: row.requestedByEmail,
      },
    });
  }
  return expired.length;
}

export interface ApprovalGuard {
  action: ApprovalAction;
  service: string;
  actor: Actor;
  /** The action's canonical payload as previewed: its digest is what the approver approves. */
  payload: unknown;
  /** What the approver is shown (counts, client, subject, job): never token values. */
  summary: Record<string, unknown>;
  facts: ApprovalFacts;
  /** The request's headers: the justification and ticket when the requester is asking. */
  headers: Headers;
  /**
   * The approval covers several requests of one action (the chunks of one bulk issue): once used
   * it stays usable for the same digest by the same person. Each chunk is still sent only once
   * (its own state machine); the action as a whole is what was approved.
   */
  coversParts?: boolean;
}

export type GuardOutcome = { kind: 'proceed'; approvalId: string | null } | { kind: 'requested'; approval: Approval };

/**
 * Four-eyes in front of an action. When the policy does not cover it: proceed. When it does: an
 * approval by another admin for exactly this digest, asked for by this person, is used (once, in a
 * guarded update, so two concurrent retries cannot both run it) and the action proceeds; else, when
 * the request carries a justification, a pending approval is recorded and returned (the route answers
 * 202, does nothing else and audits it with `approvalRequestAudit`); else `ApprovalError('required')` with the digest.
 */
export async function guardWithApproval(guard: ApprovalGuard): Promise<GuardOutcome> {
  if (!needsApproval(guard.action, guard.facts, config.security.approvals))
    return { kind: 'proceed', approvalId: null };
  const db = await getDb();
  const now = new Date();
  await expireOverdueApprovals(now);
  const digest = approvalDigest(guard.action, guard.service, guard.payload);
  const mine = and(
    eq(approvals.digest, digest),
    eq(approvals.action, guard.action),
    eq(approvals.service, guard.service),
    eq(approvals.requestedBy, guard.actor.id),
  );
  const [claimed] = await db
    .update(approvals)
    .set({ state: 'executed', executedAt: now })
    .where(and(mine, eq(approvals.state, 'approved')))
    .returning();
  if (claimed) {
    await recordAudit({
      action: 'approval.execute',
      outcome: 'success',
      actor: auditActorOf(guard.actor),
      request: auditRequestContext(guard.headers),
      service: claimed.service,
      count: claimed.tokenCount,
      details: { approvalId: claimed.id, approvalAction: claimed.action, service: claimed.service, digest },
    });
    return { kind: 'proceed', approvalId: claimed.id };
  }
  if (guard.coversParts) {
    const [used] = await db
      .select({ id: approvals.id })
      .from(approvals)
      .where(and(mine, eq(approvals.state, 'executed')))
      .limit(1);
    if (used) return { kind: 'proceed', approvalId: used.id };
  }
  const request = approvalRequestFrom(guard.headers);
  if (!request) {
    throw new ApprovalError(
      'required',
      'This action needs a second person: send it again with a justification to ask another admin to approve it.',
      { action: guard.action, digest },
    );
  }
  const [waiting] = await db
    .select()
    .from(approvals)
    .where(and(mine, eq(approvals.state, 'pending'), gt(approvals.expiresAt, now)))
    .limit(1);
  if (waiting) return { kind: 'requested', approval: toApproval(waiting) };
  const [created] = await db
    .insert(approvals)
    .values({
      id: crypto.randomUUID(),
      action: guard.action,
      service: guard.service,
      digest,
      summary: guard.summary,
      requestedBy: guard.actor.id,
      requestedByEmail: guard.actor.email,
      justification: request.justification,
      ticket: request.ticket ?? null,
      tokenCount: guard.facts.tokenCount ?? null,
      requestedAt: now,
      expiresAt: new Date(now.getTime() + config.security.approvals.expiryHours * 3_600_000),
    })
    .returning();
  const approval = toApproval(created!);
  return { kind: 'requested', approval };
}

/**
 * The audit record of the route that recorded a request instead of running its action: the action's
 * own record would say it ran.
 */
export function approvalRequestAudit(approval: Approval): Pick<AuditDraft, 'action' | 'reason' | 'count' | 'details'> {
  return {
    action: 'approval.request',
    reason: approval.justification,
    count: approval.tokenCount ?? undefined,
    details: {
      approvalId: approval.id,
      approvalAction: approval.action,
      service: approval.service,
      digest: approval.digest,
      ...(approval.ticket ? { ticket: approval.ticket } : {}),
    },
  };
}

/**
 * Another admin approves or rejects a pending request: never the requester, never after its expiry,
 * and only once (a guarded update: of two concurrent decisions one wins, the other is refused).
 */
export async function decideApproval(
  id: string,
  service: string,
  decider: Actor,
  decision: 'approve' | 'reject',
  note: string | undefined,
): Promise<Approval> {
  const db = await getDb();
  const now = new Date();
  await expireOverdueApprovals(now);
  const [row] = await db
    .select()
    .from(approvals)
    .where(and(eq(approvals.id, id), eq(approvals.service, service)));
  if (!row) throw new ApprovalError('not_found', 'There is no such approval request.');
  if (row.requestedBy === decider.id)
    throw new ApprovalError('own_request', 'You cannot decide your own request; another admin must.');
  if (row.state === 'expired') throw new ApprovalError('not_usable', 'This request expired before anyone decided it.');
  const [decided] = await db
    .update(approvals)
    .set({
      state: decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: decider.id,
      decidedByEmail: decider.email,
      decidedAt: now,
      decisionNote: note ?? null,
    })
    .where(and(eq(approvals.id, id), eq(approvals.state, 'pending'), gt(approvals.expiresAt, now)))
    .returning();
  if (!decided) throw new ApprovalError('already_decided', 'This request has already been decided.');
  return toApproval(decided);
}

/**
 * A service's approval requests, newest first: everyone's for a person who decides them, only
 * their own for anyone else. Overdue ones are expired first.
 */
export async function listApprovals(service: string, viewer: Actor, decides: boolean): Promise<ApprovalList> {
  const db = await getDb();
  await expireOverdueApprovals();
  const visible = decides
    ? eq(approvals.service, service)
    : and(eq(approvals.service, service), eq(approvals.requestedBy, viewer.id));
  const rows = await db.select().from(approvals).where(visible).orderBy(desc(approvals.requestedAt)).limit(200);
  const list = rows.map(toApproval);
  return {
    approvals: list,
    pending: list.filter((approval) => approval.state === 'pending' && approval.requestedBy !== viewer.id).length,
  };
}
