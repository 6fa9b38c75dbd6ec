import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config.js';
import { PartnerTokenDto } from './partner-token.dto.js';

// The partner token opens transaction-sync and nothing else: its own key, audience and issuer.
export const PARTNER_TOKEN_AUDIENCE = 'vietqr-transaction-sync';
export const PARTNER_TOKEN_ISSUER = 'vietqr-gateway';
export const PARTNER_JWT = Symbol('PARTNER_JWT');

/** The JwtService of the partner token, registered as a local provider (no global JwtModule). */
export function createPartnerJwt(config: AppConfig): JwtService {
  return new JwtService({
    // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a
    // public key on every verify, which cost more than the HMAC itself on the transaction-sync hot path.
    secret: createSecretKey(Buffer.from(config.partner.tokenSecret, 'utf8')),
    signOptions: {
      algorithm: 'HS256',
      audience: PARTNER_TOKEN_AUDIENCE,
      issuer: PARTNER_TOKEN_ISSUER,
      subject: config.partner.username,
      expiresIn: config.partner.tokenTtlSeconds,
    },
    verifyOptions: {
      algorithms: ['HS256'],
      audience: PARTNER_TOKEN_AUDIENCE,
      issuer: PARTNER_TOKEN_ISSUER,
    },
  });
}

// VietQR sends every delivery with the token it fetched last: its signature is checked once, and the token
// then remembered with its expiry (which is checked on every use, as jsonwebtoken does: valid while the
// current second is before exp). A handful of tokens covers a token's renewal and a few instances' worth.
const REMEMBERED_TOKENS = 8;

@Injectable()
export class PartnerTokenService {
  /** Tokens whose signature and claims were verified, with their exp (seconds), oldest first. */
  private readonly verified = new Map<string, number>();

  constructor(
    @Inject(PARTNER_JWT) private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  issue(): PartnerTokenDto {
    return {
      access_token: this.jwt.sign({}),
      token_type: 'Bearer',
      expires_in: this.config.partner.tokenTtlSeconds,
    };
  }

  /** True for an unexpired token this service signed for transaction-sync; one without exp never is. */
  isValid(token: string): boolean {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const exp = this.verified.get(token);
    if (exp !== undefined) {
      if (nowSeconds < exp) return true;
      this.verified.delete(token);
      return false;
    }
    let claims: { exp?: unknown };
    try {
      claims = this.jwt.verify<{ exp?: unknown }>(token);
    } catch {
      return false;
    }
    if (typeof claims.exp !== 'number') return false;
    this.verified.set(token, claims.exp);
    if (this.verified.size > REMEMBERED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    return true;
  }
}
