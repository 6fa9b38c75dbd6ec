import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { ApiClient, ApiRole } from './api-client.js';
import { ApiClientRow, ApiClientsRepository } from './api-clients.repository.js';
import { generateApiKey, hashApiKey, keyHint } from './api-key.js';

// Authenticated keys are remembered briefly so the hot paths skip a query; a revoked key stops working
// within this window on every instance.
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

const toClient = (row: ApiClientRow): ApiClient => ({ id: row.id, name: row.name, role: row.role });

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly cache = new Map<string, { client: ApiClient | null; until: number }>();

  constructor(
    private readonly clients: ApiClientsRepository,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seeds: Array<[string, Array<{ name: string; key: string }>, ApiRole]> = [
      ['API_KEYS', this.config.payments.seedApiKeys, 'order_system'],
      ['OPERATOR_KEYS', this.config.payments.seedOperatorKeys ?? [], 'operator'],
    ];
    for (const [variable, keys, role] of seeds) {
      for (const { name, key } of keys) {
        await this.clients.upsertSeeded(name, hashApiKey(key), keyHint(key), role);
      }
      if (keys.length > 0) {
        this.logger.log(`${role} keys seeded from ${variable}: ${keys.map((k) => k.name).join(', ')}`);
      }
    }
  }

  async authenticate(key: string): Promise<ApiClient | null> {
    const hash = hashApiKey(key);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.client;
    const row = await this.clients.findActiveByKeyHash(hash);
    const client = row ? toClient(row) : null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { client, until: now + CACHE_TTL_MS });
    return client;
  }

  /** Creates a client and returns its key: the only time the plain key exists. */
  async create(name: string, role: ApiRole = 'order_system'): Promise<{ client: ApiClient; key: string }> {
    const key = generateApiKey();
    const { client, created } = await this.clients.insertIfAbsent(name, hashApiKey(key), keyHint(key), role);
    if (!created) throw new Error(`an active API key named "${name}" exists; revoke it first`);
    return { client: toClient(client), key };
  }

  async revoke(name: string): Promise<boolean> {
    this.cache.clear();
    return this.clients.revokeByName(name);
  }
}
