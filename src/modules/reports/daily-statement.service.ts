import { Injectable } from '@nestjs/common';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { PAYMENT_STATUSES } from '../payments/payment-status.js';
import { csvLine, CsvValue, UTF8_BOM } from './csv.js';
import type { DailyStatementDto, TallyDto } from './dto/daily-statement.dto.js';
import { ReportsRepository } from './reports.repository.js';
import { noSuchDate } from './reports.exception.js';
import { VIETNAM_TIME_ZONE, vietnamDay } from './vietnam-time.js';

const add = (a: TallyDto, b: TallyDto): TallyDto => ({
  count: a.count + b.count,
  amount: a.amount + b.amount,
});

/**
 * A day's statement: totals computed from the ledger rows of that Vietnamese day in SQL, never kept as
 * counters, so they always agree with the rows (the transactions export of the same day lists them).
 */
@Injectable()
export class DailyStatementService {
  constructor(private readonly reports: ReportsRepository) {}

  async daily(client: ApiClient, date: string): Promise<DailyStatementDto> {
    const day = vietnamDay(date);
    if (!day) throw noSuchDate(date);
    // An operator sees the merchant's whole ledger; an order system the transfers to its own payments.
    const clientId = client.role === 'operator' ? null : client.id;
    const [totals, refunded, payments] = await Promise.all([
      this.reports.ledgerTotals(day, clientId),
      this.reports.refundTotals(day, clientId),
      this.reports.paymentsByStatus(day, clientId),
    ]);
    return {
      date,
      timeZone: VIETNAM_TIME_ZONE,
      from: day.from.toISOString(),
      to: day.to.toISOString(),
      scope: clientId ? 'client' : 'merchant',
      credits: {
        received: totals.received,
        linked: totals.linked,
        late: totals.late,
        unmatched: totals.unmatched,
        dismissed: totals.dismissed,
      },
      refunded,
      // Cash basis: a refund counts on the day it reached the payer, whenever the money came in.
      net: totals.received.amount - refunded.amount,
      recovered: add(totals.reconcile, totals.manual),
      arrivedVia: { callback: totals.callback, reconcile: totals.reconcile, manual: totals.manual },
      conflicts: totals.conflicts,
      debits: totals.debits,
      payments: PAYMENT_STATUSES.map(
        (status) =>
          payments.find((p) => p.status === status) ?? { status, count: 0, amount: 0, amountPaid: 0 },
      ),
    };
  }

  /** The statement as a spreadsheet: one line per figure (section, item, count, amounts). */
  toCsv(s: DailyStatementDto): string {
    const line = (section: string, item: string, t: TallyDto | null, paid: CsvValue = null) =>
      csvLine([section, item, t?.count ?? null, t?.amount ?? null, paid]);
    return [
      UTF8_BOM + csvLine(['section', 'item', 'count', 'amount_vnd', 'amount_paid_vnd']),
      csvLine(['statement', `${s.date} (${s.timeZone})`, null, null, null]),
      csvLine(['statement', `scope: ${s.scope}`, null, null, null]),
      ...(['received', 'linked', 'late', 'unmatched', 'dismissed'] as const).map((k) =>
        line('credits', k, s.credits[k]),
      ),
      line('refunds', 'refunded', s.refunded),
      csvLine(['net', 'received minus refunded', null, s.net, null]),
      line('arrival', 'recovered by reconciliation', s.recovered),
      ...(['callback', 'reconcile', 'manual'] as const).map((k) => line('arrival', k, s.arrivedVia[k])),
      line('review', 'conflicting re-deliveries', s.conflicts),
      line('debits', 'ignored debits', s.debits),
      ...s.payments.map((p) => line('payments', p.status, p, p.amountPaid)),
    ].join('');
  }
}
