import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OutboxModule } from '../../src/modules/outbox/outbox.module.js';
import { OutboxService } from '../../src/modules/outbox/outbox.service.js';
import type { EventType } from '../../src/modules/outbox/outbox.types.js';
import { WebhookDispatcher } from '../../src/modules/webhooks/webhook-dispatcher.service.js';
import { WebhookEndpointsController } from '../../src/modules/webhooks/webhook-endpoints.controller.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { spawnService, waitForHttp } from '../support/spawn-service.js';
import {
  createMediumModule,
  freePort,
  OTHER_API_KEY,
  startTestApp,
  TEST_API_KEY,
  TEST_OPERATOR_KEY,
  TestApp,
  testEnv,
} from '../support/test-app.js';
import { eventually, WebhookReceiver } from '../support/webhook-receiver.js';

// Every instance on the database dispatches, so these tests use a database of their own: the instances
// they start are then the only ones sending.
const FAST = {
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_DISPATCH_INTERVAL_MS: '100',
};

interface World {
  db: PrivateDatabase;
  outboxModule: TestingModule;
  dataSource: DataSource;
  clientIds: { orders: string; other: string };
}

async function setUpWorld(): Promise<World> {
  const db = await createPrivateDatabase();
  const outboxModule = await createMediumModule([OutboxModule], { DATABASE_URL: db.url });
  return { db, outboxModule, dataSource: outboxModule.get(DataSource), clientIds: { orders: '', other: '' } };
}

async function loadClientIds(world: World): Promise<void> {
  const rows: Array<{ id: string; name: string }> = await world.dataSource.query(
    `SELECT id, name FROM api_client WHERE name IN ('orders', 'other') AND revoked_at IS NULL`,
  );
  world.clientIds.orders = rows.find((r) => r.name === 'orders')!.id;
  world.clientIds.other = rows.find((r) => r.name === 'other')!.id;
}

function paymentOf(clientId: string, status: string) {
  const id = randomUUID();
  return {
    id,
    clientId,
    orderId: `ORD-${randomUUID().slice(0, 8)}`,
    code: `VQG${randomUUID().slice(0, 6).toUpperCase()}`,
    amount: 150_000,
    amountPaid: status === 'PAID' ? 150_000 : 0,
    currency: 'VND',
    status,
    createdAt: new Date().toISOString(),
  };
}

/** Commits a payment state change's event the way payments does: in its own database transaction. */
async function appendEvent(world: World, type: EventType, clientId: string | null, status = 'PAID') {
  const outbox = world.outboxModule.get(OutboxService);
  const payment = paymentOf(clientId ?? world.clientIds.orders, status);
  return world.dataSource.transaction((manager) =>
    outbox.append(manager, { type, clientId, subjectId: payment.id, data: { payment } }),
  );
}

async function createEndpoint(app: TestApp, key: string, url: string, events?: EventType[]) {
  const res = await request(app.url)
    .post('/api/v1/webhook-endpoints')
    .set('x-api-key', key)
    .send(events ? { url, events } : { url })
    .expect(201);
  return res.body as { id: string; secret: string; url: string; events: string[] };
}

async function deleteEndpoint(app: TestApp, key: string, id: string) {
  await request(app.url).delete(`/api/v1/webhook-endpoints/${id}`).set('x-api-key', key).expect(204);
}

async function deliveriesOf(world: World, eventId: string) {
  return world.dataSource.query<
    Array<{ id: string; endpointId: string; status: string; attemptCount: number }>
  >(
    `SELECT id, endpoint_id AS "endpointId", status, attempt_count AS "attemptCount"
     FROM webhook_delivery WHERE event_id = $1`,
    [eventId],
  );
}

async function getDelivery(app: TestApp, key: string, id: string) {
  return (await request(app.url).get(`/api/v1/webhook-deliveries/${id}`).set('x-api-key', key).expect(200))
    .body;
}

async function deliveredOnce(world: World, eventId: string) {
  const rows = await deliveriesOf(world, eventId);
  return rows.length === 1 && rows[0].status === 'delivered' ? rows[0] : null;
}

