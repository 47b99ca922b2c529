import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_ADDRESS_HEADER, recordPeerAddresses } from './peer-address';

describe('the peer address header', () => {
  const server = createServer((request, response) => response.end(String(request.headers[PEER_ADDRESS_HEADER])));
  let url: string;
  beforeAll(async () => {
    recordPeerAddresses();
    recordPeerAddresses(); // Once per process, however often start-up runs.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("is the socket's address, set before any request handler runs, whatever the client sent", async () => {
    expect(await (await fetch(url)).text()).toBe('127.0.0.1');
    const forged = await fetch(url, {
      headers: { [PEER_ADDRESS_HEADER]: '203.0.113.66', 'x-forwarded-for': '203.0.113.67' },
    });
    expect(await forged.text()).toBe('127.0.0.1');
  });
});
