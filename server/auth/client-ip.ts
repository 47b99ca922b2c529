import 'server-only';
import { getIP } from 'better-auth/api';
import { config } from '@/server/config';
import type { ClientIpConfig } from '@/server/config/load';

/**
 * Better Auth's `advanced.ipAddress` from CLIENT_IP_HEADER and TRUSTED_PROXIES. Any client can
 * send a forwarded header, so a lone value is trusted only as the platform or proxy set it, and a
 * chain only from the right, past the listed proxies (a client-chosen leftmost entry never counts).
 */
export function clientIpOptions(settings: ClientIpConfig = config.clientIp) {
  return { ipAddressHeaders: [settings.header], trustedProxies: settings.trustedProxies };
}

/**
 * The client address as the per-address sign-in limits see it, for the audit log (IPv6 kept
 * whole rather than collapsed to its /64); null when no trustworthy address is present.
 */
export function clientIpOf(headers: Headers, settings: ClientIpConfig = config.clientIp): string | null {
  return getIP(headers, { advanced: { ipAddress: { ...clientIpOptions(settings), ipv6Subnet: 128 } } });
}
