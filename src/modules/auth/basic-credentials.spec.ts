import { CredentialsMatcher, parseBasicAuthorization } from './basic-credentials.js';

const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

describe(parseBasicAuthorization.name, () => {
  it('reads user and password, the password may contain colons', () => {
    expect(parseBasicAuthorization(basic('vietqr:pa:ss'))).toEqual({ username: 'vietqr', password: 'pa:ss' });
    expect(parseBasicAuthorization(`basic ${Buffer.from('u:p').toString('base64')}`)).toEqual({
      username: 'u',
      password: 'p',
    });
  });

  it.each([undefined, '', 'Bearer x', 'Basic', 'Basic %%%', basic('no-colon')])('refuses %p', (header) => {
    expect(parseBasicAuthorization(header)).toBeNull();
  });
});

describe(CredentialsMatcher.name, () => {
  const matcher = new CredentialsMatcher({ username: 'vietqr', password: 'secret' });

  it('matches only the exact pair', () => {
    expect(matcher.matches({ username: 'vietqr', password: 'secret' })).toBe(true);
    expect(matcher.matches({ username: 'vietqr', password: 'secret2' })).toBe(false);
    expect(matcher.matches({ username: 'VIETQR', password: 'secret' })).toBe(false);
    expect(matcher.matches({ username: '', password: '' })).toBe(false);
  });
});
