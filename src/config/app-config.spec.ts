import { ConfigValidationError, loadConfig } from './app-config.js';

const SECRET = 'a-production-secret-of-at-least-32-characters';
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://gateway@db:5432/gateway',
  VIETQR_API_URL: 'https://api.vietqr.org/vqr',
  SANDBOX_ENABLED: 'false',
  VIETQR_PARTNER_PASSWORD: SECRET,
  VIETQR_PARTNER_TOKEN_SECRET: `${SECRET}-2`,
  VIETQR_API_PASSWORD: `${SECRET}-3`,
  API_KEYS: `shop:${SECRET}-4`,
  OPERATOR_KEYS: `ops:${SECRET}-5`,
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
}

describe('loadConfig', () => {
  describe('PUBLIC_BASE_URL', () => {
    it('is required in production', () => {
      expect(problems(production)).toContain('PUBLIC_BASE_URL is required in production');
    });

    it('must be https in production', () => {
      expect(problems({ ...production, PUBLIC_BASE_URL: 'http://pay.example.com' })).toContain(
        'PUBLIC_BASE_URL must use https',
      );
    });

    it('is taken as given in production when https, and defaults to localhost elsewhere', () => {
      expect(
        loadConfig({ ...production, PUBLIC_BASE_URL: 'https://pay.example.com/' }).http.publicBaseUrl,
      ).toBe('https://pay.example.com');
      expect(loadConfig({ PORT: '3100' }).http.publicBaseUrl).toBe('http://localhost:3100');
    });
  });

  describe('TRUST_PROXY', () => {
    it('trusts nobody by default, everybody with true, or the listed proxies', () => {
      expect(loadConfig({}).http.trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
      expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).http.trustProxy).toEqual([
        '10.0.0.0/8',
        '127.0.0.1',
      ]);
      expect(loadConfig({ TRUST_PROXY: 'loopback' }).http.trustProxy).toEqual(['loopback']);
    });

    it('refuses anything else, naming the variable', () => {
      expect(problems({ TRUST_PROXY: 'the-proxy' })).toContain('TRUST_PROXY must be true, false or');
    });
  });

  it('reads REQUEST_TIMEOUT_MS (30 s by default)', () => {
    expect(loadConfig({}).http.requestTimeoutMs).toBe(30_000);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '5000' }).http.requestTimeoutMs).toBe(5_000);
  });
});
