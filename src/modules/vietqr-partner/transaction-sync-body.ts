import { storableText } from '../../common/text/storable-text.js';
import type { BankTransactionInput } from '../transaction-sync/bank-transaction-input.js';
import { PartnerErrorReason } from './partner-envelope.js';
import { deliveryRefused } from './partner.exception.js';

export type ParsedDelivery =
  { ok: true; value: BankTransactionInput } | { ok: false; reason: PartnerErrorReason; message: string };

export const MAX_AMOUNT = 10_000_000_000_000;

// Longest accepted value of each string field (characters), and the reason code of its errors.
export const FIELD_LIMITS = {
  transactionid: 100,
  referencenumber: 100,
  bankaccount: 64,
  content: 1000,
  orderId: 100,
  sign: 1000,
  terminalCode: 100,
  subTerminalCode: 100,
  serviceCode: 100,
  urlLink: 2048,
} as const;
type StringField = keyof typeof FIELD_LIMITS;

// VietQR's server sends the first spelling; its English docs show the second.
const SPELLINGS: Record<StringField | 'amount' | 'transType' | 'transactiontime', readonly string[]> = {
  transactionid: ['transactionid', 'transactionId'],
  referencenumber: ['referencenumber', 'referenceNumber'],
  bankaccount: ['bankaccount', 'bankAccount'],
  content: ['content'],
  orderId: ['orderId', 'orderid'],
  sign: ['sign'],
  terminalCode: ['terminalCode', 'terminalcode'],
  subTerminalCode: ['subTerminalCode', 'subterminalcode'],
  serviceCode: ['serviceCode', 'servicecode'],
  urlLink: ['urlLink', 'urllink'],
  amount: ['amount'],
  transType: ['transType', 'transtype'],
  transactiontime: ['transactiontime', 'transactionTime'],
};

const REASONS: Record<StringField, PartnerErrorReason> = {
  transactionid: PartnerErrorReason.InvalidTransactionId,
  referencenumber: PartnerErrorReason.InvalidReference,
  bankaccount: PartnerErrorReason.InvalidBankAccount,
  content: PartnerErrorReason.InvalidContent,
  orderId: PartnerErrorReason.InvalidOptionalField,
  sign: PartnerErrorReason.InvalidOptionalField,
  terminalCode: PartnerErrorReason.InvalidOptionalField,
  subTerminalCode: PartnerErrorReason.InvalidOptionalField,
  serviceCode: PartnerErrorReason.InvalidOptionalField,
  urlLink: PartnerErrorReason.InvalidOptionalField,
};

class Rejection extends Error {
  constructor(
    readonly reason: PartnerErrorReason,
    message: string,
  ) {
    super(message);
  }
}

