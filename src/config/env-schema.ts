// Small typed parsers for environment variables. Each returns a value or throws an EnvError naming the
// problem; the schema collects every failure so start-up reports all bad variables in one line.

export class EnvError extends Error {}

export type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function str(env: Env, name: string, fallback?: string, maxLength = 4096): string {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) throw new EnvError(`${name} is required`);
  if (value.length > maxLength) throw new EnvError(`${name} must be at most ${maxLength} characters`);
  return value;
}

export function optionalStr(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new EnvError(`${name} must be an integer, got "${value}"`);
  const parsed = Number(value);
  if (parsed < min || parsed > max) throw new EnvError(`${name} must be between ${min} and ${max}`);
  return parsed;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new EnvError(`${name} must be true or false, got "${value}"`);
}

export function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(values as readonly string[]).includes(value)) {
    throw new EnvError(`${name} must be one of ${values.join('|')}, got "${value}"`);
  }
  return value as T;
}

export function url(env: Env, name: string, protocols: string[], fallback?: string): string | undefined {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new EnvError(`${name} must be a URL`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new EnvError(`${name} must use ${protocols.join(' or ')}`);
  }
  return value.replace(/\/+$/, '');
}

/** Runs each parser, collecting failures instead of stopping at the first. */
export class EnvReader {
  readonly errors: string[] = [];

  read<T>(parse: () => T, fallback: T): T {
    try {
      return parse();
    } catch (error) {
      if (error instanceof EnvError) {
        this.errors.push(error.message);
        return fallback;
      }
      throw error;
    }
  }
}
