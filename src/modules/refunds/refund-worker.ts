import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { Database } from '../../database/database.js';
import { VietQrClient } from '../vietqr/vietqr.client.js';
import { meaningOf } from '../vietqr/vietqr-error-codes.js';
import { VietQrException } from '../vietqr/vietqr.exception.js';
import { refundContent, refusalOf, settleFromAmountRefunded } from './refund-rules.js';
import { ChangeResult, Failure, RefundSettlementService } from './refund-settlement.service.js';
import { ClaimedPart, RefundWorkRepository } from './refund-work.repository.js';
import type { RefundRecord } from './refund.record.js';
import { RefundsRepository } from './refunds.repository.js';
import type { Transaction } from '../../database/database.js';

// Parts taken per tick, and debits looked at per tick.
const CLAIMS_PER_TICK = 50;
const DEBITS_PER_TICK = 200;
// A part check-order shows was not refunded is sent again, at most this many sends in all.
const MAX_SENDS = 3;

/**
 * The durable job that carries every accepted refund to a final state: it takes due parts from the
 * database (SKIP LOCKED, leased), calls VietQR outside any transaction, and records the answer. Nothing
 * lives only in memory: a part claimed by an instance that died is taken over when its lease runs out,
 * and a call whose answer was lost is settled from check-order's amountRefunded, never sent again blindly.
 */
