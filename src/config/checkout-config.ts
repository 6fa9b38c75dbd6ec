import { EnvError } from './env-schema.js';

/** CHECKOUT_FRAME_ANCESTORS: the origins allowed to frame the checkout page (https only in production). */
export function parseOrigins(value: string, production: boolean): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      let origin: URL;
      try {
        origin = new URL(part);
      } catch {
        throw new EnvError('CHECKOUT_FRAME_ANCESTORS must be origins like https://shop.example.com');
      }
      const allowed = production ? ['https:'] : ['https:', 'http:'];
      if (!allowed.includes(origin.protocol) || origin.origin !== part.replace(/\/$/, '')) {
        throw new EnvError(
          `CHECKOUT_FRAME_ANCESTORS must be ${production ? 'https ' : ''}origins (scheme://host[:port]), got "${part}"`,
        );
      }
      return origin.origin;
    });
}
