import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SECRET_VARIABLES, type SecretVariable } from './secrets-config.js';
import type { Env } from './env-schema.js';

const FILE = 'generated-secrets.json';

/**
 * Outside production, secrets the environment does not give are made up once and kept in DATA_DIR, so a
 * zero-config restart keeps the same API key and partner credentials.
 */
export function withPersistedSecrets(env: Env): Env {
  const path = join(resolve(env.DATA_DIR?.trim() || './.data'), FILE);
  if (!existsSync(path)) return env;
  const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<SecretVariable, string>>;
  const merged: Env = { ...env };
  for (const name of SECRET_VARIABLES) {
    if (!merged[name]?.trim() && saved[name]) merged[name] = saved[name];
  }
  return merged;
}

export function persistGeneratedSecrets(
  dataDir: string,
  generated: Partial<Record<SecretVariable, string>>,
): string {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, FILE);
  const existing = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
  writeFileSync(path, JSON.stringify({ ...existing, ...generated }, null, 2), { mode: 0o600 });
  return path;
}
