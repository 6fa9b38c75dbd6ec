import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ExportQueryDto, PaymentExportQueryDto } from './dto/export.query.dto.js';
import { encodingOf } from './export-formats.js';
import { Period, PAYMENT_COLUMNS, ReportsRepository, TRANSACTION_COLUMNS } from './reports.repository.js';
import { badBound, emptyPeriod, exportsBusy } from './reports.exception.js';
import { instantOf } from './vietnam-time.js';

// Each running export holds one pooled connection: a few at a time leave the pool to the payments.
const MAX_CONCURRENT = 2;
// A reader that takes nothing this long loses its export (and the connection goes back to the pool).
const IDLE_MS = 30_000;

export interface ExportFile {
  stream: Readable;
  contentType: string;
  filename: string;
}

/** Streams the ledger and the payments as CSV or JSON Lines, in constant memory whatever their size. */
@Injectable()
export class ExportsService {
  private running = 0;

  constructor(private readonly reports: ReportsRepository) {}

  /** Operators only (the route says so): every ledger row received in the period. */
  transactions(query: ExportQueryDto): Promise<ExportFile> {
    const encoding = encodingOf(query.format ?? 'csv', TRANSACTION_COLUMNS);
    return this.run(`transactions.${encoding.extension}`, encoding.contentType, () =>
      this.reports.streamTransactions(periodOf(query), encoding, IDLE_MS),
    );
  }

  /** An order system's own payments, or (operator) everyone's, created in the period. */
  payments(client: ApiClient, query: PaymentExportQueryDto): Promise<ExportFile> {
    const encoding = encodingOf(query.format ?? 'csv', PAYMENT_COLUMNS);
    const filter = { clientId: client.role === 'operator' ? null : client.id, status: query.status ?? null };
    return this.run(`payments.${encoding.extension}`, encoding.contentType, () =>
      this.reports.streamPayments(periodOf(query), filter, encoding, IDLE_MS),
    );
  }

  private async run(
    filename: string,
    contentType: string,
    open: () => Promise<Readable>,
  ): Promise<ExportFile> {
    if (this.running >= MAX_CONCURRENT) throw exportsBusy(MAX_CONCURRENT);
    this.running++;
    let stream: Readable;
    try {
      stream = await open();
    } catch (error) {
      this.running--;
      throw error;
    }
    stream.once('close', () => this.running--);
    return { stream, contentType, filename };
  }
}

function periodOf(query: ExportQueryDto): Period {
  const bound = (name: 'from' | 'to') => {
    const value = query[name];
    if (value === undefined) return null;
    const instant = instantOf(value);
    if (!instant) throw badBound(name, value);
    return instant;
  };
  const period = { from: bound('from'), to: bound('to') };
  if (period.from && period.to && period.to <= period.from) throw emptyPeriod();
  return period;
}
