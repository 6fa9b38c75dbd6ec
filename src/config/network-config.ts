import { BlockList, isIP } from 'node:net';
import { EnvError } from './env-schema.js';

/** Fastify's trustProxy: nobody/everybody, a number of trusted hops, or the trusted proxies' addresses. */
export type TrustProxy = boolean | number | string[];

// proxy-addr's names for whole ranges.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** One CIDR (or a bare address, taken as a single host) parsed for a BlockList. */
interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

function parseCidr(name: string, part: string): Cidr {
  const [address, prefixText, extra] = part.split('/');
  const version = isIP(address);
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (
    version === 0 ||
    extra !== undefined ||
    (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
    prefix > max
  ) {
    throw new EnvError(`${name} must be addresses or CIDRs separated by commas, got "${part}"`);
  }
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A comma list of IPv4/IPv6 CIDRs, validated; '' gives []. */
export function parseCidrList(name: string, value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const cidr = parseCidr(name, part);
      return `${cidr.address}/${cidr.prefix}`;
    });
}

/**
 * TRUST_PROXY: off (default), true (every hop), a hop count 1-10, or a comma list of the proxies in front of
 * us (addresses, CIDRs, or loopback/linklocal/uniquelocal), kept as written.
 */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim();
  if (/^(|false|0|no|off)$/i.test(text)) return false;
  if (/^(true|yes|on)$/i.test(text)) return true;
  const refused = new EnvError(
    'TRUST_PROXY must be true, false or a hop count (1-10) or a comma-separated list of proxy IPs/CIDRs ' +
      `(or loopback, linklocal, uniquelocal), got "${text}"`,
  );
  if (/^\d+$/.test(text)) {
    if (Number(text) > 10) throw refused;
    return Number(text);
  }
  return text.split(',').map((part) => {
    const item = part.trim();
    if (PROXY_RANGE_NAMES.includes(item)) return item;
    try {
      parseCidr('TRUST_PROXY', item);
    } catch {
      throw refused;
    }
    return item;
  });
}

/** A BlockList holding the CIDRs (validated by parseCidrList); matches IPv4-mapped IPv6 as IPv4. */
export function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const text of cidrs) {
    const cidr = parseCidr('CIDR', text);
    list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list;
}

/** True when the address is in the list; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is checked as IPv4. */
export function listed(list: BlockList, address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return list.check(mapped[1], 'ipv4');
  const version = isIP(address);
  if (version === 0) return false;
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
