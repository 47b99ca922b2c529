import { z } from 'zod';
import { timestampSchema } from './common';
import { auditFilterSchema } from './audit';
import { tokenListQuerySchema } from './token';

/**
 * Exports of a long list as a job (`/api/exports`): the server reads the list step by step into
 * stored CSV parts, and the person downloads the file when it is done. Small lists are still
 * exported in the browser, page by page (lib/schemas/export-limits.ts).
 */

/** How long a finished export can be downloaded (then it is deleted). */
export const EXPORT_RETENTION_HOURS = 24;

export const exportKindSchema = z.enum(['tokens', 'audit']);
export type ExportKind = z.infer<typeof exportKindSchema>;

/** Body of `POST /api/exports/tokens`: the token page's filters. */
export const tokenExportFilterSchema = z.strictObject({
  subject: tokenListQuerySchema.shape.subject,
  clientId: tokenListQuerySchema.shape.clientId,
  status: tokenListQuerySchema.shape.status,
});
export type TokenExportFilter = z.infer<typeof tokenExportFilterSchema>;

/** Body of `POST /api/exports/audit`: the audit page's filters. */
export const auditExportFilterSchema = auditFilterSchema;

const exportIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'An export ID is 8-64 characters of A-Z, a-z, 0-9 and "-".');
export const exportParamsSchema = z.object({ exportId: exportIdSchema });

export const exportStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type ExportState = z.infer<typeof exportStateSchema>;

export const exportJobSchema = z.object({
  id: z.string(),
  kind: exportKindSchema,
  filter: z.record(z.string(), z.unknown()),
  state: exportStateSchema,
  createdAt: timestampSchema,
  createdBy: z.object({ id: z.string(), email: z.string() }),
  rowsDone: z.number().int().nonnegative(),
  /** The list's length as last read (it can change while the export runs); null before the first step. */
  rowsTotal: z.number().int().nonnegative().nullable(),
  bytes: z.number().int().nonnegative(),
  finishedAt: timestampSchema.nullable(),
  /** After this the file is deleted. */
  expiresAt: timestampSchema,
  error: z.string().nullable(),
  fileName: z.string(),
});
export type ExportJob = z.infer<typeof exportJobSchema>;

export const exportListResponseSchema = z.object({ exports: z.array(exportJobSchema) });
export type ExportListResponse = z.infer<typeof exportListResponseSchema>;
