import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { QrIssuer } from './qr-issuer.js';
import { VietQrModule } from '../vietqr/vietqr.module.js';
import { LocalQrIssuer } from './local-qr-issuer.js';
import { QrOrdersRepository } from './qr-orders.repository.js';
import { VietQrQrIssuer } from './vietqr-qr-issuer.js';

@Module({
  imports: [VietQrModule],
  providers: [
    LocalQrIssuer,
    VietQrQrIssuer,
    QrOrdersRepository,
    {
      provide: QrIssuer,
      inject: [AppConfig, LocalQrIssuer, VietQrQrIssuer],
      useFactory: (config: AppConfig, local: LocalQrIssuer, vietqr: VietQrQrIssuer): QrIssuer =>
        config.vietqr.qrProvider === 'local' ? local : vietqr,
    },
  ],
  exports: [QrIssuer],
})
export class QrOrdersModule {}
