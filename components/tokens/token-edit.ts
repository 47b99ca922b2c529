/**
 * Turning the edit form into a PATCH body and a human-readable before/after diff. Pure, so the
 * diff that the admin confirms is exactly what is sent (and what the audit log records).
 */
import { formatUtc } from '@/lib/format';
import type { Token, TokenUpdateInput } from '@/lib/schemas';
import type { PropertyRow } from './properties-editor';

export interface EditValues {
  scopes: string[];
  expiry: { mode: 'never' } | { mode: 'at'; at: number };
  properties: PropertyRow[];
}

export interface Change {
  field: 'scopes' | 'expires' | 'properties';
  before: string;
  after: string;
}

/** The words a diff needs, in the person's language: an empty value, no expiry, a hidden property. */
export interface DiffWords {
  none: string;
  never: string;
  hidden: (entry: string) => string;
}

export function editValuesOf(token: Token): EditValues {
  return {
    scopes: [...token.scopes],
    expiry: token.accessTokenExpiresAt === 0 ? { mode: 'never' } : { mode: 'at', at: token.accessTokenExpiresAt },
    properties: token.properties.map(({ key, value, hidden }) => ({ key, value, hidden })),
  };
}

const sameScopes = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
const describeScopes = (scopes: readonly string[], words: DiffWords) => (scopes.length ? scopes.join(' ') : words.none);
const describeExpiry = (at: number, words: DiffWords) => (at === 0 ? words.never : formatUtc(at));
const describeProperties = (rows: readonly PropertyRow[], words: DiffWords) =>
  rows.length
    ? rows.map((row) => (row.hidden ? words.hidden(`${row.key}=${row.value}`) : `${row.key}=${row.value}`)).join(', ')
    : words.none;
const sameProperties = (a: readonly PropertyRow[], b: readonly PropertyRow[]) =>
  a.length === b.length &&
  a.every((row, i) => row.key === b[i]?.key && row.value === b[i]?.value && row.hidden === b[i]?.hidden);

/** Only the fields that changed go into the body; an empty `changes` means nothing to save. */
export function buildUpdate(
  token: Token,
  values: EditValues,
  words: DiffWords,
): { input: TokenUpdateInput; changes: Change[] } {
  const input: TokenUpdateInput = {};
  const changes: Change[] = [];
  if (!sameScopes(token.scopes, values.scopes)) {
    input.scopes = values.scopes;
    changes.push({
      field: 'scopes',
      before: describeScopes(token.scopes, words),
      after: describeScopes(values.scopes, words),
    });
  }
  const before = token.accessTokenExpiresAt;
  const after = values.expiry.mode === 'never' ? 0 : values.expiry.at;
  if (before !== after) {
    if (after === 0) input.accessTokenPersistent = true;
    else {
      input.accessTokenExpiresAt = after;
      // Leaving "never expires" needs the persistent flag cleared, or Authlete keeps it forever.
      if (before === 0) input.accessTokenPersistent = false;
    }
    changes.push({ field: 'expires', before: describeExpiry(before, words), after: describeExpiry(after, words) });
  }
  const current = token.properties.map(({ key, value, hidden }) => ({ key, value, hidden }));
  if (!sameProperties(current, values.properties)) {
    input.properties = values.properties;
    changes.push({
      field: 'properties',
      before: describeProperties(current, words),
      after: describeProperties(values.properties, words),
    });
  }
  return { input, changes };
}
