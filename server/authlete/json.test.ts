import fc from 'fast-check';
import { isInteger, isSafeNumber, parse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseUpstreamJson, stringifyUpstreamJson, wireInteger } from './json';
import { toToken } from './wire';
import { wireAccessTokenSchema } from './wire';

describe('lossless upstream JSON', () => {
  it('keeps client ids above 2^53 exact as decimal strings', () => {
    const wire = parseUpstreamJson(
      '{"accessTokenHash":"h","clientId":9223372036854775807,"scopes":null,"accessTokenExpiresAt":1642048149000}',
    );
    const token = toToken(wireAccessTokenSchema.parse(wire));
    expect(token.clientId).toBe('9223372036854775807');
    expect(token.accessTokenExpiresAt).toBe(1642048149000);
    expect(token.scopes).toEqual([]);
  });

  it('reads every answer as the lossless parser would, integers beyond 2^53 as their decimal strings', () => {
    const lossless = (text: string) =>
      parse(text, null, (value: string) =>
        isInteger(value) && !isSafeNumber(value) ? value : Number.parseFloat(value),
      );
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.stringMatching(/^\d{10,20}$/),
        fc.stringMatching(/^[-+.\deE"\\]{1,30}$/),
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('json')),
        fc.dictionary(fc.string(), tie('json')),
      ),
    })).json;
    // Large integers are written into the text as JSON numbers, beside strings of digits.
    const document = fc
      .tuple(value, fc.array(int64, { maxLength: 4 }))
      .map(([v, ints]) => `{"v":${JSON.stringify(v)},"ints":[${ints.join(',')}]}`);
    fc.assert(
      fc.property(document, (text) => {
        expect(parseUpstreamJson(text)).toEqual(lossless(text));
      }),
      {
        numRuns: 500,
        examples: [
          ['{"v":"12345678901234567890","ints":[9007199254740993]}'],
          ['{"v":"a\\"12345678901234567890\\\\","ints":[-9223372036854775808, 1.12345678901234567e5]}'],
        ],
      },
    );
  });

  it('writes a decimal client id as an exact JSON number', () => {
    expect(stringifyUpstreamJson({ clientId: wireInteger('9007199254740993') })).toBe('{"clientId":9007199254740993}');
  });
});
