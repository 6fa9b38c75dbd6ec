import { Module, OnModuleInit } from '@nestjs/common';
import { ErrorResponder } from '../../common/errors/error-responder.js';
import { SandboxAuth, SandboxBearerGuard } from './sandbox-auth.js';
import { SandboxDeliveryService } from './sandbox-delivery.service.js';
import { SandboxRefundService } from './sandbox-refund.service.js';
import { SandboxState } from './sandbox-state.js';
import { SandboxController } from './sandbox.controller.js';
import { renderSandboxError, SANDBOX_PREFIX } from './sandbox.exception.js';
import { SandboxService } from './sandbox.service.js';

/** An emulator of VietQR's sandbox at /sandbox/vqr. Never mounted in production (see app.module.ts). */
@Module({
  controllers: [SandboxController],
  providers: [
    SandboxState,
    SandboxAuth,
    SandboxBearerGuard,
    SandboxDeliveryService,
    SandboxService,
    SandboxRefundService,
  ],
  exports: [SandboxState],
})
export class SandboxModule implements OnModuleInit {
  constructor(private readonly errors: ErrorResponder) {}

  onModuleInit(): void {
    this.errors.register(SANDBOX_PREFIX, renderSandboxError);
  }
}
