import 'server-only';
import crypto from 'node:crypto';
import { getAuthSecret } from '@/server/core/secret';

/**
 * Text kept in the database that only this server may read back: authenticated encryption
 * (AES-256-GCM). Two kinds:
 *
 * - `sealText`: under a key derived (HKDF-SHA-256) from the server secret, which is never in the
 *   database. `purpose` separates the keys of different uses.
 * - `sealEnvelope`: envelope encryption under ENCRYPTION_KEY (services stored in the app). Each
 *   text gets its own random data key; only the data key is encrypted ("wrapped") with the
 *   key-encryption key, and the envelope names that key by its id, so a rotation re-wraps the
 *   small data keys (`rewrapEnvelope`) without touching the texts.
 *
 * In both, `bound` (a row id) is the additional data, so a sealed text copied to another row does not open.
 */

const VERSION = 'v1';
const ENVELOPE_VERSION = 'e1';

/** iv.tag.body (base64url): AES-256-GCM of `plain` under `key`, authenticated with `aad`. */
function encrypt(key: Buffer, aad: string, plain: Buffer): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

/** Throws when `parts` (iv, tag, body) were changed, or belong to another key or `aad`. */
function decrypt(key: Buffer, aad: string, [iv, tag, body]: readonly (string | undefined)[]): Buffer {
  if (!iv || !tag || body === undefined) throw new Error('Sealed text in an unknown format.');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}

function key(purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', getAuthSecret(), Buffer.alloc(0), purpose, 32));
}

export function sealText(purpose: string, bound: string, text: string): string {
  return `${VERSION}.${encrypt(key(purpose), bound, Buffer.from(text, 'utf8'))}`;
}

/** Throws when the text was changed, belongs to another row, purpose or server secret. */
export function openText(purpose: string, bound: string, sealed: string): string {
  const [version, ...parts] = sealed.split('.');
  if (version !== VERSION || parts.length !== 3) throw new Error('Sealed text in an unknown format.');
  return decrypt(key(purpose), bound, parts).toString('utf8');
}

/** ENCRYPTION_KEY and, during a rotation, ENCRYPTION_KEY_PREVIOUS (32 bytes each, base64). */
export interface EnvelopeKeys {
  current: string;
  previous?: string | undefined;
}

/** Thrown when an envelope was wrapped under a key that is neither the current nor the previous one. */
export class EnvelopeKeyError extends Error {
  override name = 'EnvelopeKeyError';
}

/**
 * A key's id: the first 8 bytes of its SHA-256, hex. Stored beside each envelope so a rotation
 * knows which rows are still under the old key; it reveals nothing usable about the key.
 */
export function envelopeKeyId(base64Key: string): string {
  return crypto.createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('hex').slice(0, 16);
}

/** The key-encryption key with this id, or a clear error naming both configured ids. */
function keyFor(keys: EnvelopeKeys, id: string): Buffer {
  for (const candidate of [keys.current, keys.previous]) {
    if (candidate && envelopeKeyId(candidate) === id) return Buffer.from(candidate, 'base64');
  }
  throw new EnvelopeKeyError(
    `This secret was encrypted under key ${id}, which is neither ENCRYPTION_KEY (${envelopeKeyId(keys.current)}) nor ENCRYPTION_KEY_PREVIOUS${keys.previous ? ` (${envelopeKeyId(keys.previous)})` : ' (unset)'}.`,
  );
}

// The wrapped data key is bound to the key id and the row, so it cannot be moved to another envelope.
const wrapAad = (keyId: string, bound: string) => `${ENVELOPE_VERSION}|${keyId}|${bound}`;

function parseEnvelope(sealed: string) {
  const [version, keyId, ...parts] = sealed.split('.');
  if (version !== ENVELOPE_VERSION || !keyId || parts.length !== 6) throw new Error('Envelope in an unknown format.');
  return { keyId, wrapped: parts.slice(0, 3), body: parts.slice(3) };
}

/** `e1.{key id}.{wrapped data key: iv.tag.body}.{text: iv.tag.body}`, under the current key. */
export function sealEnvelope(keys: EnvelopeKeys, bound: string, text: string): string {
  const dataKey = crypto.randomBytes(32);
  const keyId = envelopeKeyId(keys.current);
  const wrapped = encrypt(Buffer.from(keys.current, 'base64'), wrapAad(keyId, bound), dataKey);
  return [ENVELOPE_VERSION, keyId, wrapped, encrypt(dataKey, bound, Buffer.from(text, 'utf8'))].join('.');
}

/** Opens an envelope under whichever configured key wrapped it; throws when changed or moved. */
export function openEnvelope(keys: EnvelopeKeys, bound: string, sealed: string): string {
  const { keyId, wrapped, body } = parseEnvelope(sealed);
  const dataKey = decrypt(keyFor(keys, keyId), wrapAad(keyId, bound), wrapped);
  return decrypt(dataKey, bound, body).toString('utf8');
}

/** The id of the key that wrapped an envelope's data key. */
export function envelopeKeyOf(sealed: string): string {
  return parseEnvelope(sealed).keyId;
}

/** The same envelope with its data key wrapped under the current key (the text stays as it is). */
export function rewrapEnvelope(keys: EnvelopeKeys, bound: string, sealed: string): string {
  const { keyId, wrapped, body } = parseEnvelope(sealed);
  const dataKey = decrypt(keyFor(keys, keyId), wrapAad(keyId, bound), wrapped);
  const currentId = envelopeKeyId(keys.current);
  const rewrapped = encrypt(Buffer.from(keys.current, 'base64'), wrapAad(currentId, bound), dataKey);
  return [ENVELOPE_VERSION, currentId, rewrapped, ...body].join('.');
}
