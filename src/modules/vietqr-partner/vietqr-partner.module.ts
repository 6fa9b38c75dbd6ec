import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorResponder } from '../../common/errors/error-responder.js';
import { AppConfig } from '../../config/app-config.js';
import { PartnerBasicGuard } from './partner-basic.guard.js';
import { PartnerBearerGuard } from './partner-bearer.guard.js';
import { renderPartnerError } from './partner-envelope.js';
import { TransactionSyncModule } from '../transaction-sync/transaction-sync.module.js';
import { PartnerDeliveriesService } from './partner-deliveries.service.js';
import { TOKEN_PATH, TRANSACTION_SYNC_PATH } from './partner-routes.js';
import { PartnerTokenController } from './partner-token.controller.js';
import { createPartnerJwt, PARTNER_JWT, PartnerTokenService } from './partner-token.service.js';
import { TransactionSyncController } from './transaction-sync.controller.js';

/**
 * The endpoints VietQR calls on us, in VietQR's protocol: the token endpoint (Basic) and transaction-sync
 * (our Bearer token), their guards and envelope. The app module mounts it under
 * config.partner.callbackPrefix; the ledger behind transaction-sync is the transaction-sync module's.
 */
@Module({
  imports: [TransactionSyncModule],
  controllers: [PartnerTokenController, TransactionSyncController],
  providers: [
    { provide: PARTNER_JWT, inject: [AppConfig], useFactory: createPartnerJwt },
    PartnerTokenService,
    PartnerBasicGuard,
    PartnerBearerGuard,
    PartnerDeliveriesService,
  ],
})
export class VietQrPartnerModule implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly responder: ErrorResponder,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const prefix = this.config.partner.callbackPrefix;
    // With no prefix ('/'), only the two partner routes take VietQR's envelope, not the whole service.
    const mounts = prefix ? [prefix] : [TOKEN_PATH, TRANSACTION_SYNC_PATH];
    for (const mount of mounts) this.responder.register(mount, renderPartnerError);

    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const tokenPath = `${prefix}${TOKEN_PATH}`;
    // VietQR's client may post the token request with Content-Type: application/json and no body at all;
    // the body is ignored there, so it must not fail as empty JSON.
    fastify.addHook('onRequest', async (request: FastifyRequest) => {
      if (
        request.headers['content-length'] === '0' &&
        request.url.split('?')[0].replace(/\/{2,}/g, '/') === tokenPath
      ) {
        delete request.headers['content-type'];
      }
    });
  }
}
