import 'server-only';
import { z } from 'zod';
import { tokenCreateInputSchema } from '@/lib/schemas';
import { openText, sealText } from '@/server/core/seal';

/**
 * A chunk's rows, values included, as they wait in the database while the queue creates them one
 * by one (a service without Authlete's batch API: 2.x). Authenticated encryption (AES-256-GCM) under
 * a key derived (HKDF-SHA-256) from the server secret, which is never in the database; the chunk's
 * row id is the additional data, so a sealed text moved to another chunk does not open. The
 * sealed rows are dropped as soon as the chunk ends (server/jobs/issue/singles.ts).
 */

const PURPOSE = 'token-desk issue-chunk rows v1';
const sealedSchema = z.object({ tokens: z.array(tokenCreateInputSchema), lines: z.array(z.number().int()) });

/** A chunk's rows in order, and the file line of each (for the outcomes of rows Authlete refuses). */
export type SealedRows = z.infer<typeof sealedSchema>;

export function sealRows(chunkId: number, rows: SealedRows): string {
  return sealText(PURPOSE, String(chunkId), JSON.stringify(rows));
}

/** The rows sealed for `chunkId`; throws when the text was changed, belongs to another chunk or another secret. */
export function openRows(chunkId: number, sealed: string): SealedRows {
  return sealedSchema.parse(JSON.parse(openText(PURPOSE, String(chunkId), sealed)));
}
