import { z } from 'zod';
import { roleSchema } from '@/lib/roles';
import { serviceSlugSchema } from './service';
import { emptyToUndefined, pageQuerySchema, pageSizeQuerySchema, timestampSchema, tokenHashSchema } from './common';

/** Every kind of event the audit log records. A fixed list: the log is filtered and reported on by it. */
export const auditActions = [
  'token.create',
  'token.update',
  'token.revoke',
  'token.revoke_all',
  'token.delete',
  /** The access token's value replaced (the new value is never recorded, only its hash). */
  'token.rotate',
  'token.lookup',
  /** Authorized apps (issue 16): every token of one person for one client deleted / its scopes replaced. */
  'app.revoke',
  'app.narrow',
  /** A person's remembered consent for one client deleted (they will be asked again). */
  'consent.forget',
  /** Offboarding a person: the job started (with its preview), each per-client part, a retry of failed parts. */
  'subject.offboard',
  'subject.offboard_step',
  'subject.offboard_retry',
  /** Bulk-issuing job steps: each names its job (`details.jobId`). */
  'job.create',
  'job.dry_run',
  'job.find_bad_rows',
  'job.exclude_rows',
  'job.submit',
  'job.narrow',
  'job.resume',
  /** Exports of a long list run as a job: started (with its filter), finished (with its rows). */
  'export.create',
  'export.finish',
  /** A bulk-issue job reached its end (every row accounted for). */
  'job.finish',
  /** An offboarding ended: every client done (success) or some failed (failure, may be retried). */
  'subject.offboard_finish',
  /** Incident response: a revoke-by-query job (`details.jobId`) through its steps, and the client kill switch. */
  'incident.create',
  'incident.upload',
  'incident.preview',
  'incident.start',
  'incident.pause',
  'incident.resume',
  'incident.cancel',
  'incident.finish',
  'client.lock',
  'client.unlock',
  /** Before job steps had their own names (kept so older records still read and filter). */
  'batch.create',
  'batch.dry_run',
  'batch.resume',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.denied',
  'user.create',
  'user.role_change',
  'user.disable',
  'user.enable',
  /** A second factor: enrolled (confirmed with a first code), reset by an admin. */
  'auth.mfa_enrol',
  'auth.mfa_reset',
  /** A person added or removed one of their own passkeys. */
  'auth.passkey_add',
  'auth.passkey_remove',
  /** A person proved it was them again before a dangerous action (second factor or password). */
  'auth.step_up',
  /** Four-eyes: asked for, approved, rejected, expired undecided, and the approved action run. */
  'approval.request',
  'approval.approve',
  'approval.reject',
  'approval.expire',
  'approval.execute',
  /** Staff administration: a person's sessions ended by an admin. */
  'user.sessions_end',
  /** A webhook endpoint registered for a service (its secret is never recorded). */
  'webhook.create',
  /** An endpoint's address, description, event filter or on/off changed. */
  'webhook.update',
  /** An endpoint removed, with its pending deliveries. */
  'webhook.delete',
  /** An endpoint's signing secret replaced (the new one shown once, never recorded). */
  'webhook.rotate_secret',
  /** A test event queued to one endpoint. */
  'webhook.test',
  /** A delivery queued again by hand, under the same `webhook-id`. */
  'webhook.redeliver',
  /** An Authlete service stored in the app: added, changed (or disabled), deleted; its connection tested; an organization's services listed. */
  'service.create',
  'service.update',
  'service.delete',
  'service.test',
  'service.discover',
  /** A person saved their language or time zone on their account. */
  'account.locale',
  'account.time_zone',
] as const;
export const auditActionSchema = z.enum(auditActions, {
  error: 'Action must be one of the audit actions, e.g. token.revoke.',
});
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditOutcomeSchema = z.enum(['success', 'failure']);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

export const signInMethodSchema = z.enum(['password', 'oidc']);
export type SignInMethod = z.infer<typeof signInMethodSchema>;

/** One audit record as `GET /api/audit` returns it. */
export const auditRecordSchema = z.object({
  id: z.string(),
  occurredAt: timestampSchema,
  action: auditActionSchema,
  outcome: auditOutcomeSchema,
  /** Who did it; for a failed sign-in only the email that was tried. */
  actor: z
    .object({
      id: z.string().nullable(),
      email: z.string().nullable(),
      role: roleSchema.nullable(),
      method: signInMethodSchema.nullable(),
    })
    .nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  /** The slug of the Authlete service acted on; null for sign-in and staff accounts. */
  service: z.string().nullable(),
  target: z.object({
    tokenHash: z.string().nullable(),
    clientId: z.string().nullable(),
    subject: z.string().nullable(),
    batchRequestId: z.string().nullable(),
  }),
  upstream: z.object({ status: z.number().int().nullable(), resultCode: z.string().nullable() }),
  errorCode: z.string().nullable(),
  /** Tokens revoked, rows in a batch. */
  count: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** Before/after of an update, the denied route, and similar detail. */
  details: z.record(z.string(), z.unknown()),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

const optionalTime = (label: string) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: `${label} must be a time in milliseconds since the epoch.` })
      .int(`${label} must be a time in milliseconds since the epoch.`)
      .nonnegative(`${label} must be a time in milliseconds since the epoch.`)
      .optional(),
  );

