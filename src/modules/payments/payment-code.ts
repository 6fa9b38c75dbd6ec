import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const PAYMENT_CODE_PREFIX = 'PAY';
const RANDOM_LENGTH = 10;

/**
 * Our payment code: "PAY" + 10 random A-Z0-9 characters (13 in all, VietQR's orderId limit). It is the
 * transfer content of local QRs and VietQR's orderId, so banks carry it back to us.
 */
export function newPaymentCode(): string {
  let code = PAYMENT_CODE_PREFIX;
  for (let i = 0; i < RANDOM_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

// Banks upper- or lower-case the content and insert spaces, dots, dashes and other separators, or split a
// token in two; so we look for our tokens in the content with everything but A-Z0-9 removed.
const CANDIDATE = /(?=((?:VQR|PAY)[0-9A-Z]{10}))/g;
const MAX_CANDIDATES = 16;

export function normaliseContent(content: string): string {
  return content.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * VietQR trace ids ("VQR" + 10) and payment codes ("PAY" + 10) found in a transfer content, upper-cased,
 * in order of appearance. Overlapping matches are kept: a glued prefix must not hide the real token.
 */
export function contentCandidates(content: string): string[] {
  const found: string[] = [];
  for (const match of normaliseContent(content).matchAll(CANDIDATE)) {
    if (!found.includes(match[1])) found.push(match[1]);
    if (found.length >= MAX_CANDIDATES) break;
  }
  return found;
}
