import { createHash, timingSafeEqual } from 'node:crypto';

export interface BasicCredentials {
  username: string;
  password: string;
}

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/** Reads `Authorization: Basic base64(user:password)`; null when missing or malformed. */
export function parseBasicAuthorization(header: string | string[] | undefined): BasicCredentials | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || value.length > 1024) return null;
  const match = BASIC.exec(value);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares offered credentials with the configured pair in constant time: both sides are SHA-256 digests
 * of equal length, so neither the length nor the first differing byte of the secret leaks through timing.
 */
export class CredentialsMatcher {
  private readonly username: Buffer;
  private readonly password: Buffer;

  constructor(expected: BasicCredentials) {
    this.username = digest(expected.username);
    this.password = digest(expected.password);
  }

  matches(offered: BasicCredentials): boolean {
    const user = timingSafeEqual(digest(offered.username), this.username);
    const password = timingSafeEqual(digest(offered.password), this.password);
    // Both compared every time, so a right username is not told apart from a wrong one.
    return user && password;
  }
}
