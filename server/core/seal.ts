import 'server-only';
import crypto from 'node:crypto';
import { getAuthSecret } from '@/server/core/secret';

/**
 * Text kept in the database that only this server may read back: authenticated encryption
 * (AES-256-GCM) under a key derived (HKDF-SHA-256) from the server secret, which is never in the
 * database. `purpose` separates the keys of different uses; `bound` (a row id) is the additional
 * data, so a sealed text copied to another row does not open.
 */

const VERSION = 'v1';

function key(purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', getAuthSecret(), Buffer.alloc(0), purpose, 32));
}

export function sealText(purpose: string, bound: string, text: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(purpose), iv);
  cipher.setAAD(Buffer.from(bound));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Throws when the text was changed, belongs to another row, purpose or server secret. */
export function openText(purpose: string, bound: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Sealed text in an unknown format.');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key(purpose), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(bound));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
