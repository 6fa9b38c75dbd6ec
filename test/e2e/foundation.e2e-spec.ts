import request from 'supertest';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';

describe('Service foundation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers liveness and database readiness', async () => {
    await request(t.url).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(t.url).get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('echoes a given x-request-id and makes one up otherwise', async () => {
    const given = await request(t.url).get('/health/live').set('x-request-id', 'order-sys-42').expect(200);
    expect(given.headers['x-request-id']).toBe('order-sys-42');
    const made = await request(t.url).get('/health/live').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ignores an x-request-id that is not a sane token', async () => {
    const res = await request(t.url).get('/health/live').set('x-request-id', 'a b<script>').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with the coded error body and the request id', async () => {
    const res = await request(t.url).get('/no/such/route').set('x-request-id', 'rid-404').expect(404);
    expect(res.body).toEqual({
      code: 'NOT_FOUND',
      message: 'Cannot GET /no/such/route',
      requestId: 'rid-404',
    });
  });

  it('refuses a body nested deeper than 32 levels with 400 before validation can overflow the stack', async () => {
    const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    const res = await request(t.url)
      .post('/api/v1/payments')
      .set('x-api-key', TEST_API_KEY)
      .set('content-type', 'application/json')
      .send(deep)
      .expect(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_BODY', message: 'Body nests deeper than 32 levels' });
  });

  it('serves Prometheus metrics with the request-duration histogram by route and status', async () => {
    await request(t.url).get('/health/live').expect(200);
    const res = await request(t.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+/,
    );
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const ui = await request(t.url).get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
    const json = await request(t.url).get('/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.info.title).toBe('vietqr-gateway');
    expect(Object.keys(json.body.components.securitySchemes)).toEqual(
      expect.arrayContaining(['api-key', 'vietqr-basic', 'vietqr-bearer']),
    );
  });
});
