import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SERVICE_ACCESS_TOKEN, SANDBOX_SERVICE_ID } from './seed';
import { type TestEmulator, plain, startTestEmulator } from '@/server/testing/emulator-http';

const sha = (v: string) => createHash('sha256').update(v).digest('base64url');
const WEB = 26888344961664;

interface BatchStatus {
  batchKind: string;
  requestId: string;
  result?: 'SUCCEEDED' | 'FAILED';
  errorCode?: string;
  errorDescription?: string;
  tokenCount: number;
  createdAt: number;
  modifiedAt: number;
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

async function submit(elements: unknown, query = ''): Promise<string> {
  const res = await emu.api(`/auth/token/create/batch${query}`, { json: elements });
  expect(res.status, res.text).toBe(200);
  expect(res.body.resultCode).toBe('A361001');
  return String(res.body.requestId);
}

async function finished(requestId: string): Promise<BatchStatus> {
  for (;;) {
    const res = await emu.api(`/auth/token/create/batch/status/${requestId}`);
    expect(res.status).toBe(200);
    const status = plain<{ status: BatchStatus }>(res.body).status;
    if (status.result) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const countOf = async (subject: string) =>
  Number(String((await emu.api(`/auth/token/get/list?subject=${subject}`)).body.totalCount));

const element = (subject: string, extra: Record<string, unknown> = {}) => ({
  grantType: 'AUTHORIZATION_CODE',
  clientId: WEB,
  subject,
  ...extra,
});

describe('batch create', () => {
  it('creates every token in the background and reports SUCCEEDED with the count', async () => {
    const requestId = await submit([
      element('b-ok'),
      element('b-ok', { accessToken: 'batch-value-1' }),
      { grantType: 'CLIENT_CREDENTIALS', clientId: 44217 },
    ]);
    const status = await finished(requestId);
    expect(status).toMatchObject({ batchKind: 'CREATE', requestId, result: 'SUCCEEDED', tokenCount: 3 });
    expect(status.errorCode).toBeUndefined();
    expect(await countOf('b-ok')).toBe(2);
    const listed = await emu.api('/auth/token/get/list?subject=b-ok');
    expect(listed.text).toContain(sha('batch-value-1'));
  });

  it('creates nothing in a dry run, but still validates', async () => {
    const ok = await finished(await submit([element('b-dry'), element('b-dry')], '?dryRun=true'));
    expect(ok).toMatchObject({ result: 'SUCCEEDED', tokenCount: 2 });
    expect(await countOf('b-dry')).toBe(0);
    const bad = await finished(await submit([element('b-dry'), element('b-dry', { clientId: 4242 })], '?dryRun=true'));
    expect(bad).toMatchObject({ result: 'FAILED', errorCode: 'A109204', tokenCount: 1 });
    expect(await countOf('b-dry')).toBe(0);
  });

  it('ends FAILED at a bad element, keeping the tokens created before it', async () => {
    const elements = [
      element('b-fail'),
      element('b-fail'),
      element('b-fail', { scopes: ['not-a-scope'] }),
      element('b-fail'),
    ];
    const status = await finished(await submit(elements));
    expect(status).toMatchObject({ result: 'FAILED', errorCode: 'A109207', tokenCount: 2 });
    expect(status.errorDescription).toMatch(/^\[A109207\] Element \[2\]: The scope 'not-a-scope' is not supported/);
    expect(await countOf('b-fail')).toBe(2);
  });

  it('fails on a value that already exists, in the database or earlier in the batch', async () => {
    await finished(await submit([element('b-dup', { accessToken: 'dup-value-1' })]));
    const again = await finished(
      await submit([
        element('b-dup', { accessToken: 'dup-value-2' }),
        element('b-dup', { accessToken: 'dup-value-1' }),
      ]),
    );
    expect(again).toMatchObject({ result: 'FAILED', errorCode: 'A109211', tokenCount: 1 });
    expect(again.errorDescription).toContain('Element [1]');
    const within = await finished(
      await submit([element('b-dup2', { refreshToken: 'same-rt' }), element('b-dup2', { refreshToken: 'same-rt' })]),
    );
    expect(within).toMatchObject({ result: 'FAILED', errorCode: 'A109212', tokenCount: 1 });
  });

  it('processes batches larger than one chunk', async () => {
    const elements = Array.from({ length: 2300 }, (_, i) => element(`b-big-${i % 3}`));
    const status = await finished(await submit(elements));
    expect(status).toMatchObject({ result: 'SUCCEEDED', tokenCount: 2300 });
    expect((await countOf('b-big-0')) + (await countOf('b-big-1')) + (await countOf('b-big-2'))).toBe(2300);
  });

  it('rejects malformed batches at once with 400 naming the element', async () => {
    const cases: [string, unknown, string][] = [
      ['not an array', { grantType: 'PASSWORD' }, 'A361201'],
      ['empty', [], 'A361201'],
      ['element not an object', [element('x'), 42], 'A361202'],
      ['element without subject', [element('x'), { grantType: 'AUTHORIZATION_CODE', clientId: WEB }], 'A109205'],
      ['element with bad grant type', [{ grantType: 'NOPE', clientId: WEB, subject: 's' }], 'A109202'],
    ];
    for (const [name, body, code] of cases) {
      const res = await emu.api('/auth/token/create/batch', { json: body });
      expect(res.status, name).toBe(400);
      expect(res.body.resultCode, name).toBe(code);
    }
    const named = await emu.api('/auth/token/create/batch', {
      json: [element('x'), { grantType: 'AUTHORIZATION_CODE', clientId: WEB }],
    });
    expect(String(named.body.resultMessage)).toContain('Element [1]');
    expect((await emu.api('/auth/token/create/batch?dryRun=maybe', { json: [element('x')] })).body.resultCode).toBe(
      'A361203',
    );
    expect((await emu.api('/auth/token/create/batch', { form: { grantType: 'PASSWORD' } })).status).toBe(400);
    expect(await countOf('x')).toBe(0);
  });

  it('keeps a batch private to its service and answers 400 for unknown ids (the OpenAPI lists no 404)', async () => {
    const requestId = await submit([element('b-private')]);
    await finished(requestId);
    const other = await emu.call(`/api/${SANDBOX_SERVICE_ID}/auth/token/create/batch/status/${requestId}`, {
      token: SANDBOX_SERVICE_ACCESS_TOKEN,
    });
    expect(other.status).toBe(400);
    expect(other.body.resultCode).toBe('A362202');
  });

  it('fails element N on demand (fault injection)', async () => {
    await emu.call('/__emulator/faults', { json: { failBatchElement: 1 } });
    try {
      const status = await finished(await submit([element('b-fault'), element('b-fault'), element('b-fault')]));
      expect(status).toMatchObject({ result: 'FAILED', errorCode: 'A361102', tokenCount: 1 });
      expect(await countOf('b-fault')).toBe(1);
    } finally {
      await emu.call('/__emulator/faults', { json: {} });
    }
  });
});
