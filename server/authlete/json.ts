import { isInteger, isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/**
 * Parses Authlete JSON without losing 64-bit integers: integers beyond 2^53 become `bigint`,
 * everything else a plain number. Wire schemas turn client ids into decimal strings.
 */
export function parseUpstreamJson(text: string): unknown {
  // An integer beyond 2^53 has at least 16 digits. Without such a run of digits anywhere (the usual
  // answer) the native parser is exact, and several times faster than a lossless one in JavaScript.
  if (!SIXTEEN_DIGITS.test(text)) return JSON.parse(text);
  return parse(text, null, (value: string) =>
    isInteger(value) && !isSafeNumber(value) ? BigInt(value) : Number.parseFloat(value),
  );
}

const SIXTEEN_DIGITS = /\d{16}/;

/** A decimal client id string as an exact JSON number on the wire. */
export function wireInteger(decimal: string): LosslessNumber {
  return new LosslessNumber(decimal);
}

/** Serialises a request body; `LosslessNumber` and `bigint` values are written exactly. */
export function stringifyUpstreamJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('Request body is not serialisable.');
  return text;
}
