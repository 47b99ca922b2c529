import { z } from 'zod';

/** The actions a four-eyes policy can cover (server/approvals/policy.ts). */
export const approvalActionSchema = z.enum(['bulk_issue', 'revoke_all_client', 'offboarding']);
export type ApprovalAction = z.infer<typeof approvalActionSchema>;

/** Which actions need a second person, as configured (APPROVAL_* variables; server/approvals/policy.ts). */
export interface ApprovalPolicy {
  /** A bulk issue of more tokens than this needs approval (APPROVAL_BULK_ISSUE_OVER). */
  bulkIssueOver: number;
  /** Revoke-all for a whole client needs approval (APPROVAL_REVOKE_ALL_CLIENT). */
  revokeAllForClient: boolean;
  /** Offboarding that touches more tokens than this needs approval (APPROVAL_OFFBOARDING_OVER). */
  offboardingOver: number;
  /** A request not decided within this many hours expires (APPROVAL_EXPIRY_HOURS). */
  expiryHours: number;
}

export const approvalStateSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'executed']);

/**
 * What the requester says when asking: sent with the refused action again as the headers
 * `x-approval-justification` and `x-approval-ticket` (URL-encoded), so any action route can take it.
 */
export const approvalRequestSchema = z.strictObject({
  justification: z.string().trim().min(10, 'at least 10 characters: say why').max(1000, 'at most 1000 characters'),
  ticket: z
    .string()
    .trim()
    .max(100, 'at most 100 characters')
    .regex(/^[\w.#:/-]*$/, 'a ticket id such as INC-1234')
    .optional(),
});
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

/** `POST .../approvals/[id]/approve|reject`. */
export const approvalDecisionSchema = z.strictObject({
  note: z.string().trim().max(1000, 'at most 1000 characters').optional(),
});

const approvalParamsSchema = z.strictObject({ id: z.uuid('an approval id') });

/** `POST …/approvals/[id]/approve|reject`. */
export const approvalDecisionParamsSchema = approvalParamsSchema.extend({
  decision: z.enum(['approve', 'reject'], { error: 'approve or reject' }),
});

/** One approval as the API answers it. */
export const approvalSchema = z.object({
  id: z.string(),
  action: approvalActionSchema,
  service: z.string(),
  digest: z.string(),
  summary: z.record(z.string(), z.unknown()),
  state: approvalStateSchema,
  requestedBy: z.string(),
  requestedByEmail: z.string(),
  justification: z.string(),
  ticket: z.string().nullable(),
  tokenCount: z.number().int().nullable(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  decidedByEmail: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  executedAt: z.string().nullable(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const approvalListSchema = z.object({ approvals: z.array(approvalSchema), pending: z.number().int() });
export type ApprovalList = z.infer<typeof approvalListSchema>;
