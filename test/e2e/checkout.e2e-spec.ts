import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config.js';
import { CheckoutController } from '../../src/modules/checkout/checkout.controller.js';
import { CheckoutStreams as CheckoutStreamsToken } from '../../src/modules/checkout/checkout-streams.js';
import { checkoutPath, payThroughVietqr, SseClient } from '../support/checkout.js';
import { createPayment, makeDue } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { eventually } from '../support/webhook-receiver.js';

/** One GET as a browser sends it, the body exactly as it came (no decompression). */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}

const embedded = process.env.VQG_TEST_DATABASE_EMBEDDED === '1';

function cspOf(res: request.Response): Record<string, string> {
  const csp: string = res.headers['content-security-policy'];
  return Object.fromEntries(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

// The payer's hosted checkout page over real HTTP: creation fields, the page and its headers, live status
// across two instances on one database, the payer's cancel, limits.
describe(CheckoutController.name, () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({ PAYMENT_SWEEP_INTERVAL_MS: '200', MERCHANT_DISPLAY_NAME: 'Cửa hàng Hoa Mai' });
    // A second instance on the same database: credits land there while the page is held by the first.
    b = await startTestApp({ PAYMENT_SWEEP_INTERVAL_MS: '200' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  describe('payment creation', () => {
    it('returns an absolute checkoutUrl whose token is random, long and not the id, with the new fields', async () => {
      const payment = await createPayment(a, {
        amount: 150_000,
        returnUrl: 'https://shop.example.com/thanks?x=1',
        cancelUrl: 'https://shop.example.com/cart',
        locale: 'en',
      });
      expect(payment.checkoutUrl).toMatch(new RegExp(`^${a.url}/pay/[A-Za-z0-9_-]{43}$`));
      const token = checkoutPath(payment).split('/')[2];
      expect(token).not.toContain(payment.id);
      expect(token).not.toContain(payment.id.replace(/-/g, ''));
      expect(payment).toMatchObject({
        returnUrl: 'https://shop.example.com/thanks?x=1',
        cancelUrl: 'https://shop.example.com/cart',
        locale: 'en',
      });
      const other = await createPayment(a, {});
      expect(other.locale).toBe('vi');
      expect(other.returnUrl).toBeNull();
      expect(other.checkoutUrl).not.toBe(payment.checkoutUrl);
    });

    it('lists bank-app links for the amount due, apps that pre-fill first', async () => {
      const payment = await createPayment(a, { amount: 150_000 });
      expect(payment.deeplinks.length).toBeGreaterThan(3);
      const first = payment.deeplinks[0];
      expect(first.prefills).toBe(true);
      const prefilled = payment.deeplinks.map((l: any) => l.prefills);
      expect(prefilled).toEqual([...prefilled].sort((x: boolean, y: boolean) => Number(y) - Number(x)));
      const url = new URL(first.url);
      expect(url.origin + url.pathname).toBe('https://dl.vietqr.io/pay');
      expect(url.searchParams.get('app')).toBe(first.app);
      expect(url.searchParams.get('ba')).toBe(
        `${payment.bank.bankAccount}@${payment.bank.bankCode.toLowerCase()}`,
      );
      expect(first.url).toContain(`ba=${payment.bank.bankAccount}@`);
      expect(url.searchParams.get('am')).toBe('150000');
      expect(url.searchParams.get('tn')).toBe(payment.qr.content);
      expect(url.searchParams.get('url')).toBe(payment.checkoutUrl);
    });

    it.each([
      ['returnUrl', 'a javascript: URL', 'javascript:alert(1)'],
      ['returnUrl', 'not a URL', 'not a url'],
      ['cancelUrl', 'an ftp URL', 'ftp://shop.example.com/x'],
      ['cancelUrl', 'a URL over 2048 characters', `https://shop.example.com/${'a'.repeat(2048)}`],
      ['returnUrl', 'a URL with credentials', 'https://user:pw@shop.example.com/'],
      ['locale', 'an unknown language', 'fr'],
    ])('refuses %s as %s with a 400 naming it', async (field, _what, value) => {
      const res = await request(a.url)
        .post('/api/v1/payments')
        .set('x-api-key', TEST_API_KEY)
        .send({ orderId: `o-${Date.now()}-${Math.random()}`, amount: 1000, [field]: value })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toContain(field);
    });
  });

  describe('GET /pay/:token', () => {
    it('renders the amount due, account, content and QR with strict headers, and nothing of the client', async () => {
      const payment = await createPayment(a, {
        amount: 150_000,
        description: 'Đơn hàng <b>#42</b>',
        metadata: { secretNote: 'internal-only' },
      });
      const res = await request(a.url).get(checkoutPath(payment)).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const csp = cspOf(res);
      expect(csp['default-src']).toBe("'none'");
      expect(csp['frame-ancestors']).toBe("'none'");
      const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(csp['script-src'])![1];
      expect(csp['style-src']).toBe(`'nonce-${nonce}'`);
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe|https?:|\*/);
      const html = res.text;
      // Every script and style carries the nonce; no inline handlers.
      expect(html.match(/<script\b[^>]*>/g)!.every((tag) => tag.includes(`nonce="${nonce}"`))).toBe(true);
      expect(html.match(/<style\b[^>]*>/g)!.every((tag) => tag.includes(`nonce="${nonce}"`))).toBe(true);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).toMatch(/150\.000\s₫/);
      expect(html).toContain(payment.bank.bankAccount);
      expect(html).toContain(payment.bank.accountName);
      expect(html).toContain(payment.qr.content);
      expect(html).toContain('Cửa hàng Hoa Mai');
      expect(html).toContain('<svg');
      expect(html).toContain('Đơn hàng &lt;b&gt;#42&lt;/b&gt;');
      expect(html).toContain('lang="vi"');
      expect(html).not.toContain('internal-only');
      expect(html).not.toContain('orders'); // the API client's name
      expect(html).not.toContain(payment.id);
      // A new nonce per response.
      const again = await request(a.url).get(checkoutPath(payment)).expect(200);
      expect(cspOf(again)['script-src']).not.toBe(csp['script-src']);
    });

    it("speaks English with ?lang=en or the payment's locale", async () => {
      const vi = await createPayment(a, { amount: 150_000 });
      const en = await request(a.url)
        .get(`${checkoutPath(vi)}?lang=en`)
        .expect(200);
      expect(en.text).toContain('lang="en"');
      expect(en.text).toContain('Amount to transfer');
      expect(en.text).toMatch(/150,000\s₫/);
      const own = await createPayment(a, { amount: 150_000, locale: 'en' });
      expect((await request(a.url).get(checkoutPath(own)).expect(200)).text).toContain('Amount to transfer');
      expect(
        (
          await request(a.url)
            .get(`${checkoutPath(own)}?lang=vi`)
            .expect(200)
        ).text,
      ).toContain('Số tiền cần chuyển');
    });

    it('answers a 404 page for an unknown token, the payment id, or garbage', async () => {
      const payment = await createPayment(a, {});
      for (const token of ['A'.repeat(43), payment.id, '..%2F..%2Fetc', 'x'.repeat(200)]) {
        const res = await request(a.url).get(`/pay/${token}`).expect(404);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['content-security-policy']).toContain("default-src 'none'");
        expect(res.text).toContain('Không tìm thấy trang thanh toán');
      }
      await request(a.url)
        .get(`/pay/${'A'.repeat(43)}/status`)
        .expect(404);
      await request(a.url)
        .get(`/pay/${'A'.repeat(43)}/events`)
        .expect(404);
    });

    it('serves its script under a hashed name for good, and stays under 50 KB compressed with it', async () => {
      const payment = await createPayment(a, { amount: 150_000, cancelUrl: 'https://shop.example.com/c' });
      const page = await request(a.url).get(checkoutPath(payment)).set('accept-encoding', 'gzip').expect(200);
      const src = /<script [^>]*src="([^"]+)"/.exec(page.text)![1];
      const script = await request(a.url).get(src).set('accept-encoding', 'identity').expect(200);
      expect(script.headers['cache-control']).toContain('immutable');
      expect(script.headers['content-type']).toMatch(/^text\/javascript/);
      await request(a.url).get('/pay/assets/other.js').expect(404);
      const raw = await rawGet(`${a.url}${checkoutPath(payment)}`, { 'accept-encoding': 'gzip' });
      expect(raw.headers['content-encoding']).toBe('gzip');
      const compressedHtml = raw.body.length;
      expect(gunzipSync(raw.body).toString('utf8')).toContain('<!doctype html>');
      const compressedJs = gzipSync(script.text).length;
      // Page weight, not speed: the HTML (with its inline CSS and QR) and the script, gzip-compressed.
      process.stdout.write(`checkout page weight: html ${compressedHtml} B + js ${compressedJs} B gzip\n`);
      expect(compressedHtml + compressedJs).toBeLessThan(50 * 1024);
    });
  });

  describe('GET /pay/:token/status and /events', () => {
    it('streams PAID within 2 s of a credit that landed on another instance, then ends', async () => {
      const payment = await createPayment(a, { amount: 100_000, returnUrl: 'https://shop.example.com/ok' });
      const stream = new SseClient(`${a.url}${checkoutPath(payment)}/events`);
      await stream.waitFor((s) => s.status === 'PENDING');
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['cache-control']).toBe('no-store');

      await payThroughVietqr(b.url, payment, 40_000);
      const partial = await stream.waitFor((s) => s.status === 'PARTIALLY_PAID', 2_000);
      expect(partial).toMatchObject({ amountDue: 60_000, amountPaid: 40_000, redirectUrl: null });

      const paidAt = Date.now();
      await payThroughVietqr(b.url, payment, 60_000);
      const paid = await stream.waitFor((s) => s.status === 'PAID', 2_000);
      expect(Date.now() - paidAt).toBeLessThan(2_000 + 500);
      const redirect = new URL(paid.redirectUrl);
      expect(redirect.origin + redirect.pathname).toBe('https://shop.example.com/ok');
      expect(Object.fromEntries(redirect.searchParams)).toEqual({
        paymentId: payment.id,
        orderId: payment.orderId,
        status: 'PAID',
      });
      await stream.waitForEnd();

      const status = await request(b.url)
        .get(`${checkoutPath(payment)}/status`)
        .expect(200);
      expect(status.headers['cache-control']).toBe('no-store');
      expect(status.body).toEqual({
        status: 'PAID',
        amount: 100_000,
        amountDue: 0,
        amountPaid: 100_000,
        expiresAt: payment.expiresAt,
        redirectUrl: paid.redirectUrl,
      });
    });

    it('streams EXPIRED from the sweeper and answers a final payment with one event', async () => {
      const payment = await createPayment(a, { amount: 100_000, cancelUrl: 'https://shop.example.com/c' });
      const stream = new SseClient(`${a.url}${checkoutPath(payment)}/events`);
      await stream.waitFor((s) => s.status === 'PENDING');
      await makeDue(a.app.get(DataSource), payment.id);
      const expired = await stream.waitFor((s) => s.status === 'EXPIRED', 5_000);
      expect(new URL(expired.redirectUrl).searchParams.get('status')).toBe('EXPIRED');
      await stream.waitForEnd();

      const again = new SseClient(`${b.url}${checkoutPath(payment)}/events`);
      await again.waitFor((s) => s.status === 'EXPIRED');
      await again.waitForEnd();
      // Money after the end never reopens the page.
      await payThroughVietqr(b.url, payment, 100_000);
      const status = await request(a.url)
        .get(`${checkoutPath(payment)}/status`)
        .expect(200);
      expect(status.body).toMatchObject({ status: 'EXPIRED', amountDue: 0 });
      const page = await request(a.url).get(checkoutPath(payment)).expect(200);
      expect(page.text).not.toContain('<svg');
      expect(page.text).toContain('Giao dịch đã hết hạn');
      await request(a.url)
        .get(`${checkoutPath(payment)}/qr.svg`)
        .expect(404);
    });

    it('serves the QR for what is still due after a partial payment', async () => {
      const payment = await createPayment(a, { amount: 100_000 });
      const before = await rawGet(`${a.url}${checkoutPath(payment)}/qr.svg`);
      await payThroughVietqr(a.url, payment, 30_000);
      const after = await rawGet(`${a.url}${checkoutPath(payment)}/qr.svg`);
      expect(after.status).toBe(200);
      expect(after.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(after.body.toString('utf8')).toMatch(/^<svg/);
      expect(after.body.equals(before.body)).toBe(false);
      const page = await request(a.url).get(checkoutPath(payment)).expect(200);
      expect(page.text).toMatch(/70\.000\s₫/);
      expect(page.text).toMatch(/Đã nhận 30\.000\s₫ trên tổng 100\.000\s₫/);
    });
  });

  describe('the payer cancels', () => {
    it('cancels a PENDING payment after confirmation and goes to cancelUrl with cancel=true', async () => {
      const payment = await createPayment(a, {
        amount: 100_000,
        cancelUrl: 'https://shop.example.com/cart?c=1',
      });
      const page = await request(a.url).get(checkoutPath(payment)).expect(200);
      expect(page.text).toContain(`${checkoutPath(payment)}/cancel`);
      const confirm = await request(a.url)
        .get(`${checkoutPath(payment)}/cancel`)
        .expect(200);
      expect(confirm.text).toContain('<form method="post"');
      expect(cspOf(confirm)['form-action']).toBe("'self' https://shop.example.com");
      const res = await request(a.url)
        .post(`${checkoutPath(payment)}/cancel`)
        .expect(303);
      const target = new URL(res.headers.location);
      expect(target.origin + target.pathname).toBe('https://shop.example.com/cart');
      expect(Object.fromEntries(target.searchParams)).toEqual({
        c: '1',
        paymentId: payment.id,
        orderId: payment.orderId,
        status: 'CANCELLED',
        cancel: 'true',
      });
      const detail = await request(a.url)
        .get(`/api/v1/payments/${payment.id}`)
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      expect(detail.body.status).toBe('CANCELLED');
      expect(detail.body.history.at(-1)).toMatchObject({ toStatus: 'CANCELLED', actor: 'payer' });
      // A second post changes nothing and goes back to the page.
      await request(a.url)
        .post(`${checkoutPath(payment)}/cancel`)
        .expect(303);
    });

    it('offers no cancel without cancelUrl, or once money arrived', async () => {
      const plain = await createPayment(a, { amount: 100_000 });
      expect((await request(a.url).get(checkoutPath(plain)).expect(200)).text).not.toContain('/cancel');
      const res = await request(a.url)
        .post(`${checkoutPath(plain)}/cancel`)
        .expect(303);
      expect(res.headers.location).toBe(`${checkoutPath(plain)}?lang=vi`);
      const partial = await createPayment(a, { amount: 100_000, cancelUrl: 'https://shop.example.com/c' });
      await payThroughVietqr(a.url, partial, 10_000);
      expect((await request(a.url).get(checkoutPath(partial)).expect(200)).text).not.toContain('/cancel"');
      await request(a.url)
        .post(`${checkoutPath(partial)}/cancel`)
        .expect(303);
      const status = await request(a.url)
        .get(`${checkoutPath(partial)}/status`)
        .expect(200);
      expect(status.body.status).toBe('PARTIALLY_PAID');
    });
  });

  describe('limits and embedding', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await startTestApp({
        CHECKOUT_RATE_LIMIT_PER_MINUTE: '3',
        CHECKOUT_MAX_STREAMS: '1',
        CHECKOUT_FRAME_ANCESTORS: 'https://shop.example.com,http://localhost:8080',
      });
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('answers 429 past the per-address limit of a route', async () => {
      const payment = await createPayment(limited, {});
      for (let i = 0; i < 3; i++) await request(limited.url).get(checkoutPath(payment)).expect(200);
      const res = await request(limited.url).get(checkoutPath(payment)).expect(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body.code).toBe('TOO_MANY_REQUESTS');
      // Another route has its own count.
      await request(limited.url)
        .get(`${checkoutPath(payment)}/status`)
        .expect(200);
    });

    it('bounds the open streams of an instance', async () => {
      const payment = await createPayment(limited, {});
      const first = new SseClient(`${limited.url}${checkoutPath(payment)}/events`);
      await first.waitFor((s) => s.status === 'PENDING');
      const second = await request(limited.url)
        .get(`${checkoutPath(payment)}/events`)
        .expect(503);
      expect(second.headers['retry-after']).toBe('10');
      first.close();
      await eventually('the stream slot is free', async () => {
        const res = await request(limited.url).get(`${checkoutPath(payment)}/status`);
        return res.status === 200 && limited.app.get(CheckoutStreamsToken).size === 0;
      });
    });

    it('lets only the listed origins frame the page', async () => {
      const payment = await createPayment(limited, {});
      const res = await request(limited.url)
        .get(`${checkoutPath(payment)}/status`)
        .expect(200);
      expect(cspOf(res)['frame-ancestors']).toBe('https://shop.example.com http://localhost:8080');
      expect(res.headers['x-frame-options']).toBeUndefined();
    });
  });

  (embedded ? describe.skip : describe)('the credit path (real PostgreSQL)', () => {
    it("commits a credit without notifying anyone, and the page still sees it by its instance's next read", async () => {
      // A notifying transaction takes PostgreSQL's global notify lock through its commit: credits must not.
      const listener = new pg.Client({ connectionString: a.app.get(AppConfig).database.url });
      const heard: string[] = [];
      await listener.connect();
      try {
        await listener.query('LISTEN payment_change');
        listener.on('notification', (n) => heard.push(n.channel));
        const payment = await createPayment(a, { amount: 100_000 });
        const stream = new SseClient(`${a.url}${checkoutPath(payment)}/events`);
        await stream.waitFor((s) => s.status === 'PENDING');
        await payThroughVietqr(b.url, payment, 100_000);
        await stream.waitFor((s) => s.status === 'PAID', 3_000);
        await listener.query('SELECT 1'); // any notification committed before now has been delivered
        expect(heard).toEqual([]);
      } finally {
        await listener.end();
      }
    });
  });
});
