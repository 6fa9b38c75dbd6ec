import { Injectable } from '@nestjs/common';
import { type IngestOutcome, TransactionSyncService } from '../transaction-sync/transaction-sync.service.js';
import { partnerSuccess, PartnerEnvelopeDto } from './partner-envelope.js';
import { readDelivery } from './transaction-sync-body.js';

const TOAST: Record<IngestOutcome, string> = {
  recorded: 'Transaction recorded',
  duplicate: 'Transaction already recorded',
  conflict: 'Reference already recorded with another amount or content; kept for review',
};

/** transaction-sync in VietQR's terms: its body read, the ledger's answer in its envelope. */
@Injectable()
export class PartnerDeliveriesService {
  constructor(private readonly ledger: TransactionSyncService) {}

  /** Records a delivery and answers VietQR's success envelope once it is committed. */
  async record(body: unknown, rawBody: Buffer | undefined): Promise<PartnerEnvelopeDto> {
    const input = readDelivery(body);
    const raw = rawBody ? rawBody.toString('utf8') : JSON.stringify(body);
    const { id, outcome } = await this.ledger.ingest(input, raw, 'vietqr');
    return partnerSuccess(id, TOAST[outcome]);
  }
}
