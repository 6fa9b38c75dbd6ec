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

/**
 * Reads each variable with its default written once, collecting failures instead of stopping at the first.
 * A failed read returns a placeholder: the configuration is refused when any read failed, so it is never used.
 */
export class EnvReader {
  readonly errors: string[] = [];

  constructor(private readonly env: Env = {}) {}

  read<T>(parse: () => T, placeholder?: T): T {
    try {
      return parse();
    } catch (error) {
      if (error instanceof EnvError) {
        this.errors.push(error.message);
        return placeholder as T;
      }
      throw error;
    }
  }

  str(name: string, fallback?: string, maxLength?: number): string {
    return this.read(() => str(this.env, name, fallback, maxLength));
  }

  int(name: string, fallback: number, min: number, max: number): number {
    return this.read(() => int(this.env, name, fallback, min, max));
  }

  bool(name: string, fallback: boolean): boolean {
    return this.read(() => bool(this.env, name, fallback));
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    return this.read(() => oneOf(this.env, name, values, fallback));
  }

  url(name: string, protocols: string[], fallback?: string): string | undefined {
    return this.read(() => url(this.env, name, protocols, fallback));
  }
}
