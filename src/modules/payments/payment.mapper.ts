import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type {
  PaymentDetailDto,
  PaymentDto,
  PaymentHistoryEntryDto,
  PaymentTransactionDto,
} from './dto/payment.dto.js';
import { bankAppLinks } from './bank-app-links.js';
import { checkoutPath } from './checkout-fields.js';
import { isOpen } from './payment-status.js';
import type { PaymentHistoryRecord, PaymentRecord, PaymentTransactionRecord } from './payment.record.js';

export function toPaymentDto(p: PaymentRecord, publicBaseUrl: string): PaymentDto {
  const checkoutUrl = `${publicBaseUrl}${checkoutPath(p.checkoutToken)}`;
  const amountRemaining = Math.max(p.amount - p.amountPaid, 0);
  return {
    id: p.id,
    orderId: p.orderId,
    amount: p.amount,
    currency: 'VND',
    status: p.status,
    amountPaid: p.amountPaid,
    amountRemaining,
    amountRefunded: p.amountRefunded,
    refundStatus: p.refundStatus,
    description: p.description,
    code: p.code,
    qr:
      p.qrCode === null
        ? null
        : {
            content: p.qrContent ?? p.code,
            qrCode: p.qrCode,
            qrLink: p.qrLink,
            imageUrl: `${publicBaseUrl}/api/v1/payments/${p.id}/qr.png`,
          },
    bank:
      p.bankAccount === null
        ? null
        : { bankCode: p.bankCode ?? '', bankAccount: p.bankAccount, accountName: p.accountName ?? '' },
    checkoutUrl,
    returnUrl: p.returnUrl,
    cancelUrl: p.cancelUrl,
    locale: p.locale,
    deeplinks:
      isOpen(p.status) && p.qrCode !== null && p.bankAccount !== null && amountRemaining > 0
        ? bankAppLinks({
            bankCode: p.bankCode ?? '',
            bankAccount: p.bankAccount,
            amount: amountRemaining,
            content: p.qrContent ?? p.code,
            returnUrl: checkoutUrl,
          })
        : [],
    expiresAt: p.expiresAt.toISOString(),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    metadata: p.metadata,
  };
}

export function toTransactionDto(t: PaymentTransactionRecord): PaymentTransactionDto {
  return {
    id: t.bankTransactionId,
    reference: t.reference,
    amount: t.amount,
    content: t.content,
    bankAccount: t.bankAccount,
    late: t.late,
    paidAt: t.paidAt?.toISOString() ?? null,
    receivedAt: t.receivedAt.toISOString(),
    linkedAt: t.linkedAt.toISOString(),
    linkedBy: t.linkedBy,
  };
}

function toHistoryDto(h: PaymentHistoryRecord): PaymentHistoryEntryDto {
  return {
    fromStatus: h.fromStatus,
    toStatus: h.toStatus,
    amountPaid: h.amountPaid,
    actor: h.actor,
    reason: h.reason,
    bankTransactionId: h.bankTransactionId,
    at: h.at.toISOString(),
  };
}

export function toPaymentDetailDto(
  detail: {
    payment: PaymentRecord;
    transactions: PaymentTransactionRecord[];
    history: PaymentHistoryRecord[];
  },
  publicBaseUrl: string,
): PaymentDetailDto {
  return {
    ...toPaymentDto(detail.payment, publicBaseUrl),
    transactions: detail.transactions.map(toTransactionDto),
    history: detail.history.map(toHistoryDto),
  };
}

/** The mappings with this deployment's public base URL (QR image links). */
@Injectable()
export class PaymentMapper {
  private readonly publicBaseUrl: string;

  constructor(config: AppConfig) {
    this.publicBaseUrl = config.http.publicBaseUrl.replace(/\/+$/, '');
  }

  toDto(payment: PaymentRecord): PaymentDto {
    return toPaymentDto(payment, this.publicBaseUrl);
  }

  toDetailDto(detail: Parameters<typeof toPaymentDetailDto>[0]): PaymentDetailDto {
    return toPaymentDetailDto(detail, this.publicBaseUrl);
  }
}
