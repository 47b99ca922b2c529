import 'server-only';
import { getIP } from 'better-auth/api';
import { config } from '@/server/config';
import type { ClientIpConfig } from '@/server/config/load';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';

export { PEER_ADDRESS_HEADER };

/**
 * The client address as decided here, handed to Better Auth (its per-address sign-in limit reads
 * only this header); set by the /api/auth route on every request it passes on.
 */
export const CLIENT_ADDRESS_HEADER = 'x-token-desk-client-address';

/** Better Auth's `advanced.ipAddress`: the address clientIpOf decided, nothing the client sent. */
export function clientIpOptions() {
  return { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] };
}

/** One header's value read as a forwarded chain, walked from the right past `trustedProxies`. */
function fromChain(chain: string, trustedProxies: string[]): string | null {
  if (!chain.split(',').some((hop) => hop.trim())) return null;
  return getIP(new Headers({ chain }), {
    advanced: { ipAddress: { ipAddressHeaders: ['chain'], trustedProxies, ipv6Subnet: 128 } },
  });
}

/**
 * The client's address (IPv6 whole, not collapsed to the /64 the sign-in limit counts by), or null:
 * - by default, the TCP peer: nothing a client writes in a header counts;
 * - with TRUSTED_PROXIES, CLIENT_IP_HEADER's chain (x-forwarded-for by default) plus the peer,
 *   walked from the right past the proxies: a client that connects directly gets its own address;
 * - with CLIENT_IP_HEADER alone (or on Vercel, its x-vercel-forwarded-for), that header's value as
 *   the platform or proxy set it, which start-up warns cannot be checked.
 */
export function clientIpOf(headers: Headers, settings: ClientIpConfig = config.clientIp): string | null {
  const peer = headers.get(PEER_ADDRESS_HEADER);
  if (!settings.header) return peer ? fromChain(peer, []) : null;
  const forwarded = headers.get(settings.header) ?? '';
  if (settings.trustedProxies.length > 0)
    return fromChain([forwarded, peer ?? ''].filter(Boolean).join(','), settings.trustedProxies);
  const hops = forwarded.split(',');
  return fromChain(hops[hops.length - 1] ?? '', []);
}

/**
 * A warning for the start-up log when the configuration trusts a header whose sender it cannot
 * check (any client may send it when it reaches the app directly); null when there is nothing to say.
 */
export function clientIpWarning(settings: ClientIpConfig = config.clientIp): string | null {
  if (!settings.header || settings.trustedProxies.length > 0 || settings.platform) return null;
  return (
    `CLIENT_IP_HEADER=${settings.header} is believed from any client: a client that reaches Token Desk directly ` +
    'chooses its own address (sign-in limits, audit log). Set TRUSTED_PROXIES to the addresses of the proxy that sets it.'
  );
}
