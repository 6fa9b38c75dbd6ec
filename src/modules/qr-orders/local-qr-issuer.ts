import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { IssuedQr, QrIssuer, QrIssueRequest } from './qr-issuer.js';
import { findBank } from '../vietqr/banks.js';
import { buildNapasPayload } from './napas-payload.js';

/** QR_PROVIDER=local: the NAPAS payload built here, without calling VietQR. The content is our payment code. */
@Injectable()
export class LocalQrIssuer extends QrIssuer {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async issue(request: QrIssueRequest): Promise<IssuedQr> {
    const { bankCode, bankAccount, accountName } = this.config.vietqr;
    const bank = findBank(bankCode);
    if (!bank) throw new Error(`VIETQR_BANK_CODE ${bankCode} is not a known VietQR bank code or BIN`);
    return {
      provider: 'local',
      content: request.code,
      traceId: null,
      qrCode: buildNapasPayload({
        bankBin: bank.bin,
        accountNumber: bankAccount,
        amount: request.amount,
        purpose: request.code,
      }),
      qrLink: null,
      transactionRefId: null,
      bankCode: bank.code,
      bankAccount,
      accountName,
    };
  }
}
