import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Reads ./.env (when there is one) into process.env, as `.env.example` invites: a variable already set in the
 * real environment wins over the file. Returns the path read, if any.
 */
export function loadDotEnv(path = '.env'): string | undefined {
  const file = resolve(path);
  if (!existsSync(file)) return undefined;
  const values = parseEnv(readFileSync(file, 'utf8'));
  for (const [name, value] of Object.entries(values)) {
    if (process.env[name] === undefined && value !== undefined) process.env[name] = value;
  }
  return file;
}