export const AUDIT_PAGE_SIZES = [20, 50, 100] as const;

/** The audit log's filters, shared by its list and its export. */
const auditFilterFields = {
  /** Email (case-insensitive) or user id of the person who acted. */
  actor: z.preprocess(emptyToUndefined, z.string().trim().max(320, 'Actor is at most 320 characters.').optional()),
  action: z.preprocess(emptyToUndefined, auditActionSchema.optional()),
  outcome: z.preprocess(emptyToUndefined, auditOutcomeSchema.optional()),
  subject: z.preprocess(emptyToUndefined, z.string().trim().max(100, 'Subject is at most 100 characters.').optional()),
  /** The slug of the Authlete service acted on. */
  service: z.preprocess(emptyToUndefined, serviceSlugSchema.optional()),
  /** One token's entries: its access token hash (the token detail page's history). */
  tokenHash: z.preprocess(emptyToUndefined, tokenHashSchema.optional()),
  /** Inclusive lower bound, ms since epoch. */
  from: optionalTime('From'),
  /** Exclusive upper bound, ms since epoch. */
  to: optionalTime('To'),
};

const fromBeforeTo = [
  (query: { from?: number; to?: number }) =>
    query.from === undefined || query.to === undefined || query.from < query.to,
  { message: 'From must be before To.', path: ['from'] },
] satisfies [unknown, { message: string; path: string[] }];

/** Query of `GET /api/audit` (values arrive as strings from the URL). */
export const auditListQuerySchema = z
  .object({
    ...auditFilterFields,
    page: pageQuerySchema,
    pageSize: pageSizeQuerySchema(AUDIT_PAGE_SIZES, 50),
  })
  .refine(...fromBeforeTo);

/** Filter of an audit export (a JSON body: no unknown keys). */
export const auditFilterSchema = z.strictObject(auditFilterFields).refine(...fromBeforeTo);
export type AuditFilter = z.infer<typeof auditFilterSchema>;
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditListResponseSchema = z.object({
  entries: z.array(auditRecordSchema),
  totalCount: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;

/** The bulk-issue job that sent a token (its row's hash was kept): a token's history starts there. */
export interface IssuingJob {
  jobId: string;
  fileName: string;
  /** The row's line in the file, where known. */
  line: number | null;
  createdBy: { id: string; email: string };
  createdAt: number;
}

/** `GET …/tokens/{hash}/history`: its audit entries, and the job that issued it, if one did. */
export type TokenHistoryResponse = AuditListResponse & { issuedBy: IssuingJob | null };

/** What is wrong at one place in the audit chain (server/audit/chain.ts). */
export const auditChainProblemKindSchema = z.enum([
  /** The record's fields no longer give its stored hash: it was changed after it was written. */
  'altered',
  /** The record does not name the hash of the record before it: one was replaced or re-ordered. */
  'broken_link',
  /** A place in the sequence holds no record: one was deleted. */
  'missing',
  /** A record without a place in the chain: written around the app, straight into the table. */
  'unchained',
]);
export type AuditChainProblemKind = z.infer<typeof auditChainProblemKindSchema>;

/** The result of verifying the audit log's hash chain (`GET /api/s/{service}/audit/chain`, `npm run audit:verify`). */
export const auditChainReportSchema = z.object({
  ok: z.boolean(),
  /** Records checked (those with a place in the chain). */
  records: z.number().int().nonnegative(),
  /** The newest link: its place and hash (null before the first record). */
  headSeq: z.number().int().nullable(),
  headHash: z.string().nullable(),
  /** The first problems found, in chain order (at most 20; `problemCount` says how many in all). */
  problems: z.array(
    z.object({
      kind: auditChainProblemKindSchema,
      seq: z.number().int().nullable(),
      /** The record's id where one is there to name. */
      id: z.string().nullable(),
    }),
  ),
  problemCount: z.number().int().nonnegative(),
  checkedAt: timestampSchema,
});
export type AuditChainReport = z.infer<typeof auditChainReportSchema>;

/** Where one audit sink (AUDIT_SINKS) stands: never its address or headers. */
export const auditSinkStatusSchema = z.object({
  name: z.string(),
  type: z.enum(['http', 'syslog', 'syslog-tls']),
  /** The `seq` of the last record the sink acknowledged (0: none yet). */
  position: z.number().int().nonnegative(),
  /** Records written since: what the sink has yet to get. */
  behind: z.number().int().nonnegative(),
  /** The last failure's reason while it keeps failing; null once a batch gets through again. */
  lastError: z.string().nullable(),
  failingSince: timestampSchema.nullable(),
  /** When the checkpoint last moved. */
  deliveredAt: timestampSchema.nullable(),
});
export type AuditSinkStatus = z.infer<typeof auditSinkStatusSchema>;

/** `GET /api/s/{service}/audit/chain`: the chain's verification and where each audit sink stands. */
export const auditChainStatusSchema = auditChainReportSchema.extend({ sinks: z.array(auditSinkStatusSchema) });
export type AuditChainStatus = z.infer<typeof auditChainStatusSchema>;
