import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jsQRModule from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { DataSource } from 'typeorm';
import { payloadForAmount } from '../../src/modules/checkout/napas-amount.js';
import { launchBrowser, saveScreenshot, seriousAxeViolations } from '../support/browser.js';
import { payThroughVietqr } from '../support/checkout.js';
import { createPayment, makeDue } from '../support/payments.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { eventually } from '../support/webhook-receiver.js';

// A phone at the narrowest width the page must serve, and a desktop.
const VIEWPORTS = [
  {
    name: 'phone',
    options: {
      viewport: { width: 320, height: 640 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      userAgent:
        'Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
    },
  },
  { name: 'desktop', options: { viewport: { width: 1280, height: 900 } } },
] as const;

/** The merchant's own site: where returnUrl and cancelUrl point; /frame embeds a checkout page. */
async function startShop(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const url = new URL(req.url ?? '/', 'http://shop');
    if (url.pathname === '/frame') {
      const src = (url.searchParams.get('src') ?? '').replace(/"/g, '');
      res.end(
        `<!doctype html><html lang="en"><title>Shop checkout</title><script>window.__messages = [];` +
          `addEventListener('message', (e) => window.__messages.push({ origin: e.origin, data: e.data }));</script>` +
          `<iframe src="${src}" title="Payment" width="400" height="900"></iframe></html>`,
      );
      return;
    }
    res.end(`<!doctype html><html lang="en"><title>Shop</title><h1>Shop ${url.pathname}</h1></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Decodes the QR the page shows, from a screenshot of its element. */
async function decodeQr(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.locator('#qr').screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

// jsqr is CommonJS: under ESM its default export may arrive wrapped once more.
const jsQR = ((jsQRModule as { default?: unknown }).default ?? jsQRModule) as typeof jsQRModule.default;

const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe('checkout page in a browser', () => {
  let browser: Browser;
  let a: TestApp;
  let b: TestApp;
  let shop: { server: Server; url: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    shop = await startShop();
    a = await startTestApp({
      PAYMENT_SWEEP_INTERVAL_MS: '200',
      MERCHANT_DISPLAY_NAME: 'Cửa hàng Hoa Mai',
      CHECKOUT_FRAME_ANCESTORS: shop.url,
    });
    // The credits arrive at another instance than the one serving the page; it allows no framing.
    b = await startTestApp({ PAYMENT_SWEEP_INTERVAL_MS: '200' });
  });
  afterAll(async () => {
    await browser?.close();
    await a?.close();
    await b?.close();
    shop?.server.close();
  });

  describe('framed by the shop', () => {
    it('tells an allowed parent the status, and is refused a frame where no origin is listed', async () => {
      const context = await browser.newContext({ viewport: { width: 1024, height: 1000 } });
      try {
        const page = await context.newPage();
        const payment = await createPayment(a, { amount: 100_000 });
        await page.goto(`${shop.url}/frame?src=${encodeURIComponent(payment.checkoutUrl)}`);
        const frame = page.frameLocator('iframe');
        await frame.locator('#status', { hasText: 'Đang chờ thanh toán' }).waitFor();
        await payThroughVietqr(b.url, payment, 100_000);
        await frame.locator('#status', { hasText: 'Thanh toán thành công' }).waitFor({ timeout: 2_000 });
        const messages = await eventually(
          'the PAID message',
          async () => {
            const got = await page.evaluate<Array<{ origin: string; data: unknown }>>('window.__messages');
            return got.some((m) => (m.data as { status?: string }).status === 'PAID') && got;
          },
          2_000,
        );
        const origin = new URL(a.url).origin;
        expect(messages).toEqual([
          { origin, data: { type: 'payment_status', status: 'PENDING' } },
          { origin, data: { type: 'payment_status', status: 'PAID' } },
        ]);
        await saveScreenshot(page, 'checkout-framed-paid');

        // The same page through the instance without CHECKOUT_FRAME_ANCESTORS: the browser shows nothing.
        const other = await createPayment(b, { amount: 100_000 });
        const blocked = `${b.url}${new URL(other.checkoutUrl).pathname}`;
        await page.goto(`${shop.url}/frame?src=${encodeURIComponent(blocked)}`);
        await page.waitForTimeout(500);
        expect(await page.frameLocator('iframe').locator('#checkout').count()).toBe(0);
      } finally {
        await context.close();
      }
    });
  });

  describe.each(VIEWPORTS)('on a $name', ({ name, options }) => {
    let context: BrowserContext;
    let page: Page;
    let cspViolations: string[];

    beforeEach(async () => {
      context = await browser.newContext({ ...options, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      page = await context.newPage();
      cspViolations = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
    });
    afterEach(async () => {
      await context?.close();
    });

    it('shows amount, account, content and a QR that decodes to the payment, accessibly', async () => {
      const payment = await createPayment(a, {
        amount: 150_000,
        description: 'Đơn hàng #1024: 2 ly cà phê sữa đá',
        cancelUrl: `${shop.url}/cart`,
      });
      const res = await page.goto(payment.checkoutUrl);
      expect(res!.status()).toBe(200);
      const csp = res!.headers()['content-security-policy'];
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/script-src 'nonce-[^']+'/);

      expect(await text(page, '#due')).toMatch(/^150\.000\s₫$/);
      expect(await text(page, '#v-account')).toBe(payment.bank.bankAccount);
      expect(await text(page, '#v-content')).toBe(payment.qr.content);
      expect(await page.locator('h1').innerText()).toBe('Cửa hàng Hoa Mai');
      expect(await page.locator('#v-content').isVisible()).toBe(true);
      expect(await page.locator('#qr').isVisible()).toBe(true);
      expect(await decodeQr(page)).toBe(payment.qr.qrCode);
      // The script ran (copy buttons appear only with it) and nothing was refused by the CSP.
      expect(await page.locator('button.copy').first().isVisible()).toBe(true);
      await page.locator('#countdown', { hasText: /^\d\d:\d\d$/ }).waitFor();
      expect(cspViolations).toEqual([]);
      // Usable at 320 px: nothing wider than the screen.
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      // Bank-app links where a phone scans nothing: on the phone, not on the desktop.
      expect(await page.locator('#apps').isVisible()).toBe(name === 'phone');
      await saveScreenshot(page, `checkout-${name}-pending`);
      expect(await seriousAxeViolations(page)).toEqual([]);
    });

    it('follows a half payment and then the rest, made through another instance, without reload', async () => {
      const payment = await createPayment(a, { amount: 100_000, returnUrl: `${shop.url}/thanks` });
      await page.goto(payment.checkoutUrl);
      await page.evaluate('window.__sameDocument = true');
      expect(await decodeQr(page)).toBe(payment.qr.qrCode);

      await payThroughVietqr(b.url, payment, 50_000);
      // Locators, not waitForFunction: the page's CSP (rightly) refuses the eval that one needs.
      await page.locator('#due', { hasText: /^50\.000\s₫$/ }).waitFor({ timeout: 2_000 });
      expect(await text(page, '#status')).toContain('Đã nhận một phần');
      expect(await text(page, '#paid')).toMatch(/Đã nhận 50\.000\s₫ trên tổng 100\.000\s₫/);
      const rest = payloadForAmount(payment.qr.qrCode, 50_000);
      await eventually('the QR for the rest', async () => (await decodeQr(page)) === rest, 3_000);
      await saveScreenshot(page, `checkout-${name}-partially-paid`);

      await payThroughVietqr(b.url, payment, 50_000);
      await page.locator('#status', { hasText: /^Thanh toán thành công$/ }).waitFor({ timeout: 2_000 });
      expect(await page.evaluate('window.__sameDocument')).toBe(true);
      expect(await page.locator('#qr').isVisible()).toBe(false);
      await saveScreenshot(page, `checkout-${name}-paid`);
      await page.waitForURL(`${shop.url}/thanks?**`, { timeout: 6_000 });
      const landed = new URL(page.url());
      expect(Object.fromEntries(landed.searchParams)).toEqual({
        paymentId: payment.id,
        orderId: payment.orderId,
        status: 'PAID',
      });
      expect(cspViolations).toEqual([]);
    });

    it('cancels from the page after confirming, and lands on cancelUrl', async () => {
      const payment = await createPayment(a, { amount: 100_000, cancelUrl: `${shop.url}/cart` });
      await page.goto(payment.checkoutUrl);
      await page.getByRole('link', { name: 'Hủy thanh toán' }).click();
      await page.waitForURL('**/cancel?**');
      await saveScreenshot(page, `checkout-${name}-cancel-confirm`);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Có, hủy thanh toán' }).click();
      await page.waitForURL(`${shop.url}/cart?**`);
      expect(new URL(page.url()).searchParams.get('cancel')).toBe('true');
      expect(new URL(page.url()).searchParams.get('status')).toBe('CANCELLED');
      expect(cspViolations).toEqual([]);
    });

    it("shows an expired payment's page without QR", async () => {
      const payment = await createPayment(a, { amount: 100_000 });
      await makeDue(a.app.get(DataSource), payment.id);
      await eventually('the sweeper expired it', async () => {
        const res = await fetch(`${a.url}${new URL(payment.checkoutUrl).pathname}/status`);
        return ((await res.json()) as { status: string }).status === 'EXPIRED';
      });
      await page.goto(payment.checkoutUrl);
      expect(await text(page, '#status')).toBe('Giao dịch đã hết hạn');
      expect(await page.locator('#qr').count()).toBe(0);
      expect(await page.locator('#final-msg').isVisible()).toBe(true);
      await saveScreenshot(page, `checkout-${name}-expired`);
      expect(await seriousAxeViolations(page)).toEqual([]);
    });

    it('answers an unknown token with a 404 page, and speaks English on request', async () => {
      const res = await page.goto(`${a.url}/pay/${'x'.repeat(43)}`);
      expect(res!.status()).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('Không tìm thấy trang thanh toán');
      await saveScreenshot(page, `checkout-${name}-not-found`);

      const payment = await createPayment(a, { amount: 1_250_000, cancelUrl: `${shop.url}/cart` });
      await page.goto(`${payment.checkoutUrl}?lang=en`);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await text(page, '#due')).toMatch(/^1,250,000\s₫$/);
      await saveScreenshot(page, `checkout-${name}-english`);
      expect(await seriousAxeViolations(page)).toEqual([]);
    });
  });
});
