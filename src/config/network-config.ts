import { BlockList, isIP } from 'node:net';
import { EnvError } from './env-schema.js';

/** Fastify's trustProxy: off, a number of trusted hops, or the addresses (CIDRs) of trusted proxies. */
export type TrustProxy = false | number | string[];

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

/** TRUST_PROXY: off (default), a hop count 1-10, or a CIDR list of the proxies in front of us. */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim().toLowerCase();
  if (['', '0', 'false', 'off', 'no'].includes(text)) return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new EnvError('TRUST_PROXY must be a hop count between 0 and 10 or a CIDR list');
    return hops;
  }
  return parseCidrList('TRUST_PROXY', value);
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
