import { bankAppLinks } from '../payments/bank-app-links.js';
import { redirectUrlProblem } from '../payments/checkout-fields.js';
import type { CheckoutView } from '../payments/payment-checkout.service.js';
import { PAGE_ASSETS } from './checkout-assets.js';
import { renderCheckoutPage } from './checkout-page.js';
import { redirectUrlFor, stateOf } from './checkout.service.js';
import { esc } from './html.js';
import { formatVnd } from './money.js';

function view(overrides: Partial<CheckoutView> = {}): CheckoutView {
  const base: CheckoutView = {
    id: '0f3b68d4-7b76-4f3d-a3e0-2d9f16b7a9d1',
    orderId: 'ORD-1',
    status: 'PENDING',
    amount: 150_000,
    amountPaid: 0,
    amountDue: 150_000,
    description: null,
    expiresAt: new Date('2026-01-01T10:15:00Z'),
    qrCode: '000201',
    content: 'VQR1a2b3c4d5e PAY7K2M9Q4X1Z',
    bankCode: 'MB',
    bankAccount: '0123456789',
    accountName: 'NGUYEN VAN A',
    returnUrl: null,
    cancelUrl: null,
    locale: 'vi',
    checkoutUrl: 'https://pay.example.com/pay/tok',
    deeplinks: [],
  };
  return { ...base, ...overrides };
}

describe('formatVnd', () => {
  it.each([
    [150_000, 'vi', '150.000\u00a0₫'],
    [1_234_567_890, 'vi', '1.234.567.890\u00a0₫'],
    [999, 'vi', '999\u00a0₫'],
    [0, 'vi', '0\u00a0₫'],
    [150_000, 'en', '150,000\u00a0₫'],
  ] as const)('formats %d in %s as %j', (amount, locale, text) => {
    expect(formatVnd(amount, locale)).toBe(text);
  });
});

describe('esc', () => {
  it('escapes everything that could leave a text node or a quoted attribute', () => {
    expect(esc(`<img src=x onerror="a('b')">&\``)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;&#96;',
    );
  });
});

describe('redirectUrlProblem', () => {
  it('accepts http(s) outside production and only https in production', () => {
    expect(redirectUrlProblem('http://shop.example.com/x', false)).toBeNull();
    expect(redirectUrlProblem('https://shop.example.com/x', true)).toBeNull();
    expect(redirectUrlProblem('http://shop.example.com/x', true)).toBe('must use https in production');
    expect(redirectUrlProblem('data:text/html,hi', false)).toBe('must use http or https');
    expect(redirectUrlProblem('/relative', false)).toBe('must be an absolute URL');
  });
});

describe('redirectUrlFor', () => {
  const p = {
    id: 'pid',
    orderId: 'O 1&2',
    amount: 1,
    expiresAt: new Date(),
    returnUrl: 'https://s.example/ok?a=1#top',
    cancelUrl: 'https://s.example/c',
  };
  it('adds the order coordinates to returnUrl once paid and to cancelUrl once closed', () => {
    expect(redirectUrlFor(p, 'PAID')).toBe(
      'https://s.example/ok?a=1&paymentId=pid&orderId=O+1%262&status=PAID#top',
    );
    expect(redirectUrlFor(p, 'OVERPAID')).toContain('status=OVERPAID');
    expect(redirectUrlFor(p, 'EXPIRED')).toBe(
      'https://s.example/c?paymentId=pid&orderId=O+1%262&status=EXPIRED',
    );
    expect(redirectUrlFor(p, 'CANCELLED', true)).toContain('&cancel=true');
    expect(redirectUrlFor(p, 'PENDING')).toBeNull();
    expect(redirectUrlFor({ ...p, returnUrl: null }, 'PAID')).toBeNull();
  });
});

describe('bankAppLinks', () => {
  it('builds VietQR.io links with a literal @ and the content encoded', () => {
    const [link] = bankAppLinks({
      bankCode: 'MB',
      bankAccount: '0123456789',
      amount: 50_000,
      content: 'VQR1a2b PAY7K&x',
      returnUrl: 'https://pay.example.com/pay/tok',
    });
    expect(link.url).toBe(
      'https://dl.vietqr.io/pay?app=mb&ba=0123456789@mb&am=50000&tn=VQR1a2b%20PAY7K%26x&url=https%3A%2F%2Fpay.example.com%2Fpay%2Ftok',
    );
  });
});

describe('renderCheckoutPage', () => {
  const render = (v: CheckoutView) =>
    renderCheckoutPage({
      view: v,
      state: stateOf(v, v.status, v.amountPaid),
      locale: 'vi',
      merchantName: 'Shop "<Hoa>"',
      qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
      nonce: 'n0nce',
      assets: PAGE_ASSETS,
      frameAncestors: [],
      now: new Date('2026-01-01T10:00:00Z'),
    });

  it('escapes what the merchant and the order system wrote', () => {
    const html = render(view({ description: '</p><script>alert(1)</script>' }));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Shop &quot;&lt;Hoa&gt;&quot;');
  });

  it('shows a countdown, and the cancel link only for a PENDING payment with cancelUrl', () => {
    expect(render(view())).toContain('>15:00</time>');
    expect(render(view())).not.toContain('/cancel');
    expect(render(view({ cancelUrl: 'https://s.example/c' }))).toContain('href="/pay/tok/cancel?lang=vi"');
    const partial = view({
      cancelUrl: 'https://s.example/c',
      status: 'PARTIALLY_PAID',
      amountPaid: 1,
      amountDue: 149_999,
    });
    expect(render(partial)).not.toContain('/pay/tok/cancel');
  });

  it('shows no QR and no bank details once final, and redirects by meta refresh when told where', () => {
    const html = render(
      view({ status: 'PAID', amountPaid: 150_000, amountDue: 0, returnUrl: 'https://s.example/ok' }),
    );
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('0123456789');
    expect(html).toContain('Thanh toán thành công');
    expect(html).toContain('<meta http-equiv="refresh" content="3;url=https://s.example/ok?paymentId=');
  });
});
