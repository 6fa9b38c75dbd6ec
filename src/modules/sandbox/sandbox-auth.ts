import { createSecretKey, randomBytes } from 'node:crypto';
import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { CredentialsMatcher, parseBasicAuthorization } from '../auth/basic-credentials.js';
import { SandboxState } from './sandbox-state.js';
import { SandboxException } from './sandbox.exception.js';

const TOKEN_TTL_SECONDS = 300;

/** VietQR's token side: Basic credentials -> a 300 s HS512 JWT whose "user" claim is base64(username). */
@Injectable()
export class SandboxAuth {
  // A key of the emulator's own, made at start: its tokens are worth nothing anywhere else.
  private readonly jwt = new JwtService({
    secret: createSecretKey(randomBytes(32)),
    signOptions: { algorithm: 'HS512', expiresIn: TOKEN_TTL_SECONDS },
  });
  private readonly credentials: CredentialsMatcher;

  constructor(
    config: AppConfig,
    private readonly state: SandboxState,
  ) {
    this.credentials = new CredentialsMatcher({
      username: config.vietqr.username,
      password: config.vietqr.password,
    });
  }

  issue(authorization: string | undefined): {
    access_token: string;
    token_type: 'Bearer';
    expires_in: number;
  } {
    this.state.stats.tokenRequests++;
    const username = this.checkBasic(authorization);
    const token = this.jwt.sign({
      authorities: ['ROLE_USER'],
      user: Buffer.from(username, 'utf8').toString('base64'),
      jti: randomBytes(6).toString('hex'),
    });
    this.state.addToken(token, username, Date.now() + TOKEN_TTL_SECONDS * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS };
  }

  /** The username a valid Bearer was issued to; 403 otherwise, as VietQR's JWT filter answers. */
  verifyBearer(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const entry = match ? this.state.tokens.get(match[1]) : undefined;
    if (!entry || entry.expiresAt <= Date.now()) {
      this.state.stats.refusedBearer++;
      throw new SandboxException(ErrorCode.Forbidden, 'Missing, invalid or expired Bearer token');
    }
    return entry.username;
  }

  private checkBasic(authorization: string | undefined): string {
    const offered = parseBasicAuthorization(authorization);
    if (!offered || !this.credentials.matches(offered))
      throw new SandboxException(ErrorCode.Unauthorized, 'Bad credentials');
    return offered.username;
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
