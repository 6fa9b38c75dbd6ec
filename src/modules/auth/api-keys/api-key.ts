import { createHash, randomBytes } from 'node:crypto';

// Keys are 32 random bytes; only their SHA-256 is stored. A fast hash is right here: the key has 256 bits
// of entropy, so there is nothing for a slow hash to protect against, and it runs on every request.
export function generateApiKey(): string {
  return `vqg_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function keyPrefix(key: string): string {
  return key.slice(0, 8);
}
