import { Injectable } from '@nestjs/common';
import type { CheckoutLocale } from '../payments/checkout-fields.js';
import { CHECKOUT_LOCALES } from '../payments/checkout-fields.js';
import {
  type CheckoutView,
  PaymentCheckoutService,
  type PayerCancelResult,
} from '../payments/payment-checkout.service.js';
import { renderQrImage } from '../payments/payment-qr-images.service.js';
import type { PaymentStatus } from '../payments/payment-status.js';
import type { CheckoutStateDto } from './checkout-state.dto.js';
import { payloadForAmount } from './napas-amount.js';

// Rendered QR images are kept, bounded: a payload and an amount always give the same picture.
const QR_CACHE_MAX = 500;

/** What stays the same for a payment while the page follows it. */
export interface WatchedPayment {
  id: string;
  orderId: string;
  amount: number;
  expiresAt: Date;
  returnUrl: string | null;
  cancelUrl: string | null;
}

export function isFinal(status: PaymentStatus): boolean {
  return status !== 'PENDING' && status !== 'PARTIALLY_PAID';
}

/** The URL the payer is sent to in this state, with the order's coordinates added to its query. */
export function redirectUrlFor(p: WatchedPayment, status: PaymentStatus, cancelled = false): string | null {
  const base =
    status === 'PAID' || status === 'OVERPAID'
      ? p.returnUrl
      : status === 'EXPIRED' || status === 'CANCELLED'
        ? p.cancelUrl
        : null;
  if (!base) return null;
  const url = new URL(base);
  url.searchParams.set('paymentId', p.id);
  url.searchParams.set('orderId', p.orderId);
  url.searchParams.set('status', status);
  if (cancelled) url.searchParams.set('cancel', 'true');
  return url.toString();
}

export function stateOf(p: WatchedPayment, status: PaymentStatus, amountPaid: number): CheckoutStateDto {
  return {
    status,
    amount: p.amount,
    amountDue: isFinal(status) ? 0 : Math.max(p.amount - amountPaid, 0),
    amountPaid,
    expiresAt: p.expiresAt.toISOString(),
    redirectUrl: redirectUrlFor(p, status),
  };
}

@Injectable()
export class CheckoutService {
  private readonly qrCache = new Map<string, string>();

  constructor(private readonly payments: PaymentCheckoutService) {}

  findByToken(token: string): Promise<CheckoutView | null> {
    return this.payments.findByToken(token);
  }

  cancelByPayer(token: string): Promise<PayerCancelResult> {
    return this.payments.cancelByPayer(token);
  }

  /** ?lang= wins over the payment's locale. */
  localeFor(view: CheckoutView | null, lang: unknown): CheckoutLocale {
    if (typeof lang === 'string' && (CHECKOUT_LOCALES as readonly string[]).includes(lang)) {
      return lang as CheckoutLocale;
    }
    return view?.locale ?? 'vi';
  }

  state(view: CheckoutView): CheckoutStateDto {
    return stateOf(view, view.status, view.amountPaid);
  }

  /** SVG of the QR for the amount still due; null when there is nothing to pay or no QR. */
  async qrSvg(view: CheckoutView): Promise<string | null> {
    if (isFinal(view.status) || view.qrCode === null || view.amountDue <= 0) return null;
    const payload =
      view.amountDue === view.amount ? view.qrCode : payloadForAmount(view.qrCode, view.amountDue);
    if (payload === null) return null;
    let svg = this.qrCache.get(payload);
    if (!svg) {
      svg = (await renderQrImage(payload, 'svg')).toString('utf8');
      if (this.qrCache.size >= QR_CACHE_MAX) this.qrCache.delete(this.qrCache.keys().next().value!);
      this.qrCache.set(payload, svg);
    }
    return svg;
  }
}
