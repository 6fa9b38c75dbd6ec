import { jest } from '@jest/globals';
import { loadConfig } from '../../config/app-config.js';
import { createPartnerJwt, PartnerTokenService } from './partner-token.service.js';

describe(PartnerTokenService.name, () => {
  const config = loadConfig({ VIETQR_PARTNER_TOKEN_TTL_SECONDS: '60' });
  const service = () => new PartnerTokenService(createPartnerJwt(config), config);

  afterEach(() => jest.useRealTimers());

  it('keeps refusing a token it accepted once its expiry has passed', () => {
    jest.useFakeTimers({ now: new Date('2026-12-03T08:00:00Z') });
    const tokens = service();
    const token = tokens.issue().access_token;
    expect(tokens.isValid(token)).toBe(true);
    jest.setSystemTime(new Date('2026-12-03T08:00:59Z'));
    expect(tokens.isValid(token)).toBe(true);
    jest.setSystemTime(new Date('2026-12-03T08:01:00Z'));
    expect(tokens.isValid(token)).toBe(false);
    expect(tokens.isValid(token)).toBe(false);
  });

  it('refuses a token with another signature, however often the genuine one was accepted', () => {
    const tokens = service();
    const token = tokens.issue().access_token;
    expect(tokens.isValid(token)).toBe(true);
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(tokens.isValid(forged)).toBe(false);
    expect(tokens.isValid(`${header}.${payload}.`)).toBe(false);
    expect(tokens.isValid(token)).toBe(true);
  });

  it('still accepts the newest tokens after many others were seen', () => {
    jest.useFakeTimers({ now: new Date('2026-12-03T08:00:00Z') });
    const tokens = service();
    const issued = Array.from({ length: 20 }, (_, i) => {
      jest.setSystemTime(new Date(Date.parse('2026-12-03T08:00:00Z') + i * 1000));
      return tokens.issue().access_token;
    });
    for (const token of issued) expect(tokens.isValid(token)).toBe(true);
    for (const token of issued) expect(tokens.isValid(token)).toBe(true);
  });
});
