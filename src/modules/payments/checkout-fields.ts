// What a payment carries for the payer's hosted checkout page (the checkout module renders it).

export const CHECKOUT_LOCALES = ['vi', 'en'] as const;
export type CheckoutLocale = (typeof CHECKOUT_LOCALES)[number];

export const MAX_REDIRECT_URL_LENGTH = 2048;

/** The path of a payment's checkout page under PUBLIC_BASE_URL. */
export function checkoutPath(token: string): string {
  return `/pay/${token}`;
}

/** returnUrl/cancelUrl: an absolute http(s) URL without credentials; https only in production. */
export function redirectUrlProblem(value: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use http or https';
  if (production && url.protocol !== 'https:') return 'must use https in production';
  if (url.username || url.password) return 'must not carry credentials';
  return null;
}
