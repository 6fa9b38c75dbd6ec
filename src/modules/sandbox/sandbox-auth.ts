import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { SandboxState } from './sandbox-state.js';

const TOKEN_TTL_SECONDS = 300;

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** VietQR's token side: Basic credentials -> a 300 s HS512 JWT whose "user" claim is base64(username). */
@Injectable()
export class SandboxAuth {
  private readonly secret = randomBytes(32);

  constructor(
    private readonly config: AppConfig,
    private readonly state: SandboxState,
  ) {}

  issue(authorization: string | undefined): {
    access_token: string;
    token_type: 'Bearer';
    expires_in: number;
  } {
    this.state.stats.tokenRequests++;
    const username = this.checkBasic(authorization);
    const iat = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'HS512' }));
    const claims = base64url(
      JSON.stringify({
        authorities: ['ROLE_USER'],
        user: Buffer.from(username, 'utf8').toString('base64'),
        iat,
        exp: iat + TOKEN_TTL_SECONDS,
        jti: randomBytes(6).toString('hex'),
      }),
    );
    const signature = createHmac('sha512', this.secret).update(`${header}.${claims}`).digest('base64url');
    const token = `${header}.${claims}.${signature}`;
    this.state.addToken(token, username, Date.now() + TOKEN_TTL_SECONDS * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS };
  }

  /** The username a valid Bearer was issued to; 403 otherwise, as VietQR's JWT filter answers. */
  verifyBearer(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const entry = match ? this.state.tokens.get(match[1]) : undefined;
    if (!entry || entry.expiresAt <= Date.now()) {
      this.state.stats.refusedBearer++;
      throw new AppException(ErrorCode.Forbidden, 'Missing, invalid or expired Bearer token');
    }
    return entry.username;
  }

  private checkBasic(authorization: string | undefined): string {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const username = colon > 0 ? decoded.slice(0, colon) : '';
    const password = colon > 0 ? decoded.slice(colon + 1) : '';
    const { username: expectedUser, password: expectedPassword } = this.config.vietqr;
    const ok = sameSecret(username, expectedUser) && sameSecret(password, expectedPassword);
    if (!ok) throw new UnauthorizedException('Bad credentials');
    return username;
  }
}

type SandboxRequest = FastifyRequest & { sandboxUser?: string };

/** Business calls of the emulated VietQR need a live Bearer token from its token_generate. */
@Injectable()
export class SandboxBearerGuard implements CanActivate {
  constructor(private readonly auth: SandboxAuth) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<SandboxRequest>();
    request.sandboxUser = this.auth.verifyBearer(request.headers.authorization);
    return true;
  }
}

/** The merchant username the request's Bearer token was issued to. */
export const SandboxUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<SandboxRequest>().sandboxUser ?? '',
);
