import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenCreateInputSchema } from '@/lib/schemas';
import { validationKey, validationKeys } from './validation';

/** The sentences written in a schema file: quoted text that starts with a capital and ends with a full stop. */
function schemaSentences(file: string): string[] {
  const source = readFileSync(path.resolve(import.meta.dirname, '../schemas', file), 'utf8');
  return [...source.matchAll(/(['"])([A-Z][^'"\n]*?\.)\1/g)].map((match) => match[2]!);
}

describe('validation messages', () => {
  it('has a catalogue key for every message the shared token schemas write', () => {
    const sentences = [...schemaSentences('common.ts'), ...schemaSentences('token.ts')];
    expect(sentences.length).toBeGreaterThan(30);
    expect(sentences.filter((sentence) => validationKey(sentence) === undefined)).toEqual([]);
  });

  it('has a key for the subject rule messages the create schema builds', () => {
    const messages = [
      tokenCreateInputSchema.safeParse({ grantType: 'PASSWORD', clientId: '1' }),
      tokenCreateInputSchema.safeParse({ grantType: 'CLIENT_CREDENTIALS', clientId: '1', subject: 'ana' }),
    ].flatMap((result) => result.error?.issues.map((issue) => issue.message) ?? []);
    expect(messages).toHaveLength(2);
    expect(messages.map(validationKey)).toEqual(['validation.subjectRequired', 'validation.subjectForbidden']);
  });

  it('leaves a message it does not know as it is (no key)', () => {
    expect(validationKey('Something new.')).toBeUndefined();
    expect(validationKey('constructor')).toBeUndefined();
    expect(Object.keys(validationKeys).length).toBeGreaterThan(30);
  });
});
