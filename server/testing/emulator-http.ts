/** Helpers for the emulator's own tests: raw HTTP calls with lossless JSON bodies. */
import { request } from 'node:http';
import { parse as parseLossless } from 'lossless-json';
import { recordExchange } from './conformance';
import { type Emulator, type EmulatorOptions, startEmulator } from '@/server/emulator/server';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed with lossless-json: numbers are LosslessNumber (use Number()/String()). */
  body: Record<string, unknown>;
}

export interface CallOptions {
  method?: string;
  /** Serialized as JSON unless `raw` is given. */
  json?: unknown;
  /** Sent verbatim with `contentType`. */
  raw?: string;
  contentType?: string;
  form?: Record<string, string | string[]>;
  /** Bearer token; default the demo service token. `null` sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface TestEmulator extends Emulator {
  /** Calls `/api/{serviceId}{path}` (or an absolute path starting with `/`, when `absolute`). */
  api(path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Calls any path on the emulator (control endpoints, odd paths). */
  call(path: string, options?: CallOptions): Promise<ApiResponse>;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ seed: { tokens: 0 }, onExchange: recordExchange, ...options });
  async function call(path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? emulator.serviceAccessToken : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (options.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(options.form)) for (const item of [v].flat()) params.append(k, item);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    const method = options.method ?? (body === undefined ? 'GET' : 'POST');
    // node:http, not fetch: fetch normalizes '.' and '..' segments, and these tests need literal paths.
    const res = await new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: new URL(emulator.url).hostname.replace(/^\[|\]$/g, ''),
          port: emulator.port,
          path,
          method,
          headers,
          signal: options.signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('error', reject);
          response.on('end', () => {
            const h = new Headers();
            for (const [k, v] of Object.entries(response.headers)) if (typeof v === 'string') h.set(k, v);
            resolve({ status: response.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const parsed = res.text ? parseLossless(res.text) : {};
    return { ...res, body: parsed as Record<string, unknown> };
  }
  return {
    ...emulator,
    call,
    api: (path, options) => call(`/api/${emulator.serviceId}${path}`, options),
  };
}

/** Lossless JSON value → plain JS (numbers via Number; only for values known to be safe). */
export function plain<T = unknown>(value: unknown): T {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      v && typeof v === 'object' && 'isLosslessNumber' in v ? Number(String(v)) : v,
    ),
  ) as T;
}
