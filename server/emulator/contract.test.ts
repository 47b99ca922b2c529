/**
 * Contract tests: the official Authlete TypeScript SDK drives the emulator and parses every
 * response with its own zod models (a mismatch throws ResponseValidationError). The SDK has no
 * batch functions, so batch responses are checked against schemas written from openapi.yaml.
 */
import { createHash } from 'node:crypto';
import { Authlete } from '@authlete/typescript-sdk';
import { ResponseValidationError, ResultError } from '@authlete/typescript-sdk/models/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type TestEmulator, plain, startTestEmulator } from '@/server/testing/emulator-http';

const sha = (v: string) => createHash('sha256').update(v).digest('base64url');
const int64 = z.number().int();

// openapi.yaml components/schemas/token_create_batch_response
const tokenCreateBatchResponse = z
  .object({ resultCode: z.string(), resultMessage: z.string(), requestId: z.string().min(1) })
  .strict();
// openapi.yaml components/schemas/token_batch_status + token_create_batch_status_response
const tokenBatchStatus = z
  .object({
    batchKind: z.enum(['CREATE']),
    requestId: z.string(),
    result: z.enum(['SUCCEEDED', 'FAILED']).optional(),
    errorCode: z.string().optional(),
    errorDescription: z.string().optional(),
    tokenCount: int64,
    createdAt: int64,
    modifiedAt: int64,
  })
  .strict();
const tokenCreateBatchStatusResponse = z
  .object({ resultCode: z.string(), resultMessage: z.string(), status: tokenBatchStatus })
  .strict();
// openapi.yaml components/schemas/result (every 4xx/5xx body)
const resultSchema = z.object({ resultCode: z.string().regex(/^A\d{6}$/), resultMessage: z.string() });

let emu: TestEmulator;
let sdk: Authlete;
beforeAll(async () => {
  emu = await startTestEmulator({ seed: { tokens: 300 } });
  sdk = new Authlete({ serverURL: emu.url, bearer: emu.serviceAccessToken, retryConfig: { strategy: 'none' } });
});
afterAll(async () => {
  await emu?.close();
});

