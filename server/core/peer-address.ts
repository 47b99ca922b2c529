import 'server-only';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The address of the TCP peer, written here on every request, replacing whatever the client sent
 * under this name. Next.js hands route handlers no socket, and the `x-forwarded-for` its server
 * adds is set from the socket only when the request carries none (`??=` in
 * next/dist/server/base-server.js), so that header is the client's to choose.
 */
export const PEER_ADDRESS_HEADER = 'x-token-desk-peer-address';

const installedKey = Symbol.for('token-desk.peer-address');

/** Writes the TCP peer's address into the request's headers, replacing any client-sent copy. */
export function recordPeerAddress({ request, socket }: { request: IncomingMessage; socket: Socket }): void {
  const address = socket.remoteAddress;
  if (address) request.headers[PEER_ADDRESS_HEADER] = address;
  else delete request.headers[PEER_ADDRESS_HEADER];
}

/**
 * Node's HTTP server announces every request on the `http.server.request.start` channel, before
 * Next.js sees it: the one place where the socket and the headers route handlers will read meet.
 * Installed once per process, by start-up (server/startup.ts).
 */
export function recordPeerAddresses(): void {
  const store = globalThis as typeof globalThis & { [installedKey]?: true };
  if (store[installedKey]) return;
  store[installedKey] = true;
  subscribe('http.server.request.start', (message) =>
    recordPeerAddress(message as { request: IncomingMessage; socket: Socket }),
  );
}