describe(WebhookDispatcher.name, () => {
  let world: World;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    world = await setUpWorld();
    a = await startTestApp({ DATABASE_URL: world.db.url, ...FAST });
    b = await startTestApp({ DATABASE_URL: world.db.url, ...FAST });
    await loadClientIds(world);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await world?.outboxModule.close();
    await world?.db.drop();
  });

  it('delivers a committed event to the client endpoint, signed so the Standard Webhooks verifier accepts it', async () => {
    const receiver = await WebhookReceiver.start();
    const endpoint = await createEndpoint(a, TEST_API_KEY, receiver.url);
    try {
      const event = await appendEvent(world, 'payment.paid', world.clientIds.orders);
      const [message] = await eventually(
        'the event',
        () => receiver.withId(event.id).length > 0 && receiver.withId(event.id),
      );

      const verified = new Webhook(endpoint.secret).verify(message.body, {
        'webhook-id': message.headers['webhook-id'] as string,
        'webhook-timestamp': message.headers['webhook-timestamp'] as string,
        'webhook-signature': message.headers['webhook-signature'] as string,
      });
      expect(verified).toEqual({
        id: event.id,
        type: 'payment.paid',
        createdAt: event.createdAt,
        data: event.data,
      });
      expect(message.headers['content-type']).toBe('application/json');

      const delivery = await eventually('delivered', () => deliveredOnce(world, event.id));
      const detail = await getDelivery(a, TEST_API_KEY, delivery.id);
      expect(detail).toMatchObject({
        eventId: event.id,
        eventType: 'payment.paid',
        endpointId: endpoint.id,
        status: 'delivered',
        attemptCount: 1,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
      });
      expect(detail.attempts).toEqual([
        expect.objectContaining({ attemptNumber: 1, statusCode: 200, error: null, responseSnippet: 'ok' }),
      ]);
      expect(detail.attempts[0].latencyMs).toEqual(expect.any(Number));
    } finally {
      await deleteEndpoint(a, TEST_API_KEY, endpoint.id);
      await receiver.close();
    }
  });

  it('keeps retrying a receiver that fails its first attempts and delivers once it recovers', async () => {
    const receiver = await WebhookReceiver.start((n) =>
      n === 0 ? { status: 500, body: 'database is down' } : n === 1 ? { status: 503 } : { status: 204 },
    );
    const endpoint = await createEndpoint(a, TEST_API_KEY, receiver.url, ['payment.partially_paid']);
    try {
      const event = await appendEvent(
        world,
        'payment.partially_paid',
        world.clientIds.orders,
        'PARTIALLY_PAID',
      );
      const delivery = await eventually('delivered after retries', () => deliveredOnce(world, event.id));

      expect(receiver.withId(event.id)).toHaveLength(3);
      const detail = await getDelivery(b, TEST_API_KEY, delivery.id);
      expect(detail).toMatchObject({ status: 'delivered', attemptCount: 3, lastStatusCode: 204 });
      expect(detail.attempts.map((x: { statusCode: number }) => x.statusCode)).toEqual([500, 503, 204]);
      expect(detail.attempts[0]).toMatchObject({ error: 'HTTP 500', responseSnippet: 'database is down' });
    } finally {
      await deleteEndpoint(a, TEST_API_KEY, endpoint.id);
      await receiver.close();
    }
  });

  it('delivers each event exactly once with two instances on one database', async () => {
    const receiver = await WebhookReceiver.start();
    const endpoint = await createEndpoint(b, TEST_API_KEY, receiver.url);
    try {
      const events = [];
      for (let i = 0; i < 40; i++)
        events.push(await appendEvent(world, 'payment.paid', world.clientIds.orders));
      const ids = events.map((e) => e.id);
      await eventually(
        'all delivered',
        async () => {
          const rows: Array<{ n: number }> = await world.dataSource.query(
            `SELECT count(*)::int AS n FROM webhook_delivery WHERE event_id = ANY ($1) AND status = 'delivered'`,
            [ids],
          );
          return rows[0].n === ids.length;
        },
        30_000,
      );
      for (const id of ids) expect(receiver.withId(id)).toHaveLength(1);
      const attempts: Array<{ n: number }> = await world.dataSource.query(
        `SELECT count(*)::int AS n
         FROM webhook_attempt a JOIN webhook_delivery d ON d.id = a.delivery_id WHERE d.event_id = ANY ($1)`,
        [ids],
      );
      expect(attempts[0].n).toBe(ids.length);
    } finally {
      await deleteEndpoint(b, TEST_API_KEY, endpoint.id);
      await receiver.close();
    }
  });

  it("never sends one client's events to another client's endpoints", async () => {
    const ordersReceiver = await WebhookReceiver.start();
    const otherReceiver = await WebhookReceiver.start();
    const ordersEndpoint = await createEndpoint(a, TEST_API_KEY, ordersReceiver.url);
    const otherEndpoint = await createEndpoint(a, OTHER_API_KEY, otherReceiver.url);
    try {
      const ordersEvent = await appendEvent(world, 'payment.expired', world.clientIds.orders, 'EXPIRED');
      const otherEvent = await appendEvent(world, 'payment.expired', world.clientIds.other, 'EXPIRED');
      const ordersDelivery = await eventually('orders delivered', () => deliveredOnce(world, ordersEvent.id));
      const otherDelivery = await eventually('other delivered', () => deliveredOnce(world, otherEvent.id));

      expect(ordersDelivery.endpointId).toBe(ordersEndpoint.id);
      expect(otherDelivery.endpointId).toBe(otherEndpoint.id);
      expect(otherReceiver.withId(ordersEvent.id)).toHaveLength(0);
      expect(ordersReceiver.withId(otherEvent.id)).toHaveLength(0);

      await request(a.url)
        .get(`/api/v1/webhook-deliveries/${ordersDelivery.id}`)
        .set('x-api-key', OTHER_API_KEY)
        .expect(404)
        .expect((res) => expect(res.body.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND'));
      const otherList = await request(a.url)
        .get('/api/v1/webhook-deliveries?limit=100')
        .set('x-api-key', OTHER_API_KEY)
        .expect(200);
      expect(otherList.body.data.map((d: { eventId: string }) => d.eventId)).not.toContain(ordersEvent.id);
    } finally {
      await deleteEndpoint(a, TEST_API_KEY, ordersEndpoint.id);
      await deleteEndpoint(a, OTHER_API_KEY, otherEndpoint.id);
      await ordersReceiver.close();
      await otherReceiver.close();
    }
  });

  it('sends transaction.unmatched, which belongs to no client, only to operator endpoints that list it', async () => {
    const allEvents = await WebhookReceiver.start();
    const subscribed = await WebhookReceiver.start();
    const allEndpoint = await createEndpoint(a, TEST_API_KEY, allEvents.url);
    const unmatchedEndpoint = await createEndpoint(a, TEST_OPERATOR_KEY, subscribed.url, [
      'transaction.unmatched',
    ]);
    const refused = await request(a.url)
      .post('/api/v1/webhook-endpoints')
      .set('x-api-key', OTHER_API_KEY)
      .send({ url: allEvents.url, events: ['payment.paid', 'transaction.unmatched'] })
      .expect(400);
    expect(refused.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'events' }] },
    });
    // An order system's endpoint that lists it (registered before roles existed) still gets nothing.
    const legacy = await createEndpoint(a, OTHER_API_KEY, allEvents.url, ['payment.paid']);
    await world.dataSource.query(`UPDATE webhook_endpoint SET events = $2 WHERE id = $1`, [
      legacy.id,
      ['transaction.unmatched'],
    ]);
    try {
      const event = await appendEvent(world, 'transaction.unmatched', null);
      const delivery = await eventually('delivered', () => deliveredOnce(world, event.id));
      expect(delivery.endpointId).toBe(unmatchedEndpoint.id);
      expect(subscribed.withId(event.id)).toHaveLength(1);
      expect(allEvents.withId(event.id)).toHaveLength(0);
    } finally {
      await deleteEndpoint(a, TEST_API_KEY, allEndpoint.id);
      await deleteEndpoint(a, TEST_OPERATOR_KEY, unmatchedEndpoint.id);
      await deleteEndpoint(a, OTHER_API_KEY, legacy.id);
      await allEvents.close();
      await subscribed.close();
    }
  });

  it('marks a delivery failed when its retry window ends, lists it by status, and retries it on request', async () => {
    const receiver = await WebhookReceiver.start(() => ({ status: 502, body: 'bad gateway' }));
    const endpoint = await createEndpoint(a, TEST_API_KEY, receiver.url, ['payment.cancelled']);
    try {
      const event = await appendEvent(world, 'payment.cancelled', world.clientIds.orders, 'CANCELLED');
      const [first] = await eventually('a failed attempt', async () => {
        const rows = await deliveriesOf(world, event.id);
        return rows.length === 1 && rows[0].attemptCount >= 1 && rows;
      });
      // Stands in for 25 hours of failures: the window ends, so the next failure is the last.
      await world.dataSource.query(`UPDATE webhook_delivery SET retry_until = now() WHERE id = $1`, [
        first.id,
      ]);
      await eventually('failed', async () => (await deliveriesOf(world, event.id))[0].status === 'failed');

      const failed = await request(a.url)
        .get(`/api/v1/webhook-deliveries?status=failed&endpointId=${endpoint.id}`)
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      expect(failed.body.data).toEqual([
        expect.objectContaining({ id: first.id, status: 'failed', lastStatusCode: 502, nextAttemptAt: null }),
      ]);

      receiver.answerWith(() => ({ status: 200 }));
      const retried = await request(a.url)
        .post(`/api/v1/webhook-deliveries/${first.id}/retry`)
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      expect(['pending', 'delivering', 'delivered']).toContain(retried.body.status);
      await eventually('delivered', () => deliveredOnce(world, event.id));
      const detail = await getDelivery(a, TEST_API_KEY, first.id);
      expect(detail.attempts.at(-1)).toMatchObject({ statusCode: 200 });

      await request(a.url)
        .post(`/api/v1/webhook-deliveries/${first.id}/retry`)
        .set('x-api-key', OTHER_API_KEY)
        .expect(404);
    } finally {
      await deleteEndpoint(a, TEST_API_KEY, endpoint.id);
      await receiver.close();
    }
  });
});