describe('official SDK against the emulator', () => {
  it('lists tokens (seeded data, filtered by client alias and subject)', async () => {
    const all = await sdk.token.management.list({ serviceId: emu.serviceId, start: 0, end: 20 });
    expect(all.totalCount).toBe(300);
    expect(all.accessTokens).toHaveLength(20);
    for (const t of all.accessTokens ?? []) expect(t.accessTokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const byClient = await sdk.token.management.list({
      serviceId: emu.serviceId,
      clientIdentifier: 'web-banking',
      end: 20,
    });
    expect(byClient.client?.clientName).toBe('Web Banking');
    expect(byClient.accessTokens?.every((t) => t.clientId === 26888344961664)).toBe(true);
    const subject = all.accessTokens!.find((t) => t.subject)!.subject!;
    const bySubject = await sdk.token.management.list({ serviceId: emu.serviceId, subject, end: 20 });
    expect(bySubject.subject).toBe(subject);
    expect(bySubject.accessTokens?.every((t) => t.subject === subject)).toBe(true);
  });

  it('creates, updates, revokes and deletes', async () => {
    const created = await sdk.token.management.create({
      serviceId: emu.serviceId,
      tokenCreateRequest: {
        grantType: 'AUTHORIZATION_CODE',
        clientId: 26888344961664,
        subject: 'sdk-user',
        scopes: ['openid', 'payments.read'],
        properties: [{ key: 'channel', value: 'sdk', hidden: false }],
      },
    });
    expect(created).toMatchObject({
      action: 'OK',
      subject: 'sdk-user',
      tokenType: 'Bearer',
      grantType: 'AUTHORIZATION_CODE',
    });
    const accessToken = created.accessToken!;

    const updated = await sdk.token.management.update({
      serviceId: emu.serviceId,
      tokenUpdateRequest: { accessToken, scopes: ['openid'], accessTokenExpiresAt: Date.now() + 86_400_000 },
    });
    expect(updated).toMatchObject({ action: 'OK', scopes: ['openid'] });

    const notFound = await sdk.token.management.update({
      serviceId: emu.serviceId,
      tokenUpdateRequest: { accessToken: 'never-issued', accessTokenHash: sha('never-issued') },
    });
    expect(notFound.action).toBe('NOT_FOUND');

    const second = await sdk.token.management.create({
      serviceId: emu.serviceId,
      tokenCreateRequest: { grantType: 'PASSWORD', clientId: 917364, subject: 'sdk-user' },
    });
    const revoked = await sdk.token.management.revoke({
      serviceId: emu.serviceId,
      tokenRevokeRequest: { accessTokenIdentifier: sha(second.accessToken!) },
    });
    expect(revoked.count).toBe(1);

    await expect(
      sdk.token.management.delete({ serviceId: emu.serviceId, accessTokenIdentifier: accessToken }),
    ).resolves.toBeUndefined();
    const after = await sdk.token.management.list({ serviceId: emu.serviceId, subject: 'sdk-user' });
    expect(after.totalCount).toBe(0);
  });

  it('surfaces Authlete errors as ResultError with resultCode and resultMessage', async () => {
    const error = await sdk.token.management
      .create({
        serviceId: emu.serviceId,
        tokenCreateRequest: { grantType: 'AUTHORIZATION_CODE', clientId: 26888344961664 },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultError);
    expect(error).not.toBeInstanceOf(ResponseValidationError);
    expect((error as ResultError).data$.resultCode).toBe('A109205');
    const unauthorized = await new Authlete({ serverURL: emu.url, bearer: 'wrong' }).token.management
      .list({ serviceId: emu.serviceId })
      .catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(ResultError);
    expect((unauthorized as ResultError).data$.resultCode).toBe('A001204');
  });

  it('reads the service (supported scopes) and the clients', async () => {
    const service = await sdk.service.get({ serviceId: emu.serviceId });
    expect(service.supportedScopes?.map((s) => s.name)).toContain('offline_access');
    expect(service.supportedGrantTypes).toContain('AUTHORIZATION_CODE');
    const clients = await sdk.client.list({ serviceId: emu.serviceId, start: 0, end: 20 });
    expect(clients.totalCount).toBe(12);
    expect(clients.clients?.find((c) => c.clientIdAlias === 'smart-tv')?.clientName).toBe('Smart TV App');
  });
});

describe('batch API against openapi.yaml schemas', () => {
  async function waitForResult(requestId: string) {
    for (;;) {
      const res = await emu.api(`/auth/token/create/batch/status/${requestId}`);
      expect(res.status).toBe(200);
      const parsed = tokenCreateBatchStatusResponse.parse(plain(res.body));
      if (parsed.status.result) return parsed;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('accepts a batch, reports it running without a result, then SUCCEEDED', async () => {
    const elements = Array.from({ length: 2500 }, (_, i) => ({
      grantType: 'AUTHORIZATION_CODE',
      clientId: 26888344961664,
      subject: `batch-contract-${i % 50}`,
      scopes: ['openid'],
    }));
    const accepted = await emu.api('/auth/token/create/batch', { json: elements });
    expect(accepted.status).toBe(200);
    const { requestId } = tokenCreateBatchResponse.parse(plain(accepted.body));
    // Right after acceptance the batch is still being processed: no `result` yet.
    const first = tokenCreateBatchStatusResponse.parse(
      plain((await emu.api(`/auth/token/create/batch/status/${requestId}`)).body),
    );
    expect(first.status.result).toBeUndefined();
    expect(first.status).toMatchObject({ batchKind: 'CREATE', requestId });
    const done = await waitForResult(requestId);
    expect(done.status).toMatchObject({ result: 'SUCCEEDED', tokenCount: 2500 });
    expect(done.status.modifiedAt).toBeGreaterThanOrEqual(done.status.createdAt);
  });

  it('error bodies of the batch API follow the result schema', async () => {
    const res = await emu.api('/auth/token/create/batch/status/no-such-request');
    expect(res.status).toBe(400);
    resultSchema.parse(plain(res.body));
  });
});
