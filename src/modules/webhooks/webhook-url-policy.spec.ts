import {
  checkUrlShape,
  checkWebhookUrl,
  isPublicAddress,
  Resolver,
  UrlRefusedError,
} from './webhook-url-policy.js';

const production = { production: true, allowPrivateTargets: false };
const development = { production: false, allowPrivateTargets: true };
const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses;

describe('webhook URL policy', () => {
  describe(isPublicAddress.name, () => {
    it.each([
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '64:ff9b:1::a00:1',
      '::ffff:0:7f00:1',
      '::ffff:0:808:808',
      '5f00::1',
      '3fff::1',
    ])('refuses %s', (address) => {
      expect(isPublicAddress(address)).toBe(false);
    });

    it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
      'accepts %s',
      (address) => {
        expect(isPublicAddress(address)).toBe(true);
      },
    );

    it('refuses what is not an address', () => {
      expect(isPublicAddress('example.com')).toBe(false);
    });
  });

  describe(checkUrlShape.name, () => {
    it.each(['ftp://example.com/hook', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url'])(
      'refuses %s everywhere',
      (url) => {
        expect(() => checkUrlShape(url, development)).toThrow(UrlRefusedError);
      },
    );

    it('accepts plain http and loopback outside production', () => {
      expect(checkUrlShape('http://127.0.0.1:8080/hook', development).port).toBe('8080');
    });

    it('refuses plain http in production', () => {
      expect(() => checkUrlShape('http://orders.example.com/hook', production)).toThrow('url must use https');
    });

    it('allows plain http and private targets in production only when configured', () => {
      const allowed = { production: true, allowPrivateTargets: true };
      expect(checkUrlShape('http://10.0.0.5/hook', allowed).hostname).toBe('10.0.0.5');
    });

    it.each([
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://api.localhost/hook',
      'https://[::1]/hook',
      'https://[::ffff:10.0.0.1]/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://2130706433/hook',
    ])('refuses the private literal %s in production', (url) => {
      expect(() => checkUrlShape(url, production)).toThrow(/loopback or private/);
    });

    it('refuses credentials in the URL', () => {
      expect(() => checkUrlShape('https://user:pw@orders.example.com/hook', development)).toThrow(
        /credentials/,
      );
    });
  });

  describe(checkWebhookUrl.name, () => {
    it('accepts a hostname whose every address is public', async () => {
      const url = await checkWebhookUrl(
        'https://orders.example.com/hook',
        production,
        resolvesTo('93.184.216.34'),
      );
      expect(url.hostname).toBe('orders.example.com');
    });

    it('refuses a hostname with any private address among its answers', async () => {
      await expect(
        checkWebhookUrl(
          'https://orders.example.com/hook',
          production,
          resolvesTo('93.184.216.34', '10.0.0.7'),
        ),
      ).rejects.toThrow(/loopback or private/);
    });

    it('refuses a hostname that does not resolve', async () => {
      const failing: Resolver = async () => {
        throw new Error('ENOTFOUND');
      };
      await expect(checkWebhookUrl('https://nowhere.invalid/hook', production, failing)).rejects.toThrow(
        /does not resolve/,
      );
    });

    it('does not resolve anything when private targets are allowed', async () => {
      const never: Resolver = async () => {
        throw new Error('must not be called');
      };
      await expect(
        checkWebhookUrl('http://receiver.internal/hook', development, never),
      ).resolves.toBeInstanceOf(URL);
    });
  });
});
