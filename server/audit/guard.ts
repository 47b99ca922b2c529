/**
 * Keeps secrets out of the audit log. Pure (no database, no `server-only`) so it is easy to test.
 *
 * - Fields whose name says they hold a credential (accessToken, refresh_token, password,
 *   authorization, secret, ...) and have a scalar value are replaced by "[redacted]" wherever they
 *   sit in before/after/details.
 * - A known secret (the Authlete bearer, the session secret) or a "Bearer ..." credential inside
 *   any text is cut out and replaced by "[redacted]". Much of that text is typed or sent by people
 *   (a revoke reason, a subject filter, a User-Agent), so refusing it would let anyone make an
 *   action fail after it had already been carried out upstream.
 * - A token hash must be a hash (43 base64url characters), never a raw value: only our own code
 *   fills that field, so a violation is a bug and the write fails loudly.
 */

export const REDACTED = '[redacted]';

/** Field names that hold credentials. `...Hash` names (accessTokenHash) are identities, not secrets. */
const SENSITIVE_KEY = /(token|password|passwd|secret|authorization|bearer|cookie|credential|api_?key|private_?key)$/i;
const HASH_KEY = /hash$/i;
const TOKEN_HASH = /^[A-Za-z0-9_-]{43}$/;
const BEARER = /\bbearer\s+\S{8,}/gi;

/** Long strings are cut: the audit log is for people, not for payload dumps. */
const MAX_STRING = 2_000;
const MAX_DEPTH = 6;
const MAX_ARRAY = 200;

export class AuditGuardError extends Error {
  override name = 'AuditGuardError';
}

export interface GuardOptions {
  /** Exact secret values that must never be written (the Authlete service access token, the auth secret). */
  secrets: readonly string[];
}

export function isSensitiveKey(key: string): boolean {
  return !HASH_KEY.test(key) && SENSITIVE_KEY.test(key);
}

/** Cuts secrets out of a free-text field and trims it to a readable length. */
export function guardText(value: string | null | undefined, options: GuardOptions): string | null {
  if (value === undefined || value === null) return null;
  const scrubbed = redactSecrets(value, options);
  return scrubbed.length > MAX_STRING ? `${scrubbed.slice(0, MAX_STRING)}…` : scrubbed;
}

export function guardTokenHash(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (!TOKEN_HASH.test(value)) {
    throw new AuditGuardError('Audit target tokenHash must be a 43-character token hash, never a token value.');
  }
  return value;
}

/** Returns a copy of `value` with credential fields and secrets in text redacted. */
export function guardStructured(value: unknown, options: GuardOptions, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') return guardText(value, options);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) {
    return value.slice(0, MAX_ARRAY).map((item) => guardStructured(item, options, depth + 1));
  }
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      // A string or number under a credential's name is a value: redact it. An object there
      // (`{ token: { accessTokenHash, scopes } }`) is a description and is walked like any other.
      if (isSensitiveKey(key) && item !== null && typeof item !== 'object') {
        result[key] = REDACTED;
        continue;
      }
      result[key] = guardStructured(item, options, depth + 1);
    }
    return result;
  }
  return String(value);
}

function redactSecrets(value: string, options: GuardOptions): string {
  let result = value;
  for (const secret of options.secrets) {
    if (secret.length >= 8 && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result.replace(BEARER, `Bearer ${REDACTED}`);
}
