import type { TestingModule } from '@nestjs/testing';
import { AuthModule } from '../../src/modules/auth/auth.module.js';
import { ApiKeysService } from '../../src/modules/auth/api-keys/api-keys.service.js';
import { createMediumModule, TEST_API_KEY } from '../support/test-app.js';

describe(ApiKeysService.name, () => {
  let moduleRef: TestingModule;
  let apiKeys: ApiKeysService;

  beforeAll(async () => {
    moduleRef = await createMediumModule([AuthModule]);
    apiKeys = moduleRef.get(ApiKeysService);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  describe('authenticate', () => {
    it('knows the keys seeded from API_KEYS', async () => {
      expect(await apiKeys.authenticate(TEST_API_KEY)).toMatchObject({ name: 'orders' });
    });

    it('rejects an unknown key', async () => {
      expect(await apiKeys.authenticate('not-a-key-of-ours-0000000000')).toBeNull();
    });
  });

  describe('create and revoke', () => {
    it('issues a key that authenticates until it is revoked', async () => {
      const name = `medium-${Date.now()}`;
      const { client, key } = await apiKeys.create(name);
      expect(await apiKeys.authenticate(key)).toEqual(client);
      await expect(apiKeys.create(name)).rejects.toThrow(/revoke it first/);
      expect(await apiKeys.revoke(name)).toBe(true);
      expect(await apiKeys.authenticate(key)).toBeNull();
      expect(await apiKeys.revoke(name)).toBe(false);
    });
  });
});