describe(`${WebhookDispatcher.name} after a crash`, () => {
  let world: World;
  let survivor: TestApp | undefined;

  beforeAll(async () => {
    world = await setUpWorld();
  });
  afterAll(async () => {
    await survivor?.close();
    await world?.outboxModule.close();
    await world?.db.drop();
  });

  it('delivers, from another instance once the lease runs out, an event whose sender was killed mid-delivery', async () => {
    const receiver = await WebhookReceiver.start((n) => (n === 0 ? 'hang' : { status: 200, body: 'ok' }));
    const port = await freePort();
    const env = Object.fromEntries(
      Object.entries(testEnv({ DATABASE_URL: world.db.url, PORT: String(port), ...FAST })).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    const doomed = spawnService(env);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 20_000);
      await loadClientIds(world);
      const res = await request(`http://127.0.0.1:${port}`)
        .post('/api/v1/webhook-endpoints')
        .set('x-api-key', TEST_API_KEY)
        .send({ url: receiver.url })
        .expect(201);
      const endpoint = res.body as { id: string; secret: string };

      const event = await appendEvent(world, 'payment.paid', world.clientIds.orders);
      await eventually('the first attempt, held open', () => receiver.withId(event.id).length === 1);
      doomed.child.kill('SIGKILL');
      await doomed.exited;

      const [leased] = await deliveriesOf(world, event.id);
      expect(leased).toMatchObject({ status: 'delivering', attemptCount: 1 });

      survivor = await startTestApp({ DATABASE_URL: world.db.url, ...FAST });
      const delivered = await eventually('delivered by the survivor', () => deliveredOnce(world, event.id));
      expect(delivered.attemptCount).toBe(2);
      const messages = receiver.withId(event.id);
      expect(messages).toHaveLength(2);
      expect(() =>
        new Webhook(endpoint.secret).verify(messages[1].body, {
          'webhook-id': messages[1].headers['webhook-id'] as string,
          'webhook-timestamp': messages[1].headers['webhook-timestamp'] as string,
          'webhook-signature': messages[1].headers['webhook-signature'] as string,
        }),
      ).not.toThrow();
      const detail = await getDelivery(survivor, TEST_API_KEY, delivered.id);
      expect(detail.attempts).toEqual([
        expect.objectContaining({ attemptNumber: 1, finishedAt: null, statusCode: null }),
        expect.objectContaining({ attemptNumber: 2, statusCode: 200 }),
      ]);
    } finally {
      if (doomed.child.exitCode === null && doomed.child.signalCode === null) doomed.child.kill('SIGKILL');
      await receiver.close();
    }
  });
});

