import 'server-only';
import crypto from 'node:crypto';
import { z } from 'zod';
import { tokenCreateInputSchema } from '@/lib/schemas';
import { getAuthSecret } from '@/server/core/secret';

/**
 * A chunk's rows, values included, as they wait in the database while the queue creates them one
 * by one (a service without Authlete's batch API: 2.x). Authenticated encryption (AES-256-GCM) under
 * a key derived (HKDF-SHA-256) from the server secret, which is never in the database; the chunk's
 * row id is the additional data, so a sealed text moved to another chunk does not open. The
 * sealed rows are dropped as soon as the chunk ends (server/jobs/issue/singles.ts).
 */

const VERSION = 'v1';
const sealedSchema = z.object({ tokens: z.array(tokenCreateInputSchema), lines: z.array(z.number().int()) });

/** A chunk's rows in order, and the file line of each (for the outcomes of rows Authlete refuses). */
export type SealedRows = z.infer<typeof sealedSchema>;

function key(): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', getAuthSecret(), Buffer.alloc(0), 'token-desk issue-chunk rows v1', 32));
}

export function sealRows(chunkId: number, rows: SealedRows): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(), iv);
  cipher.setAAD(Buffer.from(String(chunkId)));
  const body = Buffer.concat([cipher.update(JSON.stringify(rows), 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The rows sealed for `chunkId`; throws when the text was changed, belongs to another chunk or another secret. */
export function openRows(chunkId: number, sealed: string): SealedRows {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Sealed rows in an unknown format.');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(String(chunkId)));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  return sealedSchema.parse(JSON.parse(text));
}
