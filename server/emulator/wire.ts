import type { IncomingMessage } from 'node:http';
import { isLosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { AuthleteError, badRequest } from './errors';

/**
 * Wire helpers. Request JSON is parsed losslessly (every number stays a LosslessNumber) so 64-bit
 * client ids above 2^53 are never rounded; responses are written with lossless-json so `bigint`
 * values (client ids, persistent expiry) are emitted as exact JSON numbers.
 */

export const MAX_BODY_BYTES = 64 * 1024 * 1024;

const bodies = new WeakMap<IncomingMessage, string>();

/** The body text readBody() read from this request, if it read one (for the conformance check). */
export function bodyRead(req: IncomingMessage): string | undefined {
  return bodies.get(req);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new AuthleteError(400, 'A001220', 'The request body is too large.');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  bodies.set(req, text);
  return text;
}

export function parseJson(text: string): unknown {
  try {
    return parseLossless(text);
  } catch {
    throw badRequest('A001207', 'The request body is not valid JSON.');
  }
}

export function toJson(value: unknown): string {
  return stringifyLossless(value) ?? 'null';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isLosslessNumber(value)) return 'a number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Uniform access to request parameters from a JSON object or an `application/x-www-form-urlencoded`
 * body, with Authlete's per-field typing. Errors name the field and what it expects.
 */
export class Params {
  private constructor(
    readonly kind: 'json' | 'form',
    private readonly json: Record<string, unknown>,
    private readonly form: URLSearchParams,
    /** Error code used for malformed fields of this API. */
    private readonly code: string,
  ) {}

  static fromJson(value: unknown, code: string, what = 'The request body'): Params {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || isLosslessNumber(value)) {
      throw badRequest(code, `${what} must be a JSON object.`);
    }
    return new Params('json', value as Record<string, unknown>, new URLSearchParams(), code);
  }

  static fromForm(text: string, code: string): Params {
    return new Params('form', {}, new URLSearchParams(text), code);
  }

  /** Parses a POST body according to its Content-Type (JSON or form). */
  static fromRequest(contentType: string | undefined, text: string, code: string): Params {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/x-www-form-urlencoded') return Params.fromForm(text, code);
    if (type === 'application/json' || type === '' || type.endsWith('+json')) {
      return Params.fromJson(parseJson(text), code);
    }
    throw new AuthleteError(
      400,
      'A001221',
      `The content type '${type}' is not supported; use application/json or application/x-www-form-urlencoded.`,
    );
  }

  has(name: string): boolean {
    if (this.kind === 'form') return this.form.has(name);
    return this.json[name] !== undefined && this.json[name] !== null;
  }

  /** Raw JSON value (JSON bodies only). */
  raw(name: string): unknown {
    return this.kind === 'json' ? this.json[name] : (this.form.get(name) ?? undefined);
  }

  string(name: string): string | undefined {
    if (this.kind === 'form') return this.form.get(name) ?? undefined;
    const v = this.json[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw badRequest(this.code, `'${name}' must be a string, not ${describe(v)}.`);
    return v;
  }

  /** An integer that may exceed 2^53 (client ids, timestamps). */
  int64(name: string): bigint | undefined {
    let text: string | undefined;
    if (this.kind === 'form') {
      text = this.form.get(name) ?? undefined;
      if (text === undefined || text === '') return undefined;
    } else {
      const v = this.json[name];
      if (v === undefined || v === null) return undefined;
      if (!isLosslessNumber(v)) throw badRequest(this.code, `'${name}' must be an integer, not ${describe(v)}.`);
      text = v.value;
    }
    if (!/^-?\d{1,19}$/.test(text)) throw badRequest(this.code, `'${name}' must be an integer, not '${text}'.`);
    const n = BigInt(text);
    if (n > 9223372036854775807n || n < -9223372036854775808n) {
      throw badRequest(this.code, `'${name}' is out of the 64-bit integer range.`);
    }
    return n;
  }

  boolean(name: string): boolean | undefined {
    if (this.kind === 'form') {
      const v = this.form.get(name);
      if (v === null || v === '') return undefined;
      if (v === 'true') return true;
      if (v === 'false') return false;
      throw badRequest(this.code, `'${name}' must be true or false, not '${v}'.`);
    }
    const v = this.json[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw badRequest(this.code, `'${name}' must be a boolean, not ${describe(v)}.`);
    return v;
  }

  /** JSON: an array of strings. Form: repeated parameters, each possibly space-separated. */
  stringArray(name: string): string[] | undefined {
    if (this.kind === 'form') {
      if (!this.form.has(name)) return undefined;
      return this.form
        .getAll(name)
        .flatMap((v) => v.split(/\s+/))
        .filter((v) => v !== '');
    }
    const v = this.json[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
      throw badRequest(this.code, `'${name}' must be an array of strings.`);
    }
    return v as string[];
  }
}
