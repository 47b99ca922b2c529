import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Exchange } from '@/server/emulator/server';
import { checkConformance, locateOpenApi } from './conformance';

const root = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'conformance-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const exchange = (e: Partial<Exchange>): Exchange => ({
  method: 'GET',
  url: '/api/1/auth/token/get/list',
  status: 200,
  injected: false,
  ...e,
});

describe('locating the OpenAPI description', () => {
  it('takes AUTHLETE_OPENAPI_PATH, else shared/authlete beside the project or a parent folder', () => {
    const file = path.join(scratch, 'shared', 'authlete', 'openapi.yaml');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'openapi: 3.0.3\n');
    const worktree = path.join(scratch, 'wt', 'project');
    expect(locateOpenApi(worktree, {})).toBe(file);
    expect(locateOpenApi(worktree, { AUTHLETE_OPENAPI_PATH: file })).toBe(file);
    expect(locateOpenApi(worktree, { AUTHLETE_OPENAPI_PATH: path.join(scratch, 'missing.yaml') })).toBeNull();
  });
});

describe('checking exchanges', () => {
  it('reports bodies and statuses the description does not allow, and allows only the listed differences', async () => {
    const openApi = locateOpenApi(root);
    // CI and every developer machine have the file; without it the global setup says so in one line.
    if (!openApi) return expect(openApi).toBeNull();
    const report = await checkConformance(openApi, [
      exchange({
        responseBody:
          '{"start":0,"end":5,"totalCount":1,"accessTokens":[{"accessTokenExpiresAt":9223372036854775807}]}',
      }),
      exchange({
        url: '/api/1/auth/token/get/list?tokenStatus=VALID',
        responseBody: '{"start":0,"end":5,"totalCount":0,"accessTokens":[]}',
      }),
      exchange({ responseBody: '{"start":0,"end":5,"totalCount":"many","accessTokens":[]}' }),
      exchange({ status: 404, responseBody: '{"resultCode":"A001210","resultMessage":"x"}' }),
      exchange({
        method: 'POST',
        url: '/api/1/auth/token/create',
        requestContentType: 'application/json',
        requestBody: '{"subject":"s"}',
        responseBody: '{"resultCode":"A109001","resultMessage":"x","action":"OK"}',
      }),
      exchange({ url: '/__emulator/health', responseBody: '{}' }),
      exchange({ status: 500, injected: true, responseBody: '{}' }),
      // A 2.x answer on a path the 3.x file also has: skipped, never counted as a violation.
      exchange({
        url: '/api/service/get/list',
        responseBody: '{"start":0,"end":5,"totalCount":"many","services":[]}',
        authlete2x: true,
      }),
    ]);
    expect(report.validated).toBe(5);
    expect(report.skipped).toBe(2);
    expect(report.authlete2x).toBe(1);
    expect([...report.allowed.keys()]).toEqual(
      expect.arrayContaining([expect.stringMatching(/^int64/), expect.stringMatching(/^tokenStatus/)]),
    );
    expect(report.violations).toEqual([
      expect.stringMatching(/auth_token_get_list_api: .* response at \/totalCount must be integer/),
      expect.stringMatching(/auth_token_get_list_api: .* HTTP 404 is not a status the OpenAPI lists/),
      expect.stringMatching(/auth_token_create_api: .* request .*must have required property 'grantType'/),
    ]);
  });
});
