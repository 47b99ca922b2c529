/**
 * "Already gone": Authlete's OpenAPI lists 400 (not 404) for deleting an unknown token and for the
 * status of an unknown batch, and the emulator answers so; the client still reports `not_found`,
 * which the token actions and the batch polling read, while other 400s stay refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { createAuthleteClient } from './client';
import { AuthleteError } from './errors';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: { demo: true, tokens: 0 } });
});
afterAll(() => emulator.close());

const client = () =>
  createAuthleteClient({
    baseUrl: emulator.url,
    apiVersion: 3,
    serviceId: emulator.serviceId,
    accessToken: emulator.serviceAccessToken,
    timeoutMs: 2_000,
    retry: { minDelayMs: 10, maxDelayMs: 50 },
  });

async function failure(promise: Promise<unknown>): Promise<AuthleteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthleteError);
  return error as AuthleteError;
}

describe('unknown token or batch (HTTP 400 from Authlete)', () => {
  it('reports a token deleted twice as not_found', async () => {
    const authlete = client();
    const created = await authlete.createToken({
      grantType: 'PASSWORD',
      clientId: '917364',
      subject: 'gone-twice',
      scopes: ['openid'],
    });
    await authlete.deleteToken(created.token.accessTokenHash);
    const again = await failure(authlete.deleteToken(created.token.accessTokenHash));
    expect(again).toMatchObject({ code: 'not_found', status: 400, resultCode: 'A136201' });
  });

  it('reports an unknown batch as not_found', async () => {
    const error = await failure(client().getBatchStatus('no-such-batch'));
    expect(error).toMatchObject({ code: 'not_found', status: 400, resultCode: 'A362202' });
  });

  it('keeps other 400s as refusals', async () => {
    const refused = await failure(
      client().createToken({ grantType: 'PASSWORD', clientId: '917364', subject: 'x', scopes: ['no.such.scope'] }),
    );
    expect(refused).toMatchObject({ code: 'upstream_rejected', status: 400 });
  });
});
