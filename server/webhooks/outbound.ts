import 'server-only';
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';

/**
 * Outbound HTTP to addresses an admin typed in (webhook endpoints, audit sinks), without making the
 * server an SSRF: the host is resolved and every address it resolves to is checked against the
 * loopback, private, link-local, metadata and other special ranges, both before sending and again
 * when the connection is made (so a DNS answer that changes in between, "rebinding", is caught);
 * redirects are never followed (a 3xx is a failed delivery); every phase has a timeout.
 * Ranges an installation needs (a receiver on its own network) are allowed by configuration.
 */

export type OutboundRefusal = 'bad_url' | 'scheme' | 'blocked_address' | 'unresolvable';

export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
  constructor(
    readonly refusal: OutboundRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Never reachable from a webhook: loopback, private, shared, link-local (incl. cloud metadata), multicast, reserved. */
const SPECIAL_RANGES: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const special = new BlockList();
for (const [network, prefix, family] of SPECIAL_RANGES) special.addSubnet(network, prefix, family);

export interface OutboundPolicy {
  /** CIDR ranges allowed although special (`10.1.2.0/24`, `127.0.0.1/32`): from configuration only. */
  allowedRanges: readonly string[];
  /** Plain http is refused unless allowed (tests, a receiver on a trusted network). */
  allowHttp: boolean;
  /** Connect, first byte and between body parts. */
  timeoutMs: number;
}

function allowList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [network = '', prefix] = range.split('/');
    const family = isIP(network) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(network, Number(prefix ?? (family === 'ipv6' ? 128 : 32)), family);
  }
  return list;
}

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is checked as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isRefusedAddress(address: string, allowedRanges: readonly string[] = []): boolean {
  const plain = unmapped(address);
  if (allowList(allowedRanges).check(plain.address, plain.family)) return false;
  return special.check(plain.address, plain.family);
}

/** Checks the URL's form and every address its host resolves to; throws OutboundRefusedError. */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefusedError('bad_url', 'The address is not a URL.');
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    throw new OutboundRefusedError(
      'scheme',
      `Only ${policy.allowHttp ? 'http and https' : 'https'} addresses are allowed.`,
    );
  }
  if (url.username || url.password) throw new OutboundRefusedError('bad_url', 'The address may not carry credentials.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  refuseSpecial(host, addresses, policy.allowedRanges);
  return url;
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    const found = await dns.promises.lookup(host, { all: true, verbatim: true });
    return found.map((entry) => entry.address);
  } catch {
    throw new OutboundRefusedError('unresolvable', `The host ${host} could not be resolved.`);
  }
}

function refuseSpecial(host: string, addresses: readonly string[], allowedRanges: readonly string[]): void {
  const refused = addresses.find((address) => isRefusedAddress(address, allowedRanges));
  if (refused !== undefined) {
    throw new OutboundRefusedError(
      'blocked_address',
      `${host} resolves to ${refused}, a loopback, private, link-local or reserved address.`,
    );
  }
}

/** The connection-time check: the addresses actually connected to, after whatever DNS said earlier. */
function guardedLookup(allowedRanges: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, found) => {
      if (error) return callback(error, '', 4);
      try {
        refuseSpecial(
          hostname,
          found.map((entry) => entry.address),
          allowedRanges,
        );
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, '', 4);
      }
      if (options.all) return callback(null, found as unknown as string);
      const [first] = found;
      return callback(null, first?.address ?? '', first?.family ?? 4);
    });
  };
}

export interface OutboundResponse {
  status: number;
  /** The first 2 KiB of the answer, for the delivery log. */
  body: string;
}

/** One POST to a checked URL through a guarded connection; a redirect is answered, never followed. */
export async function postGuarded(
  raw: string,
  body: string,
  headers: Record<string, string>,
  policy: OutboundPolicy,
): Promise<OutboundResponse> {
  const url = await checkOutboundUrl(raw, policy);
  const dispatcher = new Agent({
    connect: { lookup: guardedLookup(policy.allowedRanges), timeout: policy.timeoutMs },
    headersTimeout: policy.timeoutMs,
    bodyTimeout: policy.timeoutMs,
  });
  try {
    const response = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'Token-Desk-Webhooks/1', ...headers },
      dispatcher,
      signal: AbortSignal.timeout(policy.timeoutMs * 3),
    });
    const text = (await response.body.text()).slice(0, 2_048);
    return { status: response.statusCode, body: text };
  } finally {
    await dispatcher.close();
  }
}
