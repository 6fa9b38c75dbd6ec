import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.js';
import { AppConfig } from '../../config/app-config.js';
import { bankAppLinks, type BankAppLink } from './bank-app-links.js';
import { checkoutPath, type CheckoutLocale } from './checkout-fields.js';
import { PaymentEvents } from './payment-events.js';
import type { PaymentRecord } from './payment.record.js';
import type { PaymentStatus } from './payment-status.js';
import { PaymentCheckoutRepository, type PaymentState } from './payment-checkout.repository.js';
import { PaymentsRepository } from './payments.repository.js';

export type { PaymentState } from './payment-checkout.repository.js';

// 32 random bytes in base64url, as the migration's default makes them.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** What the payer's page may show of a payment: nothing of the client, no metadata, no history. */
export interface CheckoutView {
  id: string;
  orderId: string;
  status: PaymentStatus;
  amount: number;
  amountPaid: number;
  amountDue: number;
  description: string | null;
  expiresAt: Date;
  /** The stored NAPAS payload (for the full amount); null while the payment has no QR. */
  qrCode: string | null;
  /** The exact transfer content the payer must keep. */
  content: string;
  bankCode: string | null;
  bankAccount: string | null;
  accountName: string | null;
  returnUrl: string | null;
  cancelUrl: string | null;
  locale: CheckoutLocale;
  checkoutUrl: string;
  deeplinks: BankAppLink[];
}

export type PayerCancelResult =
  | { result: 'cancelled'; view: CheckoutView }
  | { result: 'not_cancellable'; view: CheckoutView }
  | { result: 'not_found' };

/** The payments side of the hosted checkout page (the checkout module renders it). */
@Injectable()
export class PaymentCheckoutService {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly database: Database,
    private readonly checkout: PaymentCheckoutRepository,
    private readonly payments: PaymentsRepository,
    private readonly events: PaymentEvents,
    config: AppConfig,
  ) {
    this.publicBaseUrl = config.http.publicBaseUrl.replace(/\/+$/, '');
  }

  async findByToken(token: string): Promise<CheckoutView | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const payment = await this.checkout.findByCheckoutToken(token);
    return payment ? this.toView(payment) : null;
  }

  /**
   * The payer gives up from the page: only a PENDING payment (nothing paid yet) is cancelled, so a payer
   * who already sent part of the money cannot close the payment on the merchant. Same history and
   * payment.cancelled event as a cancel through the API.
   */
  async cancelByPayer(token: string): Promise<PayerCancelResult> {
    if (!TOKEN_PATTERN.test(token)) return { result: 'not_found' };
    return this.database.transaction(async (tx) => {
      const payment = await this.checkout.lockByCheckoutToken(tx, token);
      if (!payment) return { result: 'not_found' as const };
      if (payment.status !== 'PENDING')
        return { result: 'not_cancellable' as const, view: this.toView(payment) };
      const cancelled = await this.payments.transition(
        tx,
        payment,
        'CANCELLED',
        'payer',
        'cancelled_by_payer',
      );
      await this.events.paymentChanged(tx, 'payment.cancelled', cancelled);
      return { result: 'cancelled' as const, view: this.toView(cancelled) };
    });
  }

  /** Current states of the given payments (the live page's polling fallback). */
  async states(ids: string[]): Promise<PaymentState[]> {
    return ids.length === 0 ? [] : this.checkout.findStates(ids);
  }

  private toView(p: PaymentRecord): CheckoutView {
    const checkoutUrl = `${this.publicBaseUrl}${checkoutPath(p.checkoutToken)}`;
    const amountDue = Math.max(p.amount - p.amountPaid, 0);
    const content = p.qrContent ?? p.code;
    return {
      id: p.id,
      orderId: p.orderId,
      status: p.status,
      amount: p.amount,
      amountPaid: p.amountPaid,
      amountDue,
      description: p.description,
      expiresAt: p.expiresAt,
      qrCode: p.qrCode,
      content,
      bankCode: p.bankCode,
      bankAccount: p.bankAccount,
      accountName: p.accountName,
      returnUrl: p.returnUrl,
      cancelUrl: p.cancelUrl,
      locale: p.locale,
      checkoutUrl,
      deeplinks:
        p.bankAccount === null
          ? []
          : bankAppLinks({
              bankCode: p.bankCode ?? '',
              bankAccount: p.bankAccount,
              amount: amountDue,
              content,
              returnUrl: checkoutUrl,
            }),
    };
  }
}
