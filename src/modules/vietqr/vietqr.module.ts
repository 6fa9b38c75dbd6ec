import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { VietQrClient, vietQrHttpOptions } from './vietqr.client.js';

@Module({
  imports: [HttpModule.registerAsync({ inject: [AppConfig], useFactory: vietQrHttpOptions })],
  providers: [VietQrClient],
  exports: [VietQrClient],
})
export class VietQrModule {}
