import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiKeyGuard } from '../../src/modules/auth/api-keys/api-key.guard.js';
import { createPayment } from '../support/payments.js';
import {
  OTHER_API_KEY,
  startTestApp,
  TEST_API_KEY,
  TEST_OPERATOR_KEY,
  TestApp,
} from '../support/test-app.js';

const run = promisify(execFile);

describe(ApiKeyGuard.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('operator keys (OPERATOR_KEYS)', () => {
    it('cannot create, list or cancel payments: 403 FORBIDDEN in the API error body', async () => {
      const created = await request(t.url)
        .post('/api/v1/payments')
        .set('x-api-key', TEST_OPERATOR_KEY)
        .send({ orderId: 'operator-order', amount: 10_000 })
        .expect(403);
      expect(created.body).toEqual({
        code: 'FORBIDDEN',
        message: expect.stringContaining('order-system key'),
        requestId: expect.any(String),
        details: { role: 'operator', allowedRoles: ['order_system'] },
      });
      await request(t.url).get('/api/v1/payments').set('x-api-key', TEST_OPERATOR_KEY).expect(403);
      const payment = await createPayment(t);
      const cancel = await request(t.url)
        .post(`/api/v1/payments/${payment.id}/cancel`)
        .set('x-api-key', TEST_OPERATOR_KEY)
        .expect(403);
      expect(cancel.body.code).toBe('FORBIDDEN');
      const after = await request(t.url)
        .get(`/api/v1/payments/${payment.id}`)
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      expect(after.body.status).toBe('PENDING');
    });

    it("reads any client's payment, while an order system reads only its own", async () => {
      const theirs = await createPayment(t, {}, OTHER_API_KEY);
      const seen = await request(t.url)
        .get(`/api/v1/payments/${theirs.id}`)
        .set('x-api-key', TEST_OPERATOR_KEY)
        .expect(200);
      expect(seen.body).toMatchObject({ id: theirs.id, orderId: theirs.orderId, status: 'PENDING' });
      const stranger = await request(t.url)
        .get(`/api/v1/payments/${theirs.id}`)
        .set('x-api-key', TEST_API_KEY)
        .expect(404);
      expect(stranger.body.code).toBe('PAYMENT_NOT_FOUND');
    });

    it('still answers 401 for a missing or unknown key before any role check', async () => {
      await request(t.url).get('/api/v1/transactions').expect(401);
      const res = await request(t.url)
        .get('/api/v1/transactions')
        .set('x-api-key', 'not-a-key-of-ours-at-all-000000')
        .expect(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('Swagger', () => {
    it('shows which role each route needs, and its 403', async () => {
      const doc = (await request(t.url).get('/docs-json').expect(200)).body;
      const roles = (path: string, method: string) => doc.paths[path][method]['x-api-key-roles'];
      expect(roles('/api/v1/transactions', 'get')).toEqual(['operator']);
      expect(roles('/api/v1/transactions/{id}/link', 'post')).toEqual(['operator']);
      expect(roles('/api/v1/payments', 'post')).toEqual(['order_system']);
      expect(roles('/api/v1/payments/{id}', 'get')).toEqual(['order_system', 'operator']);
      expect(roles('/api/v1/webhook-endpoints', 'post')).toEqual(['order_system', 'operator']);
      expect(doc.paths['/api/v1/transactions'].get.responses['403'].description).toContain('operator');
      expect(doc.paths['/api/v1/payments'].post.security).toEqual([{ 'api-key': [] }]);
    });
  });

  describe('CLI', () => {
    const cli = (...args: string[]) =>
      run(process.execPath, ['dist/src/cli.js', ...args], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.config.database.url! },
      });

    it('creates an operator key with --role operator that opens the review queue, and lists the role', async () => {
      const name = `cli-op-${Date.now()}`;
      const created = await cli('api-keys', 'create', name, '--role', 'operator');
      expect(created.stdout).toContain(`operator API key for "${name}"`);
      const key = created.stdout.trim().split('\n').at(-1)!;
      await request(t.url).get('/api/v1/transactions').set('x-api-key', key).expect(200);
      await request(t.url).post('/api/v1/payments').set('x-api-key', key).send({}).expect(403);

      const plain = await cli('api-keys', 'create', `${name}-orders`);
      const orderKey = plain.stdout.trim().split('\n').at(-1)!;
      await request(t.url).get('/api/v1/transactions').set('x-api-key', orderKey).expect(403);

      const listed = (await cli('api-keys', 'list')).stdout.split('\n');
      const line = listed.find((l) => l.startsWith(`${name}\t`))!;
      expect(line.split('\t').slice(0, 3)).toEqual([name, 'operator', `${key.slice(4, 8)}…`]);
      expect(listed.find((l) => l.startsWith(`${name}-orders\t`))).toContain('\torder_system\t');
      // No more than a 4-character hint of a key is kept in clear (also for keys seeded from config).
      const hints = await t.app
        .get(DataSource)
        .query(
          `SELECT name, key_prefix AS hint FROM api_client WHERE name IN ($1, $2, 'orders', 'ops') AND revoked_at IS NULL`,
          [name, `${name}-orders`],
        );
      expect(hints).toHaveLength(4);
      for (const { hint } of hints) expect(hint.length).toBeLessThanOrEqual(4);
      await cli('api-keys', 'revoke', name);
      await cli('api-keys', 'revoke', `${name}-orders`);
    });

    it('refuses an unknown role', async () => {
      await expect(cli('api-keys', 'create', 'x', '--role', 'admin')).rejects.toMatchObject({ code: 2 });
    });
  });
});
