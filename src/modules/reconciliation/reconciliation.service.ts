import { Injectable, Logger } from '@nestjs/common';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { PaymentQueriesService } from '../payments/payment-queries.service.js';
import type { ArrivedVia } from '../transaction-sync/bank-transactions.repository.js';
import { TransactionSyncService } from '../transaction-sync/transaction-sync.service.js';
import { readDelivery } from '../vietqr-partner/transaction-sync-body.js';
import { VietQrClient } from '../vietqr/vietqr.client.js';
import { VietQrException } from '../vietqr/vietqr.exception.js';
import type { CheckOrderItem } from '../vietqr/vietqr.types.js';
import { ReconcileResultDto } from './dto/reconcile-result.dto.js';
import { ReconcileMetrics } from './reconcile-metrics.js';
import { SimulatePaymentDto, SimulatePaymentResultDto } from './dto/simulate-payment.dto.js';
import { noQr, nothingLeft } from './reconciliation.exception.js';

// check-order's status of a transaction that was paid.
const PAID = 1;

@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly payments: PaymentQueriesService,
    private readonly ledger: TransactionSyncService,
    private readonly vietqr: VietQrClient,
    private readonly metrics: ReconcileMetrics,
  ) {}

  /** Sandbox: asks VietQR to simulate the buyer's transfer; VietQR then calls our transaction-sync. */
  async simulate(client: ApiClient, id: string, dto: SimulatePaymentDto): Promise<SimulatePaymentResultDto> {
    const payment = await this.payments.get(client, id);
    if (!payment.qr || !payment.bank) throw noQr(id);
    const amount = dto.amount ?? payment.amountRemaining;
    if (amount <= 0) throw nothingLeft(id);
    const vietqr = await this.vietqr.testCallback({
      bankAccount: payment.bank.bankAccount,
      content: payment.qr.content,
      amount,
      transType: 'C',
      bankCode: payment.bank.bankCode,
      ...(dto.deliverCallback === false ? { deliver: false } : {}),
    });
    return { vietqr, amount, payment: await this.payments.get(client, id) };
  }

  /**
   * Asks VietQR's check-order what it knows of the payment's code and passes every paid transaction through
   * the same idempotent ingest as transaction-sync: what we had is a duplicate, what we missed is recorded.
   */
  async reconcile(client: ApiClient, id: string): Promise<ReconcileResultDto> {
    const payment = await this.payments.get(client, id);
    if (!payment.qr || !payment.bank) throw noQr(id);
    const found = await this.checkAndIngest(payment.bank.bankAccount, payment.code, 'reconcile', 'manual');
    return { ...found, payment: await this.payments.get(client, id) };
  }

  /** check-order by our payment code, then the ingest of every paid transaction VietQR reports for it. */
  async checkAndIngest(
    bankAccount: string,
    code: string,
    actor: string,
    arrivedVia: Exclude<ArrivedVia, 'callback'>,
  ): Promise<Omit<ReconcileResultDto, 'payment'>> {
    const items = await this.checkOrder(bankAccount, code);
    const transactions: ReconcileResultDto['transactions'] = [];
    for (const item of items.filter((i) => i.status === PAID && i.referenceNumber)) {
      // Read as a transaction-sync delivery would be, so both paths record the same fields the same way.
      const body = {
        referencenumber: item.referenceNumber,
        amount: item.amount,
        content: item.content,
        bankaccount: bankAccount,
        transType: item.transType,
        orderId: item.orderId,
        transactiontime: item.timePaid,
      };
      const result = await this.ledger.ingest(readDelivery(body), JSON.stringify(body), actor, arrivedVia);
      if (result.outcome === 'recorded') {
        // VietQR had it and we did not: a callback was missed. Loud, so someone looks at why.
        this.metrics.recoveredTransfer(arrivedVia);
        this.logger.warn(
          {
            orderId: code,
            reference: result.reference,
            amount: item.amount,
            ledgerId: result.id,
            arrivedVia,
          },
          `Recovered transfer ${result.reference} (${item.amount} VND) of payment code ${code}: its callback was missed`,
        );
      }
      transactions.push({
        reference: result.reference,
        amount: item.amount,
        reftransactionid: result.id,
        outcome: result.outcome,
      });
    }
    return { checked: items.length, transactions };
  }

  private async checkOrder(bankAccount: string, code: string): Promise<CheckOrderItem[]> {
    try {
      return await this.vietqr.checkOrder({ bankAccount, type: 0, value: code });
    } catch (error) {
      // E96: VietQR knows no transaction for this order, which is an answer, not a failure.
      if (error instanceof VietQrException && error.vietqrCode === 'E96') return [];
      throw error;
    }
  }
}
