import { z } from 'zod';
import type { OffboardJobState } from '@/lib/jobs/offboard-states';
import { AUDIT_PAGE_SIZES } from './audit';
import {
  clientIdSchema,
  emptyToUndefined,
  pageQuerySchema,
  pageSizeQuerySchema,
  reasonSchema,
  scopeNameSchema,
  subjectSchema,
} from './common';

/**
 * Authorized apps: the clients one person has let reach their account (Authlete's client
 * authorization and granted-scopes APIs), and the actions on them.
 */

/** Remembered consent of one person for one client; `null` lists = never granted, or forgotten. */
export const consentSchema = z.object({
  latestGrantedScopes: z.array(z.string()).nullable(),
  mergedGrantedScopes: z.array(z.string()).nullable(),
  modifiedAt: z.number().int().nonnegative().optional(),
});
export type Consent = z.infer<typeof consentSchema>;

/** One row of a person's authorized apps. */
export const authorizedAppSchema = z.object({
  clientId: z.string(),
  clientIdAlias: z.string().optional(),
  clientName: z.string().optional(),
  clientType: z.string().optional(),
  /** The scopes shown: remembered consent (merged) where there is a record, else those of the tokens. */
  scopes: z.array(z.string()),
  scopesFrom: z.enum(['consent', 'tokens']),
  consent: consentSchema,
  tokens: z.object({ valid: z.number().int().nonnegative(), expired: z.number().int().nonnegative() }),
  /** Newest creation, refresh or expiry-bearing use Authlete reports for the tokens (ms); 0 when none. */
  lastActivityAt: z.number().int().nonnegative(),
});
export type AuthorizedApp = z.infer<typeof authorizedAppSchema>;

export const authorizedAppListSchema = z.object({
  subject: z.string(),
  apps: z.array(authorizedAppSchema),
  /** Authlete's count of authorized clients; more than `apps.length` when the list was cut. */
  totalCount: z.number().int().nonnegative(),
});
export type AuthorizedAppList = z.infer<typeof authorizedAppListSchema>;

/** Body of revoke-app and forget-consent: a reason is required (both cut an app off). */
export const appActionRequestSchema = z.strictObject({ reason: reasonSchema });

/** Body of narrow-app: the scopes the app keeps (a subset chosen in the before/after review). */
export const appNarrowRequestSchema = z.strictObject({
  reason: reasonSchema,
  scopes: z.array(scopeNameSchema).max(100, 'At most 100 scopes.'),
});

/**
 * What an app action did. `count` is the number of tokens Authlete reported (it says so only in
 * its message); `null` when the message could not be read, with the message kept to show instead.
 */
export const appActionResultSchema = z.object({
  count: z.number().int().nonnegative().nullable(),
  resultMessage: z.string().optional(),
});
export type AppActionResult = z.infer<typeof appActionResultSchema>;

/** A subject in a URL segment: Next hands it over still percent-encoded ("a%2Fb" is "a/b"). */
const subjectSegmentSchema = z
  .string()
  .transform((raw, context) => {
    try {
      return decodeURIComponent(raw);
    } catch {
      context.addIssue({ code: 'custom', message: 'The subject in the address is not validly encoded.' });
      return z.NEVER;
    }
  })
  .pipe(subjectSchema);

export const subjectParamsSchema = z.object({ subject: subjectSegmentSchema });
export const appParamsSchema = z.object({ subject: subjectSegmentSchema, clientId: clientIdSchema });

/** Query of a person's activity timeline (their audit entries, newest first). */
export const activityQuerySchema = z.object({
  page: pageQuerySchema,
  pageSize: pageSizeQuerySchema(AUDIT_PAGE_SIZES, 50),
});

/** What offboarding a person will remove, per client: their tokens and their consent record. */
export const offboardPreviewSchema = z.object({
  subject: z.string(),
  clients: z.array(
    z.object({
      clientId: z.string(),
      clientName: z.string().optional(),
      tokens: z.number().int().nonnegative(),
      consent: z.boolean(),
    }),
  ),
  /** Of the preview's content: starting the job with another digest is refused (the preview changed). */
  digest: z.string(),
});
export type OffboardPreview = z.infer<typeof offboardPreviewSchema>;

/** Body starting an offboarding: the subject typed again, a reason or ticket, the preview's digest. */
export const offboardStartRequestSchema = z.strictObject({
  confirm: z.string(),
  reason: reasonSchema,
  /** The HR or support ticket behind it, kept with the job and in the audit log. */
  ticket: z.preprocess(
    emptyToUndefined,
    z.string().trim().max(100, 'A ticket reference is at most 100 characters.').optional(),
  ),
  digest: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'The preview digest is missing or malformed; preview again.'),
});

export type OffboardStartRequest = z.input<typeof offboardStartRequestSchema>;

/** One part of an offboarding: done (with Authlete's count for tokens), failed (retryable), or pending. */
const offboardPartSchema = z.object({
  state: z.enum(['pending', 'done', 'failed']),
  count: z.number().int().nonnegative().nullable().optional(),
  error: z.string().optional(),
  /** Server errors and throttling met so far; the part fails after a few. */
  attempts: z.number().int().nonnegative().default(0),
});
export type OffboardPart = z.infer<typeof offboardPartSchema>;

export const offboardStepSchema = z.object({
  clientId: z.string(),
  clientName: z.string().optional(),
  tokens: offboardPartSchema,
  consent: offboardPartSchema,
});
export type OffboardStep = z.infer<typeof offboardStepSchema>;

/** The stored report of an offboarding (the job's `result`). */
export const offboardReportSchema = z.object({ steps: z.array(offboardStepSchema) });
export type OffboardReport = z.infer<typeof offboardReportSchema>;

export const offboardJobParamsSchema = z.object({
  subject: subjectSegmentSchema,
  jobId: z.uuid('A job ID is a UUID.'),
});

/** An offboarding job as its routes answer it (JSON): state, progress and the report so far. */
export interface OffboardJob {
  id: string;
  state: OffboardJobState;
  createdAt: string;
  finishedAt: string | null;
  createdBy: { id: string; email: string };
  /** What was asked: why, and the ticket behind it. */
  payload: { subject: string; reason: string; ticket?: string };
  progress: { done: number; total: number | null };
  result: OffboardReport | null;
  error: string | null;
}