@Injectable()
export class RefundWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RefundWorker.name);
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly database: Database,
    private readonly work: RefundWorkRepository,
    private readonly refunds: RefundsRepository,
    private readonly settlement: RefundSettlementService,
    private readonly vietqr: VietQrClient,
    private readonly config: AppConfig,
  ) {
    // The client may ask for a token, call, and on a refused token do both again: each bounded by the
    // timeout. A lease shorter than that could have a live call taken over.
    this.leaseMs = 4 * config.vietqr.timeoutMs + 2_000;
  }

  onApplicationBootstrap(): void {
    this.schedule(this.config.refunds.workerIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Work is waiting (a refund was just accepted): look now rather than at the next tick. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** One pass: every due part, then the debits waiting for their refund. */
  async tick(): Promise<void> {
    for (let i = 0; i < CLAIMS_PER_TICK && !this.stopped && (await this.work.anyDue()); i++) {
      const orphaned: string[] = [];
      const part = await this.database.transaction((tx) =>
        this.work.claim(tx, this.leaseMs, this.config.refunds.lockMs, orphaned),
      );
      // Their status follows their parts (now unknown): UNKNOWN.
      for (const refundId of orphaned) await this.settlement.change(refundId, () => Promise.resolve({}));
      if (!part) break;
      await (part.action === 'send' ? this.send(part) : this.settle(part));
    }
    await this.linkDebits();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Refund work failed; retrying later'))
        .finally(() => {
          this.running = undefined;
          const soon = this.again;
          this.again = false;
          this.schedule(soon ? 0 : this.config.refunds.workerIntervalMs);
        });
    }, delayMs);
  }

  private async send(part: ClaimedPart): Promise<void> {
    const { bankAccount, bankCode, refundSecretKey } = this.config.vietqr;
    let outcome: (tx: Transaction, refund: RefundRecord) => Promise<ChangeResult>;
    try {
      const ftCode = await this.vietqr.refund(
        {
          bankAccount,
          referenceNumber: part.sourceReference,
          amount: String(part.amount),
          content: refundContent(part.refundId),
          bankCode,
          ...(part.multiTimes ? { multiTimes: true } : {}),
        },
        refundSecretKey ?? '',
      );
      outcome = this.succeeded(part, ftCode, 'vietqr');
    } catch (error) {
      const code =
        error instanceof VietQrException && error.code === ErrorCode.UpstreamError ? error.vietqrCode : null;
      const said = error instanceof Error ? error.message : String(error);
      switch (refusalOf(error instanceof VietQrException ? code : null)) {
        case 'retry':
          outcome = this.update(part, {
            state: 'pending',
            vietqrCode: code,
            errorMessage: said,
            nextAttemptInMs: this.config.refunds.lockMs,
          });
          break;
        case 'failed':
          outcome = this.failed(part, { code: code!, message: meaningOf(code) }, said);
          break;
        case 'manual':
          outcome = this.update(
            part,
            { state: 'requires_action', vietqrCode: code, errorMessage: said },
            { code: code!, message: meaningOf(code) },
          );
          break;
        case 'unknown':
          this.logger.warn(
            `Refund part ${part.id}: VietQR's answer is lost (${said}); settling from check-order`,
          );
          outcome = this.update(part, {
            state: 'unknown',
            vietqrCode: code,
            errorMessage: said,
            nextAttemptInMs: this.config.refunds.lockMs,
          });
          break;
      }
    }
    await this.settlement.change(part.refundId, async (tx, refund) => {
      const current = refund.parts.find((p) => p.id === part.id);
      // An answer is news even when the lease ran out meanwhile and the part was marked unknown.
      if (!current || (current.state !== 'sending' && current.state !== 'unknown')) return false;
      return outcome(tx, refund);
    });
  }

  private async settle(part: ClaimedPart): Promise<void> {
    let amountRefunded: number;
    try {
      const items = await this.vietqr.checkOrder({
        bankAccount: this.config.vietqr.bankAccount,
        type: 1,
        value: part.sourceReference,
      });
      const item =
        items.find((i) => i.referenceNumber === part.sourceReference && i.transType === 'C') ??
        items.find((i) => i.referenceNumber === part.sourceReference);
      amountRefunded = Number(item?.amountRefunded ?? 0);
    } catch (error) {
      // VietQR does not know the transfer: then it refunded nothing of it. Anything else: ask again later.
      if (!(error instanceof VietQrException && error.vietqrCode === 'E96')) {
        this.logger.warn(`Refund part ${part.id}: check-order failed (${String(error)}); asking again later`);
        await this.refunds.updatePart(this.database, part.id, {
          state: 'unknown',
          nextAttemptInMs: Math.min(this.config.refunds.lockMs, 60_000),
        });
        return;
      }
      amountRefunded = 0;
    }
    const before = await this.work.refundedBefore(this.database, part.id);
    const verdict = settleFromAmountRefunded(amountRefunded, before, part.amount);
    let outcome: (tx: Transaction, refund: RefundRecord) => Promise<ChangeResult>;
    switch (verdict) {
      case 'succeeded':
        outcome = this.succeeded(part, null, 'check_order');
        break;
      case 'not_applied':
        outcome =
          part.attempts < MAX_SENDS
            ? this.update(part, {
                state: 'pending',
                nextAttemptInMs: 0,
                errorMessage: 'check-order shows it was not refunded; sending again',
              })
            : this.failed(
                part,
                { code: 'NOT_APPLIED', message: `VietQR did not refund it after ${part.attempts} attempts` },
                null,
              );
        break;
      case 'mismatch':
        outcome = this.update(
          part,
          {
            state: 'requires_action',
            errorMessage: `check-order shows ${amountRefunded} VND refunded of this transfer, expected ${before} or ${before + part.amount}`,
          },
          {
            code: 'AMOUNT_MISMATCH',
            message:
              "VietQR's amountRefunded matches neither outcome: check the transfer and complete or fail the refund",
          },
        );
        break;
    }
    await this.settlement.change(part.refundId, async (tx, refund) => {
      const current = refund.parts.find((p) => p.id === part.id);
      if (!current || current.state !== 'unknown') return false;
      return outcome(tx, refund);
    });
  }

  private succeeded(part: ClaimedPart, ftCode: string | null, by: 'vietqr' | 'check_order') {
    return this.update(part, { state: 'succeeded', providerReference: ftCode, settledBy: by });
  }

  /**
   * A definitive refusal: the part failed, and with it the refund's parts not sent yet, unless money of
   * this refund already went back; then a person finishes it.
   */
  private failed(part: ClaimedPart, failure: Failure, said: string | null) {
    return async (tx: Transaction, refund: RefundRecord): Promise<ChangeResult> => {
      const vietqrCode = failure.code.startsWith('E') ? failure.code : null;
      if (refund.parts.some((p) => p.state === 'succeeded')) {
        await this.refunds.updatePart(tx, part.id, {
          state: 'requires_action',
          vietqrCode,
          errorMessage: said,
        });
        return { failure };
      }
      await this.refunds.updatePart(tx, part.id, {
        state: 'failed',
        vietqrCode,
        errorMessage: said ?? failure.message,
      });
      await this.refunds.settleOpenParts(tx, refund.id, 'failed', null);
      return { failure };
    };
  }

  private update(part: ClaimedPart, o: Parameters<RefundsRepository['updatePart']>[2], failure?: Failure) {
    return async (tx: Transaction): Promise<ChangeResult> => {
      await this.refunds.updatePart(tx, part.id, o);
      return failure ? { failure } : {};
    };
  }

  private async linkDebits(): Promise<void> {
    const { debitMatchWindowMs } = this.config.refunds;
    const debits = await this.work.unlinkedDebits(debitMatchWindowMs, DEBITS_PER_TICK);
    const ours = this.config.vietqr.bankAccount.replace(/[^0-9A-Za-z]/g, '');
    for (const debit of debits) {
      if (this.stopped) return;
      const linked = await this.database.transaction((tx) =>
        this.work.linkDebit(tx, debit, ours, debitMatchWindowMs),
      );
      if (linked) this.logger.log(`Debit ${debit.reference} linked to its refund`);
    }
  }
}
