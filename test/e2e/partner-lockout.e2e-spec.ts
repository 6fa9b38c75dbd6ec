import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { PartnerBasicGuard } from '../../src/modules/vietqr-partner/partner-basic.guard.js';
import { startTestApp, testEnv, TestApp } from '../support/test-app.js';
import { basicHeader, partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

const TOKEN = '/vqr/api/token_generate';
const SYNC = '/vqr/bank/api/transaction-sync';
const WRONG = basicHeader(undefined, 'not-the-partner-password');
const envelope = (errorReason: string) => ({
  error: true,
  errorReason,
  toastMessage: expect.any(String),
  object: { reftransactionid: '' },
});

function tokenAttempt(t: TestApp, authorization: string, forwardedFor?: string): request.Test {
  const req = request(t.url).post(TOKEN).set('Authorization', authorization);
  if (forwardedFor) void req.set('X-Forwarded-For', forwardedFor);
  return req;
}

describe(`${PartnerBasicGuard.name}: VietQR is never locked out`, () => {
  describe('without a proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('gives the correct credentials their token after 40 failures from the same address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i += 1) statuses.push((await tokenAttempt(t, WRONG)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual(Array(30).fill(429));
      const res = await tokenAttempt(t, basicHeader()).expect(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
      // Failures stay throttled after the success.
      expect((await tokenAttempt(t, WRONG)).status).toBe(429);
    });

    it('refuses a well-signed partner token without exp (401 in the envelope)', async () => {
      const env = testEnv();
      const forged = new JwtService({ secret: env.VIETQR_PARTNER_TOKEN_SECRET }).sign(
        {},
        {
          audience: 'vietqr-transaction-sync',
          issuer: 'vietqr-gateway',
          subject: env.VIETQR_PARTNER_USERNAME,
        },
      );
      expect(JSON.parse(Buffer.from(forged.split('.')[1], 'base64url').toString()).exp).toBeUndefined();
      const res = await request(t.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${forged}`)
        .send(vietqrDelivery())
        .expect(401);
      expect(res.body).toEqual(envelope('020'));
      // The same delivery with a real token passes the guard.
      await request(t.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${await partnerToken(t.url)}`)
        .send(vietqrDelivery())
        .expect(200);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY=127.0.0.1)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ TRUST_PROXY: '127.0.0.1' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('throttles each forwarded client alone; a spray from many addresses forgets nobody at once', async () => {
      const victim = '198.51.100.7';
      for (let i = 0; i < 10; i += 1) expect((await tokenAttempt(t, WRONG, victim)).status).toBe(401);
      expect((await tokenAttempt(t, WRONG, victim)).status).toBe(429);
      const spray: number[] = [];
      for (let i = 0; i < 300; i += 1) {
        spray.push((await tokenAttempt(t, WRONG, `203.0.${Math.floor(i / 250)}.${i % 250}`)).status);
      }
      expect(spray).toEqual(Array(300).fill(401));
      expect((await tokenAttempt(t, WRONG, victim)).status).toBe(429);
      await tokenAttempt(t, basicHeader(), victim).expect(200);
    });
  });

  describe('behind TRUST_PROXY that does not include the caller (10.0.0.0/8)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ TRUST_PROXY: '10.0.0.0/8' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('ignores a spoofed X-Forwarded-For from the untrusted hop, and correct credentials still pass', async () => {
      // Each failure claims another address; all count against the real peer.
      for (let i = 0; i < 10; i += 1) {
        expect((await tokenAttempt(t, WRONG, `192.0.2.${i + 1}`)).status).toBe(401);
      }
      expect((await tokenAttempt(t, WRONG, '192.0.2.200')).status).toBe(429);
      await tokenAttempt(t, basicHeader(), '192.0.2.201').expect(200);
    });
  });

  describe('VIETQR_PARTNER_ALLOWED_IPS', () => {
    let outside: TestApp;
    let inside: TestApp;
    beforeAll(async () => {
      outside = await startTestApp({
        VIETQR_PARTNER_ALLOWED_IPS: '192.0.2.0/24, 2001:db8::/32',
        TRUST_PROXY: '127.0.0.1/32',
      });
      inside = await startTestApp({ VIETQR_PARTNER_ALLOWED_IPS: '::1/128, 127.0.0.0/8' });
    });
    afterAll(async () => {
      await outside.close();
      await inside.close();
    });

    it('refuses other addresses with 403 in the envelope on both partner endpoints', async () => {
      const token = await partnerToken(inside.url);
      const tokenRes = await tokenAttempt(outside, basicHeader()).expect(403);
      expect(tokenRes.body).toEqual(envelope('020'));
      const syncRes = await request(outside.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${token}`)
        .send(vietqrDelivery())
        .expect(403);
      expect(syncRes.body).toEqual(envelope('020'));
      await tokenAttempt(outside, basicHeader(), '198.51.100.1').expect(403);
    });

    it('lets an allowed address through on both endpoints (directly, or forwarded by a trusted proxy)', async () => {
      await tokenAttempt(inside, basicHeader()).expect(200);
      await request(inside.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${await partnerToken(inside.url)}`)
        .send(vietqrDelivery())
        .expect(200);
      const viaProxy = (await tokenAttempt(outside, basicHeader(), '192.0.2.9').expect(200)).body;
      await request(outside.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${viaProxy.access_token}`)
        .set('X-Forwarded-For', '2001:db8::5')
        .send(vietqrDelivery())
        .expect(200);
    });
  });
});
