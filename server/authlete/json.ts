import { LosslessNumber, stringify } from 'lossless-json';

/**
 * Candidates for integers beyond 2^53, which have at least 16 digits. Spelt as sixteen `\d` rather
 * than `\d{16,}`: V8 scans the literal sequence about ten times faster, on every token list.
 */
const LONG_DIGIT_RUN = new RegExp(`-?${'\\d'.repeat(16)}\\d*`, 'g');

/**
 * Parses Authlete JSON without losing 64-bit integers: an integer beyond 2^53 becomes its decimal
 * string (the wire schemas accept a number or such a string for 64-bit fields, and Token Desk
 * carries client ids as decimal strings anyway). The native parser does the work: a lossless
 * parser written in JavaScript costs several times as much on every token list.
 */
export function parseUpstreamJson(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** 0-9 . + - e E: a character that continues a number, so a digit run next to it is only part of one. */
function continuesNumber(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 46 || code === 43 || code === 45 || code === 101 || code === 69;
}

/**
 * Wraps in quotes every integer literal outside strings that a double cannot hold exactly. The
 * usual answer has no 16-digit run and is returned as it is; otherwise only the quotes before each
 * candidate are visited to tell whether it sits inside a string.
 */
function quoteUnsafeIntegers(text: string): string {
  let result = '';
  let copiedUpTo = 0;
  let scannedUpTo = 0;
  let inString = false;
  for (const match of text.matchAll(LONG_DIGIT_RUN)) {
    const at = match.index;
    for (let quote = text.indexOf('"', scannedUpTo); quote !== -1 && quote < at; quote = text.indexOf('"', quote + 1)) {
      if (!inString) {
        inString = true;
      } else {
        // Inside a string a quote after an odd number of backslashes is escaped, not the end.
        let backslashes = 0;
        while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
        if (backslashes % 2 === 0) inString = false;
      }
      scannedUpTo = quote + 1;
    }
    scannedUpTo = Math.max(scannedUpTo, at);
    const literal = match[0];
    const end = at + literal.length;
    if (inString || continuesNumber(text.charCodeAt(at - 1)) || continuesNumber(text.charCodeAt(end))) continue;
    if (Number.isSafeInteger(Number(literal))) continue;
    result += `${text.slice(copiedUpTo, at)}"${literal}"`;
    copiedUpTo = end;
  }
  return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

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
