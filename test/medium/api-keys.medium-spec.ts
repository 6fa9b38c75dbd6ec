import type { TestingModule } from '@nestjs/testing';
import { AuthModule } from '../../src/modules/auth/auth.module.js';
import { ApiClientsRepository } from '../../src/modules/auth/api-keys/api-clients.repository.js';
import { ApiKeysService } from '../../src/modules/auth/api-keys/api-keys.service.js';
import { hashApiKey } from '../../src/modules/auth/api-keys/api-key.js';
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

  describe('seeding from config', () => {
    // Two instances starting at once on a fresh database seed the same keys: neither may fail to start.
    it('seeds the same new key from several connections at once, as instances booting together do', async () => {
      const clients = moduleRef.get(ApiClientsRepository);
      for (let round = 0; round < 100; round++) {
        const name = `seeded-${Date.now()}-${round}`;
        const key = `${name}-key-0123456789abcdef0123456789`;
        const rows = await Promise.all(
          Array.from({ length: 4 }, () =>
            clients.upsertSeeded(name, hashApiKey(key), 'cdef', 'order_system'),
          ),
        );
        expect(new Set(rows.map((row) => row.id)).size).toBe(1);
      }
    });

    it('refuses, with a message naming it, a seeded key already held by another client', async () => {
      const clients = moduleRef.get(ApiClientsRepository);
      const key = `held-${Date.now()}-key-0123456789abcdef0123456789`;
      await clients.upsertSeeded(`holder-${Date.now()}`, hashApiKey(key), 'cdef', 'order_system');
      await expect(
        clients.upsertSeeded(`other-${Date.now()}`, hashApiKey(key), 'cdef', 'order_system'),
      ).rejects.toThrow(/in use by another client/);
    });
  });
});
