import { readFileSync } from 'node:fs';
import request from 'supertest';
import { httpStatusOf, type ErrorCode } from '../../src/common/errors/error-code.js';
import { createPayment } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';

interface MediaType {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<
    string,
    { value: { code: string; message: string; requestId: string; details?: unknown } }
  >;
}
interface Operation {
  parameters?: Array<{
    name: string;
    in: string;
    example?: unknown;
    examples?: unknown;
    schema?: { example?: unknown };
  }>;
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { description?: string }>;
    schemas: Record<string, { properties?: Record<string, { example?: unknown }> }>;
  };
}

describe('Swagger document', () => {
  let t: TestApp;
  let served: Document;
  let servedText: string;

  beforeAll(async () => {
    t = await startTestApp();
    const res = await request(t.url).get('/docs-json').expect(200);
    servedText = res.text;
    served = JSON.parse(res.text) as Document;
  });
  afterAll(async () => {
    await t.close();
  });

  const operations = () =>
    Object.entries(served.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );

  it('is the committed openapi.json byte for byte once formatted', () => {
    const formatted = `${JSON.stringify(JSON.parse(servedText), null, 2)}\n`;
    expect(formatted).toBe(readFileSync('openapi.json', 'utf8'));
  });

  it('lists the VietQR callbacks under the callback prefix, where they answer', async () => {
    expect(Object.keys(served.paths)).toEqual(
      expect.arrayContaining(['/vqr/api/token_generate', '/vqr/bank/api/transaction-sync']),
    );
    expect(served.paths['/api/token_generate']).toBeUndefined();
    const answer = await request(t.url).post('/vqr/api/token_generate').expect(401);
    expect(answer.body.errorReason).toBe('020');
  });

  it('shows each error response with its own code, message and details, never another code', () => {
    let checked = 0;
    for (const { route, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        const json = response.content?.['application/json'];
        if (Number(status) < 400 || !json?.schema?.$ref?.endsWith('/ErrorBodyDto')) continue;
        const examples = Object.values(json.examples ?? {});
        expect({ route, status, examples: examples.length }).toEqual({
          route,
          status,
          examples: expect.any(Number),
        });
        expect(examples.length).toBeGreaterThan(0);
        for (const { value } of examples) {
          expect({
            route,
            status,
            code: value.code,
            codeStatus: httpStatusOf(value.code as ErrorCode),
          }).toEqual({
            route,
            status,
            code: value.code,
            codeStatus: Number(status),
          });
          expect(value.message).toEqual(expect.any(String));
          expect(JSON.stringify(value.details ?? {})).not.toContain('additionalProp');
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('gives POST /api/v1/payments no fixed Idempotency-Key and says what to send', () => {
    const header = served.paths['/api/v1/payments'].post.parameters!.find(
      (p) => p.name === 'Idempotency-Key',
    )!;
    expect(header.example).toBeUndefined();
    expect(header.examples).toBeUndefined();
    expect(header.schema?.example).toBeUndefined();
    expect(JSON.stringify(header)).toMatch(/fresh value/);
    const errors = served.paths['/api/v1/payments'].post.responses;
    const conflictCodes = Object.values(errors['409'].content!['application/json'].examples!).map(
      (e) => e.value.code,
    );
    expect(conflictCodes.sort()).toEqual(['DUPLICATE_ORDER_ID', 'IDEMPOTENCY_KEY_IN_FLIGHT']);
  });

  it('makes the simulate body optional with no example amount', () => {
    const simulate = served.paths['/api/v1/payments/{id}/simulate'].post;
    expect(simulate.requestBody?.required).toBe(false);
    // What Swagger UI pre-fills: an empty object, never {"amount": 0} from the schema.
    const offered = simulate.requestBody!.content['application/json'].examples as Record<
      string,
      { value: unknown }
    >;
    expect(Object.values(offered).map((e) => e.value)).toEqual([{}]);
    const schema = served.components.schemas.SimulatePaymentDto;
    expect(schema.properties!.amount.example).toBeUndefined();
  });

  it('simulates with no body at all, as Swagger UI sends it, paying exactly what is due', async () => {
    const payment = await createPayment(t, { amount: 20_000 });
    const res = await request(t.url)
      .post(`/api/v1/payments/${payment.id}/simulate`)
      .set('x-api-key', TEST_API_KEY)
      .expect(200);
    expect(res.body.amount).toBe(20_000);
    expect(res.body.payment.status).toBe('PAID');
  });

  it('hints that only the key is sent when the whole name:key pair is pasted', async () => {
    const res = await request(t.url)
      .get('/api/v1/payments')
      .set('x-api-key', `orders:${TEST_API_KEY}`)
      .expect(401);
    expect(res.body.message).toBe('Unknown or revoked API key; send only the key, the part after "name:"');
  });

  it('says for each security scheme where its value comes from and what to paste', () => {
    const schemes = served.components.securitySchemes;
    expect(Object.keys(schemes).length).toBe(5);
    expect(schemes['api-key'].description).toMatch(/generated-secrets\.json/);
    expect(schemes['api-key'].description).toMatch(/npm run cli -- api-keys create/);
    expect(schemes['api-key'].description).toMatch(/after "name:"/);
    expect(schemes['vietqr-basic'].description).toMatch(/VIETQR_PARTNER_PASSWORD/);
    expect(schemes['vietqr-bearer'].description).toMatch(/token_generate/);
    expect(schemes['sandbox-basic'].description).toMatch(/VIETQR_API_PASSWORD/);
    expect(schemes['sandbox-bearer'].description).toMatch(/sandbox\/vqr\/api\/token_generate/);
  });
});