function pick(body: Record<string, unknown>, field: keyof typeof SPELLINGS): unknown {
  for (const key of SPELLINGS[field]) {
    const value = body[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/**
 * A string field: "", null and absent are all "not given" (null); a number is taken as its decimal text.
 * Text PostgreSQL cannot hold (NUL, lone surrogates) becomes U+FFFD: the raw body keeps the original, and a
 * transfer is never refused for the text it carries.
 */
function text(body: Record<string, unknown>, field: StringField): string | null {
  const value = pick(body, field);
  if (value === undefined || value === '') return null;
  let result: string;
  if (typeof value === 'string') result = value;
  else if (typeof value === 'number' && Number.isFinite(value)) result = String(value);
  else throw new Rejection(REASONS[field], `${field} must be a string`);
  if (result.length > FIELD_LIMITS[field]) {
    throw new Rejection(REASONS[field], `${field} must be at most ${FIELD_LIMITS[field]} characters`);
  }
  return storableText(result);
}

/** References compare trimmed and upper-cased: banks and VietQR re-send them in other cases. */
export function normaliseReference(reference: string | null): string | null {
  const key = reference?.trim().toUpperCase();
  return key ? key : null;
}

function blankAsNull(value: string | null): string | null {
  return value !== null && value.trim() !== '' ? value : null;
}

/** Accounts compare by their letters and digits: " 0123-456 789" is 0123456789. */
export function normaliseAccount(account: string): string {
  return account.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

function required(body: Record<string, unknown>, field: StringField): string {
  const value = text(body, field);
  if (value === null) throw new Rejection(REASONS[field], `${field} is required`);
  return value;
}

function amountOf(body: Record<string, unknown>): number {
  const value = pick(body, 'amount');
  const reject = (message: string) => new Rejection(PartnerErrorReason.InvalidAmount, message);
  let amount: number;
  if (value === undefined || value === '') throw reject('amount is required');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw reject('amount must be a number');
    if (!Number.isInteger(value)) throw reject('amount must be a whole number of VND');
    amount = value;
  } else if (typeof value === 'string' && /^[0-9]{1,20}(\.0*)?$/.test(value)) {
    amount = Number(value.split('.')[0]);
  } else if (typeof value === 'string' && /^[0-9]{1,20}\.[0-9]+$/.test(value)) {
    throw reject('amount must be a whole number of VND');
  } else {
    throw reject('amount must be a positive whole number of VND');
  }
  if (amount <= 0) throw reject('amount must be positive');
  if (amount > MAX_AMOUNT) throw reject(`amount must be at most ${MAX_AMOUNT}`);
  return amount;
}

function transTypeOf(body: Record<string, unknown>): 'C' | 'D' {
  const value = pick(body, 'transType');
  if (value === 'C' || value === 'D') return value;
  throw new Rejection(
    PartnerErrorReason.InvalidTransType,
    value === undefined || value === '' ? 'transType is required' : 'transType must be "C" or "D"',
  );
}

const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

// Epoch milliseconds in the classic flow, seconds in VietQR's newer one: told apart by magnitude. An
// unreadable time is stored as null (the raw body keeps it): money that arrived is not refused for it.
function timeOf(body: Record<string, unknown>): Date | null {
  const value = pick(body, 'transactiontime');
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^[0-9]{1,16}$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n) || n <= 0) return null;
  const ms = n >= 1e11 ? n : n * 1000;
  return ms < EARLIEST || ms > LATEST ? null : new Date(Math.round(ms));
}

/**
 * Validates and normalises a parsed transaction-sync body. Unknown keys are ignored (VietQR adds fields
 * over time); what is refused can never succeed, so it is answered with 400 and VietQR does not re-send.
 */
export function parseDelivery(body: unknown): ParsedDelivery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: PartnerErrorReason.InvalidBody, message: 'Body must be a JSON object' };
  }
  const b = body as Record<string, unknown>;
  try {
    const bankAccount = required(b, 'bankaccount');
    const accountKey = normaliseAccount(bankAccount);
    if (accountKey === '') {
      throw new Rejection(PartnerErrorReason.InvalidBankAccount, 'bankaccount must hold letters or digits');
    }
    const amount = amountOf(b);
    const contentValue = pick(b, 'content');
    // An empty content is a real transfer without a note; only a missing one is refused.
    const content = contentValue === '' ? '' : required(b, 'content');
    const transType = transTypeOf(b);
    const referenceNumber = blankAsNull(text(b, 'referencenumber'));
    const transactionId = blankAsNull(text(b, 'transactionid'));
    const reference = referenceNumber ?? transactionId;
    const referenceKey = normaliseReference(reference);
    if (reference === null || referenceKey === null) {
      throw new Rejection(
        PartnerErrorReason.InvalidReference,
        'referencenumber or transactionid is required',
      );
    }
    return {
      ok: true,
      value: {
        reference,
        referenceKey,
        referenceNumber,
        transactionId,
        amount,
        content,
        bankAccount,
        accountKey,
        transType,
        transactionTime: timeOf(b),
        orderId: text(b, 'orderId'),
        sign: text(b, 'sign'),
        terminalCode: text(b, 'terminalCode'),
        subTerminalCode: text(b, 'subTerminalCode'),
        serviceCode: text(b, 'serviceCode'),
        urlLink: text(b, 'urlLink'),
      },
    };
  } catch (error) {
    if (error instanceof Rejection) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}

/** The delivery normalised, or the 400 (in VietQR's envelope under the prefix) that refuses it. */
export function readDelivery(body: unknown): BankTransactionInput {
  const parsed = parseDelivery(body);
  if (!parsed.ok) throw deliveryRefused(parsed.reason, parsed.message);
  return parsed.value;
}
