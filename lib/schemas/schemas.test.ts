import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  chunkNarrowInputSchema,
  chunkTokensInputSchema,
  excludeBadRowsInputSchema,
  jobCreateInputSchema,
} from './issue-job';
import {
  clientIdSchema,
  revokeAllRequestSchema,
  revokeRequestSchema,
  subjectRule,
  tokenCreateInputSchema,
  tokenListQuerySchema,
  tokenUpdateInputSchema,
} from './index';

describe('clientIdSchema', () => {
  it('keeps 64-bit ids exact as decimal strings and canonicalises leading zeros', () => {
    expect(clientIdSchema.parse('9223372036854775807')).toBe('9223372036854775807');
    expect(clientIdSchema.parse('0026888344961664')).toBe('26888344961664');
  });

  it.each(['-1', '1.5', '9223372036854775808', 'abc', ''])('rejects %j', (value) => {
    expect(clientIdSchema.safeParse(value).success).toBe(false);
  });
});

describe('tokenListQuerySchema', () => {
  it('applies defaults and treats empty filters as absent', () => {
    expect(tokenListQuerySchema.parse({ subject: '', clientId: '' })).toEqual({
      status: 'valid',
      page: 1,
      pageSize: 20,
    });
  });

  it('coerces strings from the URL', () => {
    expect(tokenListQuerySchema.parse({ page: '3', pageSize: '50', status: 'all', subject: 'john' })).toEqual({
      subject: 'john',
      status: 'all',
      page: 3,
      pageSize: 50,
    });
  });

  it.each([
    ['pageSize', '30'],
    ['page', '0'],
    ['status', 'revoked'],
    ['clientId', 'x'],
  ])('rejects %s=%s', (key, value) => {
    const result = tokenListQuerySchema.safeParse({ [key]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([key]);
  });
});

describe('tokenCreateInputSchema', () => {
  it('requires a subject unless the grant type is CLIENT_CREDENTIALS, naming it as the form does', () => {
    const missing = tokenCreateInputSchema.safeParse({ grantType: 'PASSWORD', clientId: '1' });
    expect(missing.error?.issues).toEqual([
      expect.objectContaining({
        path: ['subject'],
        message:
          'Subject is required unless the grant type is client credentials (no subject) or jwt bearer (optional).',
      }),
    ]);
    expect(tokenCreateInputSchema.parse({ grantType: 'CLIENT_CREDENTIALS', clientId: '1' })).toEqual({
      grantType: 'CLIENT_CREDENTIALS',
      clientId: '1',
      scopes: [],
    });
  });

  it('refuses a subject for client credentials and makes it optional for JWT bearer, as Authlete does', () => {
    const withSubject = tokenCreateInputSchema.safeParse({
      grantType: 'CLIENT_CREDENTIALS',
      clientId: '1',
      subject: 'alice',
    });
    expect(withSubject.error?.issues).toEqual([
      expect.objectContaining({
        path: ['subject'],
        message: expect.stringMatching(/^A client credentials token has no subject/),
      }),
    ]);
    expect(tokenCreateInputSchema.parse({ grantType: 'JWT_BEARER', clientId: '1' })).toEqual({
      grantType: 'JWT_BEARER',
      clientId: '1',
      scopes: [],
    });
    expect(tokenCreateInputSchema.parse({ grantType: 'JWT_BEARER', clientId: '1', subject: 'svc' }).subject).toBe(
      'svc',
    );
    expect(['CLIENT_CREDENTIALS', 'JWT_BEARER', 'PASSWORD', 'DEVICE_CODE', undefined].map(subjectRule)).toEqual([
      'none',
      'optional',
      'required',
      'required',
      'required',
    ]);
  });

  it('asks for a client when none is chosen, with one message (not "digits only")', () => {
    for (const clientId of ['', '   ']) {
      const result = tokenCreateInputSchema.safeParse({ grantType: 'PASSWORD', clientId, subject: 'a' });
      expect(result.error?.issues).toEqual([
        expect.objectContaining({ path: ['clientId'], message: 'Choose a client: a client ID is required.' }),
      ]);
    }
    const letters = tokenCreateInputSchema.safeParse({ grantType: 'PASSWORD', clientId: 'portal', subject: 'a' });
    expect(letters.error?.issues).toEqual([
      expect.objectContaining({
        path: ['clientId'],
        message: 'Client ID must be the numeric client ID (digits only).',
      }),
    ]);
  });

  it('rejects a non-ASCII or over-long subject and unknown fields', () => {
    expect(tokenCreateInputSchema.safeParse({ grantType: 'PASSWORD', clientId: '1', subject: 'jöhn' }).success).toBe(
      false,
    );
    expect(
      tokenCreateInputSchema.safeParse({ grantType: 'PASSWORD', clientId: '1', subject: 'a'.repeat(101) }).success,
    ).toBe(false);
    const extra = tokenCreateInputSchema.safeParse({ grantType: 'PASSWORD', clientId: '1', subject: 'a', admin: true });
    expect(extra.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});

describe('tokenUpdateInputSchema', () => {
  it('needs at least one change and refuses both an expiry and "never"', () => {
    expect(tokenUpdateInputSchema.safeParse({}).success).toBe(false);
    expect(tokenUpdateInputSchema.safeParse({ accessTokenPersistent: true, accessTokenExpiresAt: 5 }).success).toBe(
      false,
    );
    expect(tokenUpdateInputSchema.parse({ scopes: ['openid'] })).toEqual({ scopes: ['openid'] });
  });
});

describe('revokeAllRequestSchema and chunkTokensInputSchema', () => {
  it('requires a reason for revoking all of a user’s tokens', () => {
    expect(revokeAllRequestSchema.safeParse({ subject: 'john' }).error?.issues[0]?.path).toEqual(['reason']);
  });

  it('reports row errors with the row index in the path', () => {
    const result = chunkTokensInputSchema.safeParse({
      tokens: [
        { grantType: 'PASSWORD', clientId: '1', subject: 'a' },
        { grantType: 'PASSWORD', clientId: '1' },
      ],
    });
    expect(result.error?.issues[0]?.path).toEqual(['tokens', 1, 'subject']);
  });
});

describe('every body schema', () => {
  const bodySchemas: Record<string, z.ZodType> = {
    tokenCreateInputSchema,
    tokenUpdateInputSchema,
    revokeRequestSchema,
    revokeAllRequestSchema,
    jobCreateInputSchema,
    chunkTokensInputSchema,
    chunkNarrowInputSchema,
    excludeBadRowsInputSchema,
  };
  const prototypeKeys = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

  it('refuses an unknown key, named like an Object.prototype member or not, as unrecognized', () => {
    const known = new Set(
      Object.values(bodySchemas).flatMap((schema) => Object.keys((schema as unknown as z.ZodObject).shape ?? {})),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.entries(bodySchemas)),
        fc.oneof(
          fc.constantFrom(...prototypeKeys),
          fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !known.has(key)),
        ),
        ([, schema], key) => {
          // As JSON.parse makes it: an own property, even for `__proto__`.
          const result = schema.safeParse(JSON.parse(`{${JSON.stringify(key)}: 1}`));
          expect(result.success).toBe(false);
          expect(result.error?.issues).toContainEqual(
            expect.objectContaining({ code: 'unrecognized_keys', keys: [key], path: [] }),
          );
        },
      ),
      {
        examples: Object.entries(bodySchemas).flatMap((entry) =>
          prototypeKeys.map((key) => [entry, key] as [[string, z.ZodType], string]),
        ),
      },
    );
  });
});
