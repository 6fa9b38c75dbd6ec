import type { RefundDto } from './dto/refund.dto.js';
import type { RefundRecord } from './refund.record.js';

export function toRefundDto(r: RefundRecord): RefundDto {
  return {
    id: r.id,
    paymentId: r.paymentId,
    transactionId: r.sourceTransactionId,
    amount: r.amount,
    currency: 'VND',
    reason: r.reason,
    status: r.status,
    method: r.method,
    parts: r.parts.map((p) => ({
      id: p.id,
      transactionId: p.sourceTransactionId,
      bankReference: p.sourceReference,
      amount: p.amount,
      state: p.state,
      providerReference: p.providerReference,
      vietqrCode: p.vietqrCode,
      error: p.errorMessage,
      debitTransactionId: p.debitTransactionId,
      settledAt: p.settledAt?.toISOString() ?? null,
    })),
    failureCode: r.failureCode,
    failureMessage: r.failureMessage,
    payerAccount: r.payerAccount,
    completedReference: r.completedReference,
    completedNote: r.completedNote,
    createdBy: r.createdBy,
    metadata: r.metadata,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    settledAt: r.settledAt ? new Date(r.settledAt).toISOString() : null,
  };
}
