import { loadConfig } from './app-config.js';
import { blockListOf, listed, parseTrustProxy } from './network-config.js';

const base = { NODE_ENV: 'test' };
const problemOf = (env: Record<string, string>): string => {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('TRUST_PROXY and VIETQR_PARTNER_ALLOWED_IPS', () => {
  it('reads TRUST_PROXY as off, a hop count or a CIDR list', () => {
    expect(loadConfig(base).http.trustProxy).toBe(false);
    expect(parseTrustProxy('off')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, ::1')).toEqual(['loopback', '::1']);
    expect(parseTrustProxy('10.0.0.0/8, fd00::/8,127.0.0.1')).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
      '127.0.0.1',
    ]);
  });

  it.each([
    [
      'TRUST_PROXY',
      'proxy.example.com',
      'TRUST_PROXY must be true, false or a hop count (1-10) or a comma-separated list of proxy IPs/CIDRs',
    ],
    ['TRUST_PROXY', '11', 'TRUST_PROXY must be true, false or a hop count (1-10)'],
    ['TRUST_PROXY', '10.0.0.0/40', 'got "10.0.0.0/40"'],
    [
      'VIETQR_PARTNER_ALLOWED_IPS',
      '10.0.0.0/33',
      'VIETQR_PARTNER_ALLOWED_IPS must be addresses or CIDRs separated by commas, got "10.0.0.0/33"',
    ],
    ['VIETQR_PARTNER_ALLOWED_IPS', '2001:db8::/129', 'got "2001:db8::/129"'],
  ])('refuses %s=%s in one line naming it', (name, value, message) => {
    const problem = problemOf({ [name]: value });
    expect(problem).toMatch(/^Invalid configuration: /);
    expect(problem).toContain(message);
    expect(problem).not.toContain('\n');
  });

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 addresses against the list', () => {
    const list = blockListOf(
      loadConfig({ ...base, VIETQR_PARTNER_ALLOWED_IPS: '192.0.2.0/24,2001:db8::/32' }).partner.allowedIps,
    );
    expect(listed(list, '192.0.2.77')).toBe(true);
    expect(listed(list, '::ffff:192.0.2.77')).toBe(true);
    expect(listed(list, '2001:db8:1::5')).toBe(true);
    expect(listed(list, '192.0.3.1')).toBe(false);
    expect(listed(list, '2001:db9::1')).toBe(false);
    expect(listed(list, 'not-an-address')).toBe(false);
  });
});
