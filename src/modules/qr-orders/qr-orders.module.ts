import { Module } from '@nestjs/common';
import { QrIssuer } from '../payments/qr-issuer.port.js';
import { LocalQrIssuer } from './local-qr-issuer.js';

@Module({
  providers: [LocalQrIssuer, { provide: QrIssuer, useExisting: LocalQrIssuer }],
  exports: [QrIssuer],
})
export class QrOrdersModule {}
