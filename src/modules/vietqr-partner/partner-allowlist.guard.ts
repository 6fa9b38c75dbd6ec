import { applyDecorators, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { BlockList } from 'node:net';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { blockListOf, listed } from '../../config/network-config.js';
import { PartnerEnvelopeDto } from './partner-envelope.js';
import { PartnerException } from './partner.exception.js';

const NOT_ALLOWED = 'This address may not call the VietQR partner API';

/** Both partner endpoints: with VIETQR_PARTNER_ALLOWED_IPS set, other addresses get 403 before any check. */
@Injectable()
export class PartnerAllowlistGuard implements CanActivate {
  private readonly allowed: BlockList | null;

  constructor(config: AppConfig) {
    this.allowed = config.partner.allowedIps.length > 0 ? blockListOf(config.partner.allowedIps) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.allowed) return true;
    // request.ip honours TRUST_PROXY: behind a trusted proxy it is the client's address.
    const address = context.switchToHttp().getRequest<FastifyRequest>().ip;
    if (!listed(this.allowed, address)) {
      throw new PartnerException(ErrorCode.Forbidden, NOT_ALLOWED);
    }
    return true;
  }
}

/** The 403 the allowlist answers, as Swagger shows it on each partner route. */
export function ApiPartnerAllowlist(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiForbiddenResponse({
      type: PartnerEnvelopeDto,
      description: 'VIETQR_PARTNER_ALLOWED_IPS is set and the caller’s address is not in it',
      example: {
        error: true,
        errorReason: '020',
        toastMessage: NOT_ALLOWED,
        object: { reftransactionid: '' },
      },
    }),
  );
}