describe(WebhookEndpointsController.name, () => {
  let world: World;
  let app: TestApp;

  beforeAll(async () => {
    world = await setUpWorld();
    app = await startTestApp({ DATABASE_URL: world.db.url, ...FAST });
  });
  afterAll(async () => {
    await app?.close();
    await world?.outboxModule.close();
    await world?.db.drop();
  });

  const api = (method: 'get' | 'post' | 'delete', path: string, key = TEST_API_KEY) =>
    request(app.url)[method](`/api/v1/webhook-endpoints${path}`).set('x-api-key', key);

  it('shows the signing secret once, at creation', async () => {
    const created = await api('post', '')
      .send({ url: 'http://127.0.0.1:9/hook', events: ['payment.paid'] })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      url: 'http://127.0.0.1:9/hook',
      events: ['payment.paid'],
      createdAt: expect.any(String),
      previousSecretExpiresAt: null,
      secret: expect.stringMatching(/^whsec_/),
    });
    const fetched = await api('get', `/${created.body.id}`).expect(200);
    expect(fetched.body).not.toHaveProperty('secret');
    const listed = await api('get', '?limit=100').expect(200);
    expect(listed.body.data.find((e: { id: string }) => e.id === created.body.id)).not.toHaveProperty(
      'secret',
    );
  });

  it('refuses URLs that are not http(s) and event types it does not know', async () => {
    const refused = await api('post', '').send({ url: 'ftp://orders.example.com/hook' }).expect(400);
    expect(refused.body).toMatchObject({
      code: 'WEBHOOK_URL_REFUSED',
      message: 'url must use http or https',
    });
    const unknown = await api('post', '')
      .send({ url: 'https://orders.example.com/hook', events: ['payment.refunded'] })
      .expect(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.message).toContain('events');
  });

  it('requires an API key', async () => {
    await request(app.url).get('/api/v1/webhook-endpoints').expect(401);
  });

  it("answers 404 for another client's endpoint, whatever the route", async () => {
    const created = await api('post', '').send({ url: 'http://127.0.0.1:9/hook' }).expect(201);
    const id = created.body.id as string;
    await api('get', `/${id}`, OTHER_API_KEY).expect(404);
    await api('post', `/${id}/test`, OTHER_API_KEY).expect(404);
    await api('post', `/${id}/rotate-secret`, OTHER_API_KEY).expect(404);
    await api('delete', `/${id}`, OTHER_API_KEY).expect(404);
    await api('get', `/${id}`).expect(200);
    await api('get', '/not-a-uuid').expect(404);
  });

  it('deletes an endpoint, which then no longer exists', async () => {
    const created = await api('post', '').send({ url: 'http://127.0.0.1:9/hook' }).expect(201);
    await api('delete', `/${created.body.id}`).expect(204);
    await api('get', `/${created.body.id}`).expect(404);
    await api('delete', `/${created.body.id}`).expect(404);
    const listed = await api('get', '?limit=100').expect(200);
    expect(listed.body.data.map((e: { id: string }) => e.id)).not.toContain(created.body.id);
  });

  it('pages the list with a cursor, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await api('post', '', OTHER_API_KEY).send({ url: 'http://127.0.0.1:9/hook' }).expect(201)).body.id,
      );
    }
    const first = await api('get', '?limit=2', OTHER_API_KEY).expect(200);
    expect(first.body.data.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api('get', `?limit=2&cursor=${first.body.nextCursor}`, OTHER_API_KEY).expect(200);
    expect(second.body.data[0].id).toBe(ids[0]);
    await api('get', '?cursor=bogus', OTHER_API_KEY).expect(400);
    for (const id of ids) await api('delete', `/${id}`, OTHER_API_KEY).expect(204);
  });

  it('hands out no cursor with a full last page (no cursor to an empty page)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      ids.push(
        (await api('post', '', OTHER_API_KEY).send({ url: 'http://127.0.0.1:9/hook' }).expect(201)).body.id,
      );
    }
    const all = await api('get', '?limit=100', OTHER_API_KEY).expect(200);
    const count = all.body.data.length;
    const exact = await api('get', `?limit=${count}`, OTHER_API_KEY).expect(200);
    expect(exact.body.data).toHaveLength(count);
    expect(exact.body.nextCursor).toBeNull();
    for (const id of ids) await api('delete', `/${id}`, OTHER_API_KEY).expect(204);
  });

  it('sends a signed ping on request and answers with how the endpoint answered', async () => {
    const receiver = await WebhookReceiver.start((n) =>
      n === 0 ? { status: 200, body: 'pong' } : { status: 500, body: 'nope' },
    );
    try {
      const created = await api('post', '').send({ url: receiver.url }).expect(201);
      const ok = await api('post', `/${created.body.id}/test`).expect(200);
      expect(ok.body).toMatchObject({
        delivered: true,
        statusCode: 200,
        error: null,
        responseSnippet: 'pong',
      });
      const [ping] = receiver.received;
      expect(ping.json).toMatchObject({
        id: ok.body.messageId,
        type: 'webhook.test',
        data: { endpointId: created.body.id },
      });
      expect(() =>
        new Webhook(created.body.secret).verify(ping.body, ping.headers as Record<string, string>),
      ).not.toThrow();

      const failing = await api('post', `/${created.body.id}/test`).expect(200);
      expect(failing.body).toMatchObject({
        delivered: false,
        statusCode: 500,
        error: 'HTTP 500',
        responseSnippet: 'nope',
      });
      await api('delete', `/${created.body.id}`).expect(204);
    } finally {
      await receiver.close();
    }
  });

  it('rotates the secret: the new one is shown once and both sign during the grace period', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const created = await api('post', '').send({ url: receiver.url }).expect(201);
      const rotated = await api('post', `/${created.body.id}/rotate-secret`).expect(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(created.body.secret);
      expect(Date.parse(rotated.body.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);

      await api('post', `/${created.body.id}/test`).expect(200);
      const signedByBoth = receiver.received.at(-1)!;
      for (const secret of [created.body.secret, rotated.body.secret]) {
        expect(() =>
          new Webhook(secret).verify(signedByBoth.body, signedByBoth.headers as Record<string, string>),
        ).not.toThrow();
      }

      const immediate = await api('post', `/${created.body.id}/rotate-secret`)
        .send({ graceSeconds: 0 })
        .expect(200);
      expect(immediate.body.previousSecretExpiresAt).toBeNull();
      await api('post', `/${created.body.id}/test`).expect(200);
      const signedByNew = receiver.received.at(-1)!;
      const headers = signedByNew.headers as Record<string, string>;
      expect(() => new Webhook(immediate.body.secret).verify(signedByNew.body, headers)).not.toThrow();
      expect(() => new Webhook(rotated.body.secret).verify(signedByNew.body, headers)).toThrow();
      await api('delete', `/${created.body.id}`).expect(204);
    } finally {
      await receiver.close();
    }
  });
});
