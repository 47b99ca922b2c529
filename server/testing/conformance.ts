/**
 * Conformance of the emulator to Authlete's OpenAPI description, checked on every test run.
 *
 * Test processes record each request the tests send to an emulator and its answer
 * (`recordExchange`, wired into the test harnesses through `startEmulator({ onExchange })`); the
 * Vitest global teardown validates them all in one process, so the 18k-line description is loaded
 * and its schemas compiled once per run, not once per test file. The description is read from
 * `../shared/authlete/openapi.yaml` (never copied into the project).
 */
import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseLossless, isLosslessNumber } from 'lossless-json';
import yaml from 'js-yaml';
import { type Document, OpenAPIBackend, type Operation } from 'openapi-backend';
import type { ErrorObject } from 'ajv';
import type { Exchange } from '@/server/emulator/server';

/** Folder where test processes append their exchanges (one JSON line each); set by the global setup. */
export const CONFORMANCE_DIR_ENV = 'EMULATOR_CONFORMANCE_DIR';

/** Appends one exchange for the end-of-run check; a no-op outside a Vitest run with the global setup. */
export function recordExchange(exchange: Exchange): void {
  const dir = process.env[CONFORMANCE_DIR_ENV];
  if (!dir) return;
  appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${JSON.stringify(exchange)}\n`);
}

export function readRecordedExchanges(dir: string): Exchange[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Exchange),
    );
}

/**
 * AUTHLETE_OPENAPI_PATH, else `shared/authlete/openapi.yaml` beside the project or beside one of
 * its parent folders (a git worktree sits one level deeper than the main checkout).
 */
export function locateOpenApi(
  projectRoot: string,
  env: Record<string, string | undefined> = process.env,
): string | null {
  if (env.AUTHLETE_OPENAPI_PATH) return existsSync(env.AUTHLETE_OPENAPI_PATH) ? env.AUTHLETE_OPENAPI_PATH : null;
  for (let dir = path.resolve(projectRoot); ; dir = path.dirname(dir)) {
    const candidate = path.join(path.dirname(dir), 'shared', 'authlete', 'openapi.yaml');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

interface Finding {
  exchange: Exchange;
  part: 'request' | 'response';
  error: ErrorObject | { keyword: 'status'; instancePath: ''; message: string; params: Record<string, never> };
}

/**
 * Differences the check accepts, each for a stated reason. Everything else fails the run.
 */
const ALLOWED: { reason: string; matches(f: Finding): boolean }[] = [
  {
    // JSON.parse rounds 9223372036854775807 (a persistent token's expiry) to 2^63, which the int64
    // format then rejects; the raw text is checked exactly instead.
    reason: 'int64 above 2^53 (exact in the raw JSON)',
    matches: ({ exchange, part, error }) =>
      error.keyword === 'format' &&
      (error.params as { format?: string }).format === 'int64' &&
      isLegalInt64(rawAt(part === 'response' ? exchange.responseBody : exchange.requestBody, error.instancePath, part)),
  },
  {
    // A form body carries every value as text (scopes space-separated or repeated, numbers and
    // booleans as digits and words); the validator has no decoder for application/x-www-form-urlencoded.
    reason: 'form-encoded array, integer or boolean the validator cannot decode',
    matches: ({ exchange, part, error }) =>
      part === 'request' &&
      isForm(exchange.requestContentType) &&
      error.keyword === 'type' &&
      ['array', 'integer', 'boolean'].includes(String((error.params as { type?: string }).type)) &&
      error.instancePath.startsWith('/requestBody/'),
  },
  {
    // `tokenStatus` (VALID / INVALID / ALL) is sent by Authlete's own Java client on every list call
    // (shared/authlete/NOTES.md) but is missing from the OpenAPI file's list parameters.
    reason: 'tokenStatus on the token list (Java client; absent from the file)',
    matches: ({ part, error }) =>
      part === 'request' &&
      error.keyword === 'additionalProperties' &&
      error.instancePath === '/query' &&
      (error.params as { additionalProperty?: string }).additionalProperty === 'tokenStatus',
  },
  {
    // The file marks `accessToken` required, yet its own description says `accessTokenHash` may
    // stand in for it; Authlete's current API also takes `refreshToken` / `refreshTokenHash`.
    reason: 'token update identified by hash or refresh token instead of accessToken',
    matches: ({ exchange, part, error }) =>
      part === 'request' &&
      error.keyword === 'required' &&
      (error.params as { missingProperty?: string }).missingProperty === 'accessToken' &&
      /"(accessTokenHash|refreshToken|refreshTokenHash)"\s*:|(^|&)(accessTokenHash|refreshToken|refreshTokenHash)=/.test(
        exchange.requestBody ?? '',
      ),
  },
  {
    // The official TypeScript SDK calls the `/{subject}` variants (authorized apps, granted scopes)
    // with the same subject in the query too, which the file does not list for those operations.
    reason: 'subject repeated in the query of a /{subject} path (official SDK)',
    matches: ({ exchange, part, error }) =>
      part === 'request' &&
      error.keyword === 'additionalProperties' &&
      error.instancePath === '/query' &&
      (error.params as { additionalProperty?: string }).additionalProperty === 'subject' &&
      subjectRepeatedInPath(exchange.url),
  },
  {
    // Authlete's Java client documents `clientIdentifier` (id or alias) in place of `clientId`.
    reason: 'token create by clientIdentifier instead of clientId',
    matches: ({ exchange, part, error }) =>
      part === 'request' &&
      error.keyword === 'required' &&
      (error.params as { missingProperty?: string }).missingProperty === 'clientId' &&
      /"clientIdentifier"\s*:|(^|&)clientIdentifier=/.test(exchange.requestBody ?? ''),
  },
];

/** True when the query's `subject` is also the last path segment (`.../{subject}?subject=...`). */
function subjectRepeatedInPath(url: string): boolean {
  const parsed = new URL(url, 'http://emulator');
  const subject = parsed.searchParams.get('subject');
  return subject !== null && parsed.pathname.endsWith(`/${encodeURIComponent(subject)}`);
}

const isForm = (contentType: string | undefined) => /^application\/x-www-form-urlencoded/i.test(contentType ?? '');

function rawAt(text: string | undefined, instancePath: string, part: 'request' | 'response'): unknown {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = parseLossless(text);
  } catch {
    return undefined;
  }
  // Request paths start with /requestBody; response paths start at the body.
  const segments = instancePath.split('/').slice(part === 'request' ? 2 : 1);
  for (const s of segments)
    value =
      value && typeof value === 'object'
        ? (value as Record<string, unknown>)[s.replace(/~1/g, '/').replace(/~0/g, '~')]
        : undefined;
  return value;
}

function isLegalInt64(value: unknown): boolean {
  if (!isLosslessNumber(value) || !/^-?\d+$/.test(value.value)) return false;
  const n = BigInt(value.value);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

function decodeBody(exchange: Exchange): unknown {
  if (exchange.requestBody === undefined || exchange.requestBody === '') return undefined;
  if (isForm(exchange.requestContentType)) {
    const form = new URLSearchParams(exchange.requestBody);
    return Object.fromEntries(
      [...new Set(form.keys())].map((k) => [k, form.getAll(k).length > 1 ? form.getAll(k) : form.get(k)]),
    );
  }
  return JSON.parse(exchange.requestBody);
}

export interface ConformanceReport {
  /** Exchanges matched to an Authlete operation and validated. */
  validated: number;
  /** Exchanges skipped: fault injection, or a path that is no Authlete operation. */
  skipped: number;
  /**
   * Authlete 2.x exchanges, skipped: the file describes 3.x only, and a 2.x path can look like a 3.x
   * one (`/api/service/get/list`). 2.x's shapes come from its Java client (server/emulator/README.md).
   */
  authlete2x: number;
  allowed: Map<string, number>;
  violations: string[];
}

/**
 * The file as published, with one repair: `nullable` beside a `$ref` (e.g. `userInfoSignAlg`) is
 * ignored by OpenAPI 3.0 (siblings of `$ref` do not count) but makes the validator build an invalid
 * schema; the referenced schemas carry `nullable` themselves.
 */
function loadDescription(openApiPath: string): Document {
  const document = yaml.load(readFileSync(openApiPath, 'utf8')) as Document;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if ('$ref' in record) delete record.nullable;
      Object.values(record).forEach(visit);
    }
  };
  visit(document);
  return document;
}

export async function checkConformance(openApiPath: string, exchanges: Exchange[]): Promise<ConformanceReport> {
  const api = new OpenAPIBackend({
    definition: loadDescription(openApiPath),
    quick: true,
    coerceTypes: true,
    ajvOpts: { strict: false, validateSchema: false, logger: false },
  });
  await api.init();
  const report: ConformanceReport = { validated: 0, skipped: 0, authlete2x: 0, allowed: new Map(), violations: [] };
  for (const exchange of exchanges) {
    if (exchange.authlete2x) {
      report.authlete2x++;
      continue;
    }
    const q = exchange.url.indexOf('?');
    const headers: Record<string, string> = exchange.requestContentType
      ? { 'content-type': exchange.requestContentType }
      : {};
    const request = {
      method: exchange.method,
      path: q < 0 ? exchange.url : exchange.url.slice(0, q),
      query: q < 0 ? '' : exchange.url.slice(q + 1),
      headers,
    };
    const operation = exchange.injected ? undefined : api.matchOperation(request);
    if (!operation) {
      report.skipped++;
      continue;
    }
    report.validated++;
    const findings: Finding[] = [];
    for (const error of responseErrors(api, operation, exchange)) findings.push({ exchange, part: 'response', error });
    // Requests are checked where the emulator accepted them: the tests send malformed requests on
    // purpose, and refusing what Authlete's schema allows is a behaviour, not a schema violation.
    // Some APIs (introspection) refuse with HTTP 200 and `action: BAD_REQUEST`.
    if (exchange.status >= 200 && exchange.status < 300 && !refusedInBody(exchange)) {
      let body: unknown;
      try {
        body = decodeBody(exchange);
      } catch {
        findings.push({
          exchange,
          part: 'request',
          error: statusError('a 2xx answer to a request body that is not JSON'),
        });
      }
      const result = api.validateRequest({ ...request, body }, operation);
      for (const error of result.errors ?? []) findings.push({ exchange, part: 'request', error });
    }
    for (const finding of findings) {
      const rule = ALLOWED.find((r) => r.matches(finding));
      if (rule) report.allowed.set(rule.reason, (report.allowed.get(rule.reason) ?? 0) + 1);
      else report.violations.push(describe(operation, finding));
    }
  }
  return report;
}

function statusError(message: string): Finding['error'] {
  return { keyword: 'status', instancePath: '', message, params: {} };
}

function responseErrors(api: OpenAPIBackend, operation: Operation, exchange: Exchange): Finding['error'][] {
  const declared = operation.responses ?? {};
  if (!(String(exchange.status) in declared) && !('default' in declared)) {
    return [
      statusError(`HTTP ${exchange.status} is not a status the OpenAPI lists (${Object.keys(declared).join(', ')})`),
    ];
  }
  if (exchange.responseBody === undefined) return [];
  const result = api.validateResponse(JSON.parse(exchange.responseBody), operation, exchange.status);
  return result.errors ?? [];
}

function describe(operation: Operation, { exchange, part, error }: Finding): string {
  const where = error.instancePath ? ` at ${error.instancePath}` : '';
  const params = Object.keys(error.params ?? {}).length > 0 ? ` ${JSON.stringify(error.params)}` : '';
  return `${operation.operationId}: ${exchange.method} ${exchange.url} → ${exchange.status}: ${part}${where} ${error.message}${params}`;
}

/** A 2xx answer whose `action` says the request itself was bad (Authlete's action-style APIs). */
function refusedInBody(exchange: Exchange): boolean {
  try {
    return (JSON.parse(exchange.responseBody ?? '{}') as { action?: unknown }).action === 'BAD_REQUEST';
  } catch {
    return false;
  }
}
