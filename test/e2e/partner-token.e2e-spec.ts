import request from 'supertest';
import { PartnerTokenController } from '../../src/modules/vietqr-partner/partner-token.controller.js';
import { PARTNER_USERNAME, startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { basicHeader, partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

const TOKEN = '/vqr/api/token_generate';
const unauthorized = {
  error: true,
  errorReason: '020',
  toastMessage: expect.any(String),
  object: { reftransactionid: '' },
};

describe(PartnerTokenController.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VIETQR_PARTNER_TOKEN_TTL_SECONDS: '120' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('issues a Bearer token in VietQR’s fixed shape for the registered Basic credentials', async () => {
    const res = await request(t.url)
      .post(TOKEN)
      .set('Authorization', basicHeader())
      .set('Content-Type', 'application/json')
      .send('{}')
      .expect(200);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 120,
    });
    const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      aud: 'vietqr-transaction-sync',
      iss: 'vietqr-gateway',
      sub: PARTNER_USERNAME,
    });
    expect(claims.exp - claims.iat).toBe(120);
  });

  it('accepts a token request without a body, even one announcing JSON', async () => {
    await request(t.url).post(TOKEN).set('Authorization', basicHeader()).expect(200);
    await request(t.url)
      .post(TOKEN)
      .set('Authorization', basicHeader())
      .set('Content-Type', 'application/json')
      .set('Content-Length', '0')
      .expect(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong password', basicHeader(PARTNER_USERNAME, 'wrong-password')],
    ['a wrong username', basicHeader('someone', 'partner-password-for-tests-0123456')],
    ['Basic without a colon', `Basic ${Buffer.from('nocolon').toString('base64')}`],
    ['Basic that is not base64', 'Basic %%%%'],
    ['a Bearer instead of Basic', 'Bearer abc.def.ghi'],
  ])('answers 401 with WWW-Authenticate: Basic in the envelope for %s', async (_label, header) => {
    const req = request(t.url).post(TOKEN);
    if (header) void req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(res.body).toEqual(unauthorized);
  });

  it('opens transaction-sync only: the token is no API key, and an API key is no partner token', async () => {
    const token = await partnerToken(t.url);
    await request(t.url).get('/api/v1/transactions').set('X-API-Key', token).expect(401);
    await request(t.url).get('/api/v1/transactions').set('Authorization', `Bearer ${token}`).expect(401);
    await request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${TEST_API_KEY}`)
      .send(vietqrDelivery())
      .expect(401);
    await request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('X-API-Key', TEST_API_KEY)
      .send(vietqrDelivery())
      .expect(401);
  });
});

describe(`${PartnerTokenController.name} failure throttle`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VIETQR_PARTNER_TOKEN_FAILURES_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  // Issue #11: this once refused the right password too, which let anyone lock VietQR out; only failures are.
  it('answers 429 with Retry-After to further failures once an address has failed too often', async () => {
    for (let i = 0; i < 3; i++) {
      await request(t.url)
        .post(TOKEN)
        .set('Authorization', basicHeader(PARTNER_USERNAME, 'guess'))
        .expect(401);
    }
    const throttled = await request(t.url)
      .post(TOKEN)
      .set('Authorization', basicHeader(PARTNER_USERNAME, 'guess'))
      .expect(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.body).toEqual({ ...unauthorized, errorReason: '021' });
    await request(t.url).post(TOKEN).set('Authorization', basicHeader()).expect(200);
  });
});

describe('VietQR partner API under a configured prefix', () => {
  it.each([
    ['/', ''],
    ['/partner/vietqr', '/partner/vietqr'],
  ])(
    'mounts both endpoints under VIETQR_CALLBACK_PREFIX=%s, and only they answer in the envelope',
    async (setting, prefix) => {
      const t = await startTestApp({ VIETQR_CALLBACK_PREFIX: setting });
      try {
        const token = await partnerToken(t.url, prefix);
        const res = await request(t.url)
          .post(`${prefix}/bank/api/transaction-sync`)
          .set('Authorization', `Bearer ${token}`)
          .send(vietqrDelivery())
          .expect(200);
        expect(res.body.error).toBe(false);
        const bad = await request(t.url).post(`${prefix}/api/token_generate`).expect(401);
        expect(bad.body.errorReason).toBe('020');
        const api = await request(t.url).get('/api/v1/transactions').expect(401);
        expect(api.body).toMatchObject({ code: 'UNAUTHORIZED' });
        await request(t.url).post('/vqr/api/token_generate').set('Authorization', basicHeader()).expect(404);
      } finally {
        await t.close();
      }
    },
  );
});
