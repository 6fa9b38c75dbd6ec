import { randomBytes } from 'node:crypto';
import { EnvError } from './env-schema.js';

// Variables that hold secrets: never logged, required in production, generated elsewhere.
export const SECRET_VARIABLES = [
  'VIETQR_PARTNER_PASSWORD',
  'VIETQR_PARTNER_TOKEN_SECRET',
  'VIETQR_API_PASSWORD',
  'API_KEYS',
  'OPERATOR_KEYS',
  'VIETQR_REFUND_SECRET_KEY',
] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

export function generateSecret(name: SecretVariable): string {
  if (name === 'API_KEYS') return `dev:${randomBytes(24).toString('base64url')}`;
  if (name === 'OPERATOR_KEYS') return `operator:${randomBytes(24).toString('base64url')}`;
  return randomBytes(32).toString('base64url');
}

/** Secrets and seeded keys shorter than this stop a production start. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

export function parseApiKeys(
  variable: 'API_KEYS' | 'OPERATOR_KEYS',
  value: string | undefined,
  minKeyLength: number,
): Array<{ name: string; key: string }> {
  if (!value) return [];
  return value.split(',').map((pair) => {
    const index = pair.indexOf(':');
    const name = pair.slice(0, index).trim();
    const key = pair.slice(index + 1).trim();
    if (index <= 0 || !/^[A-Za-z0-9_.-]{1,64}$/.test(name) || key.length < minKeyLength) {
      throw new EnvError(
        `${variable} must be name:key pairs separated by commas (names [A-Za-z0-9_.-], keys ${minKeyLength}+ chars)`,
      );
    }
    return { name, key };
  });
}
