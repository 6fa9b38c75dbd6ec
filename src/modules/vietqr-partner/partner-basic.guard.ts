import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '../../common/errors/error-code.js';
import { PartnerException } from './partner.exception.js';
import { AppConfig } from '../../config/app-config.js';
import { CredentialsMatcher, parseBasicAuthorization } from '../auth/basic-credentials.js';
import { FailureThrottle } from './failure-throttle.js';

const CHALLENGE = { 'www-authenticate': 'Basic realm="vietqr-partner", charset="UTF-8"' };

/** The token endpoint: the Basic pair registered with VietQR, with failures throttled per address. */
@Injectable()
export class PartnerBasicGuard implements CanActivate {
  private readonly matcher: CredentialsMatcher;
  private readonly throttle: FailureThrottle;

  constructor(config: AppConfig) {
    this.matcher = new CredentialsMatcher({
      username: config.partner.username,
      password: config.partner.password,
    });
    this.throttle = new FailureThrottle(config.partner.tokenFailuresPerMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const address = request.ip;
    const retryAfter = this.throttle.retryAfterSeconds(address);
    if (retryAfter !== null) {
      throw new PartnerException(
        ErrorCode.TooManyRequests,
        'Too many failed attempts from this address; retry later',
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
    const offered = parseBasicAuthorization(request.headers.authorization);
    if (!offered || !this.matcher.matches(offered)) {
      this.throttle.recordFailure(address);
      throw new PartnerException(
        ErrorCode.Unauthorized,
        offered ? 'Wrong Basic credentials' : 'Missing or malformed Basic credentials',
        undefined,
        CHALLENGE,
      );
    }
    return true;
  }
}
