import { createHash, randomBytes } from 'node:crypto';

const GENERATED_PREFIX = 'vqg_';

// Keys are 32 random bytes; only their SHA-256 is stored. A fast hash is right here: the key has 256 bits
// of entropy, so there is nothing for a slow hash to protect against, and it runs on every request.
export function generateApiKey(): string {
  return `${GENERATED_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The only part of a key kept in clear, so a person can tell keys apart: 4 characters (after our constant
 * vqg_ prefix, which tells nothing). Stored in api_client.key_prefix.
 */
export function keyHint(key: string): string {
  const body = key.startsWith(GENERATED_PREFIX) ? key.slice(GENERATED_PREFIX.length) : key;
  return body.slice(0, 4);
}
