import { Module } from '@nestjs/common';
import { VietQrClient } from './vietqr.client.js';

@Module({
  providers: [VietQrClient],
  exports: [VietQrClient],
})
export class VietQrModule {}
