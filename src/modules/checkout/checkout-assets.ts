import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CHECKOUT_JS } from './checkout-script.js';
import { CHECKOUT_CSS } from './checkout-style.js';

const ASSET_PREFIX = '/pay/assets';

/** The page's script, served under a content-hashed name so browsers may keep it for good. */
export const CHECKOUT_SCRIPT = (() => {
  const hash = createHash('sha256').update(CHECKOUT_JS).digest('hex').slice(0, 12);
  return {
    name: `checkout.${hash}.js`,
    url: `${ASSET_PREFIX}/checkout.${hash}.js`,
    body: Buffer.from(CHECKOUT_JS, 'utf8'),
    gzipped: gzipSync(CHECKOUT_JS, { level: 9 }),
  };
})();

export const PAGE_ASSETS = { css: CHECKOUT_CSS, scriptUrl: CHECKOUT_SCRIPT.url };

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * Headers of every checkout response. Nothing from another origin may load; scripts and styles only with
 * this response's nonce; the page may be framed only by CHECKOUT_FRAME_ANCESTORS; the URL (a bearer
 * token) never leaves in a Referer; nothing is cached, because the page changes with the payment.
 */
export function securityHeaders(
  nonce: string | null,
  frameAncestors: string[],
  // A form's redirect must be allowed too: the payer's cancel redirects to the merchant's cancelUrl.
  formTargets: string[] = [],
): Record<string, string> {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  const source = nonce ? `'nonce-${nonce}'` : "'none'";
  const headers: Record<string, string> = {
    'content-security-policy': [
      "default-src 'none'",
      `script-src ${source}`,
      `style-src ${source}`,
      "img-src 'self'",
      "connect-src 'self'",
      ["form-action 'self'", ...formTargets].join(' '),
      "base-uri 'none'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  if (frameAncestors.length === 0) headers['x-frame-options'] = 'DENY';
  return headers;
}
