import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grantTypeSchema, type TokenCreateInput } from '@/lib/schemas';
import { RowCodec } from './row-codec';

const printable = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[\x21-\x7E]+$/.test(s));
const subject = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[\x20-\x7E]+$/.test(s));

describe('RowCodec', () => {
  it('round-trips every shape of token create request exactly', () => {
    const codec = new RowCodec();
    fc.assert(
      fc.property(
        fc.record(
          {
            grantType: fc.constantFrom(...grantTypeSchema.options),
            clientId: fc.bigInt({ min: 0n, max: 9223372036854775807n }).map(String),
            subject,
            scopes: fc.uniqueArray(printable, { maxLength: 5 }),
            accessTokenDuration: fc.nat(315_360_000),
            refreshTokenDuration: fc.nat(315_360_000),
            accessTokenPersistent: fc.boolean(),
            properties: fc.array(
              fc.record({ key: printable, value: fc.string({ maxLength: 30 }), hidden: fc.boolean() }),
              { maxLength: 3 },
            ),
            accessToken: printable,
            refreshToken: printable,
          },
          { requiredKeys: ['grantType', 'clientId', 'scopes'] },
        ),
        (input) => {
          const row = input as TokenCreateInput;
          expect(codec.decode(codec.encode(row))).toEqual(row);
        },
      ),
    );
  });

  it('shares what rows have in common and keeps a row short', () => {
    const codec = new RowCodec();
    const base = {
      grantType: 'PASSWORD',
      clientId: '26888344961664',
      scopes: ['openid', 'email'],
      properties: [{ key: 'plan', value: 'gold', hidden: false }],
    } as const;
    const a = codec.encode({
      ...base,
      scopes: [...base.scopes],
      properties: [...base.properties],
      subject: 'alice@example.com',
    });
    const b = codec.encode({
      ...base,
      scopes: [...base.scopes],
      properties: [...base.properties],
      subject: 'bob@example.com',
    });
    expect(codec.templateCount).toBe(1);
    expect(a).toBe('0\talice@example.com\t\t');
    expect(b.length).toBeLessThan(25);
  });
});
