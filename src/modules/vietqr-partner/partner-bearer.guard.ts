import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '../../common/errors/error-code.js';
import { PartnerException } from './partner.exception.js';
import { PartnerTokenService } from './partner-token.service.js';

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i;
const CHALLENGE = { 'www-authenticate': 'Bearer realm="vietqr-partner", error="invalid_token"' };

/** transaction-sync: a Bearer token from our token endpoint, unexpired; anything else is 401 (VietQR re-sends). */
@Injectable()
export class PartnerBearerGuard implements CanActivate {
  constructor(private readonly tokens: PartnerTokenService) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (!header) {
      throw new PartnerException(ErrorCode.Unauthorized, 'Missing Bearer token', undefined, CHALLENGE);
    }
    const match = header.length <= 4096 ? BEARER.exec(header) : null;
    if (!match || !this.tokens.isValid(match[1])) {
      throw new PartnerException(
        ErrorCode.Unauthorized,
        'Invalid or expired Bearer token',
        undefined,
        CHALLENGE,
      );
    }
    return true;
  }
}
