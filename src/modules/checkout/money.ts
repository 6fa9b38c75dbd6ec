import type { CheckoutLocale } from '../payments/checkout-fields.js';

/** Whole VND the way payers read it: "150.000 ₫" in Vietnamese, "150,000 ₫" in English. */
export function formatVnd(amount: number, locale: CheckoutLocale): string {
  const separator = locale === 'vi' ? '.' : ',';
  return `${String(Math.trunc(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, separator)}\u00a0₫`;
}
