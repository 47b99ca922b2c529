import { z } from 'zod';
import { REVOKE_JOB_STATES } from '@/lib/jobs/revoke-states';
import { clientIdSchema, grantTypeSchema, scopeNameSchema, subjectSchema, timestampSchema } from './common';

/** Most subjects one revoke job takes from a CSV file. */
export const MAX_REVOKE_SUBJECTS = 1_000_000;
/** Subjects per upload request (the browser sends the file in chunks of this many). */
export const SUBJECT_CHUNK_SIZE = 5_000;
/** Most clients one query names. */
export const MAX_QUERY_CLIENTS = 200;

/**
 * What to revoke. Each field narrows: clients (none = every client of the service), scopes (a
 * token with any of them), grant type, creation time, last refresh (stale), or an uploaded list
 * of subjects (`subjectList`). `lockClients` locks the named clients first (the kill switch).
 */
export const revokeQuerySchema = z
  .strictObject({
    clientIds: z.array(clientIdSchema).max(MAX_QUERY_CLIENTS).default([]),
    scopes: z.array(scopeNameSchema).max(50).default([]),
    grantType: grantTypeSchema.optional(),
    createdAfter: timestampSchema.optional(),
    createdBefore: timestampSchema.optional(),
    /** Tokens not refreshed since (never-refreshed tokens count from their creation). */
    refreshedBefore: timestampSchema.optional(),
    subjectList: z.boolean().default(false),
    lockClients: z.boolean().default(false),
  })
  .superRefine((query, ctx) => {
    const tokenFields = tokenFieldsOf(query);
    if (!query.subjectList && !tokenFields && query.clientIds.length === 0)
      ctx.addIssue({ code: 'custom', message: 'Name at least one client, a token filter or a subject list.' });
    if (query.subjectList && tokenFields)
      ctx.addIssue({
        code: 'custom',
        message: 'A subject list combines with clients only, not with scope, grant type or time filters.',
      });
    if (query.lockClients && (query.clientIds.length === 0 || tokenFields || query.subjectList))
      ctx.addIssue({
        code: 'custom',
        message: 'Locking applies to whole clients only: name clients and nothing else.',
      });
    if (
      query.createdAfter !== undefined &&
      query.createdBefore !== undefined &&
      query.createdAfter >= query.createdBefore
    )
      ctx.addIssue({ code: 'custom', message: '"Created after" must be earlier than "created before".' });
  });
export type RevokeQuery = z.infer<typeof revokeQuerySchema>;
export type RevokeQueryInput = z.input<typeof revokeQuerySchema>;

/** Whether the query reads token fields (so tokens must be listed and revoked one by one). */
export function tokenFieldsOf(
  query: Pick<RevokeQuery, 'scopes' | 'grantType' | 'createdAfter' | 'createdBefore' | 'refreshedBefore'>,
): boolean {
  return (
    query.scopes.length > 0 ||
    query.grantType !== undefined ||
    query.createdAfter !== undefined ||
    query.createdBefore !== undefined ||
    query.refreshedBefore !== undefined
  );
}

export const revokeJobCreateSchema = z.strictObject({ query: revokeQuerySchema });

export const subjectChunkSchema = z.strictObject({
  /** 0-based chunk number: a chunk sent twice is stored once. */
  seq: z
    .number()
    .int()
    .min(0)
    .max(Math.ceil(MAX_REVOKE_SUBJECTS / SUBJECT_CHUNK_SIZE)),
  subjects: z.array(subjectSchema).min(1).max(SUBJECT_CHUNK_SIZE),
});

/** Starting a previewed job: the preview's digest, the count typed back, why, and the ticket. */
export const revokeJobStartSchema = z.strictObject({
  /** The query as previewed: a changed one gives another digest and is refused. */
  query: revokeQuerySchema,
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'The preview digest is 64 hexadecimal characters.'),
  confirmation: z.string().trim().min(1, 'Type the number of items to confirm.'),
  reason: z.string().trim().min(3, 'Say why (at least 3 characters).').max(500),
  ticket: z.string().trim().min(1, 'A ticket reference is required.').max(100),
});

export const revokeJobActionSchema = z.strictObject({ action: z.enum(['pause', 'resume', 'cancel']) });

/** What a preview found for one client (`clientId` null: across all clients, e.g. a subject list). */
export const revokePreviewClientSchema = z.object({
  clientId: z.string().nullable(),
  /** Tokens matching: exact (Authlete's totalCount or a full scan). */
  tokens: z.number().int().nonnegative().nullable(),
  /** Upstream calls the job will make for this client. */
  calls: z.number().int().nonnegative(),
});

export const revokePreviewSchema = z.object({
  /** How the counts were made: Authlete's totalCount, or a scan of every token listed. */
  method: z.enum(['total_count', 'scan', 'subjects']),
  clients: z.array(revokePreviewClientSchema),
  /** Upstream revoke calls in all (what the person types back to confirm). */
  items: z.number().int().nonnegative(),
  /** Tokens in all, when known. */
  tokens: z.number().int().nonnegative().nullable(),
  subjects: z.number().int().nonnegative().nullable(),
  digest: z.string(),
});
export type RevokePreview = z.infer<typeof revokePreviewSchema>;

export const revokeJobSchema = z.object({
  id: z.string(),
  service: z.string(),
  state: z.enum(REVOKE_JOB_STATES),
  query: revokeQuerySchema,
  createdAt: timestampSchema,
  createdBy: z.object({ id: z.string(), email: z.string() }),
  startedAt: timestampSchema.nullable(),
  finishedAt: timestampSchema.nullable(),
  reason: z.string().nullable(),
  ticket: z.string().nullable(),
  subjectsUploaded: z.number().int().nonnegative(),
  /** Scan progress while previewing (tokens read), then the preview. */
  scanned: z.number().int().nonnegative(),
  preview: revokePreviewSchema.nullable(),
  counts: z.object({
    done: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    remaining: z.number().int().nonnegative(),
    /** Tokens Authlete reported revoked. */
    revokedTokens: z.number().int().nonnegative(),
  }),
  /** Items per second since it started running. */
  rate: z.number().nonnegative().nullable(),
  error: z.string().nullable(),
});
export type RevokeJob = z.infer<typeof revokeJobSchema>;

/** Address of one revoke job. */
export const revokeJobParamsSchema = z.strictObject({
  jobId: z.string().regex(/^[0-9a-f-]{36}$/, 'A job ID is a UUID.'),
});

export const clientParamsSchema = z.strictObject({ clientId: clientIdSchema });

export const unlockClientSchema = z.strictObject({
  reason: z.string().trim().min(3, 'Say why (at least 3 characters).').max(500),
});
