/**
 * One request id per request, end to end: the id the route wrapper issues is the one the API's
 * error body quotes and the one in the response header. That the UI shows it under an error
 * message is tested in tokens-errors.spec.ts.
 */
import { expect, test } from '@playwright/test';

test('an API error quotes the same request id as its response header', async ({ request }) => {
  const response = await request.get('/api/s/production/tokens?status=all');
  expect(response.status()).toBe(401);
  const headerId = response.headers()['x-request-id'];
  expect(headerId).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await response.json()) as { error: { requestId: string } };
  expect(body.error.requestId).toBe(headerId);
});

test('a request id sent by the client is replaced by the server’s own', async ({ request }) => {
  const response = await request.get('/api/s/production/tokens?status=all', {
    headers: { 'x-request-id': 'client-chosen-id-1234' },
  });
  const headerId = response.headers()['x-request-id'];
  expect(headerId).not.toBe('client-chosen-id-1234');
  expect(((await response.json()) as { error: { requestId: string } }).error.requestId).toBe(headerId);
});
