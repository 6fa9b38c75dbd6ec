import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP, LookupFunction } from 'node:net';

export interface UrlPolicy {
  /** Production: https only (unless private targets are allowed too). */
  production: boolean;
  /** Allow loopback, private and link-local targets (development, tests, private networks). */
  allowPrivateTargets: boolean;
}

export class UrlRefusedError extends Error {}

export type Resolver = (hostname: string) => Promise<string[]>;

export const MAX_URL_LENGTH = 2048;

// Addresses a webhook must not reach from here: loopback, private, link-local (cloud metadata), CGNAT,
// multicast, reserved and documentation ranges, and IPv6 forms that can embed or route to them.
// Two lists: BlockList matches IPv4 against IPv6 rules through the ::ffff: mapping, which one list would block.
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blockedV4.addSubnet(net, prefix, 'ipv4');
}
// IPv6 is an allow list: only global unicast (2000::/3) less its special-purpose blocks. Everything else
// (NAT64 64:ff9b::/96 and 64:ff9b:1::/48, IPv4-translated ::ffff:0:0:0/96, ULA, link-local, ...) is refused.
const globalV6 = new BlockList();
globalV6.addSubnet('2000::', 3, 'ipv6');
for (const [net, prefix] of [
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID, ...
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds any IPv4 address
  ['3fff::', 20], // documentation (RFC 9637)
] as const) {
  blockedV6.addSubnet(net, prefix, 'ipv6');
}

function mappedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True for an address on the public internet; false for loopback, private, link-local and the like. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blockedV4.check(address, 'ipv4');
  if (family === 6) {
    const v4 = mappedIpv4(address);
    if (v4 !== null) return isPublicAddress(v4);
    return globalV6.check(address, 'ipv6') && !blockedV6.check(address, 'ipv6');
  }
  return false;
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** The checks that need no DNS: scheme, credentials, and (unless allowed) literal private addresses. */
export function checkUrlShape(raw: string, policy: UrlPolicy): URL {
  if (raw.length > MAX_URL_LENGTH)
    throw new UrlRefusedError(`url must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefusedError('url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UrlRefusedError('url must use http or https');
  }
  if (policy.production && !policy.allowPrivateTargets && url.protocol !== 'https:') {
    throw new UrlRefusedError('url must use https');
  }
  if (url.username || url.password) throw new UrlRefusedError('url must not contain credentials');
  if (url.hash) throw new UrlRefusedError('url must not contain a fragment');
  if (!policy.allowPrivateTargets) {
    const host = bareHost(url).toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost')) {
      throw new UrlRefusedError('url must not point at a loopback or private address');
    }
    if (isIP(host) !== 0 && !isPublicAddress(host)) {
      throw new UrlRefusedError('url must not point at a loopback or private address');
    }
  }
  return url;
}

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(addresses.map((a) => a.address));
    });
  });

/** Full check at registration: the shape, then every address the hostname resolves to. */
export async function checkWebhookUrl(
  raw: string,
  policy: UrlPolicy,
  resolve: Resolver = systemResolver,
): Promise<URL> {
  const url = checkUrlShape(raw, policy);
  if (policy.allowPrivateTargets) return url;
  const host = bareHost(url);
  if (isIP(host) !== 0) return url;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new UrlRefusedError(`url host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new UrlRefusedError(`url host ${host} does not resolve`);
  if (!addresses.every(isPublicAddress)) {
    throw new UrlRefusedError('url must not point at a loopback or private address');
  }
  return url;
}

/**
 * A socket `lookup` that refuses private answers, so the check holds at connect time too: a hostname that
 * resolved to a public address at registration cannot be re-pointed at an internal one (DNS rebinding).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  const all = options.all === true;
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || addresses.length === 0) {
      const denied = Object.assign(new Error(`refused: ${hostname} resolves to a private address`), {
        code: 'EWEBHOOKPRIVATE',
      });
      return callback(denied, '', 0);
    }
    if (all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
