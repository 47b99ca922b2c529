import { z } from 'zod';

/** The actions a four-eyes policy can cover (server/approvals/policy.ts). */
export const approvalActionSchema = z.enum(['bulk_issue', 'revoke_all_client', 'offboarding']);
export type ApprovalAction = z.infer<typeof approvalActionSchema>;

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

export const approvalParamsSchema = z.strictObject({ id: z.uuid('an approval id') });

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
