import { Injectable } from '@nestjs/common';

// The emulator keeps VietQR's side in memory: it forgets everything on restart, as a sandbox may.
const MAX_ENTRIES = 50_000;

export interface SandboxQr {
  traceId: string;
  orderId: string;
  amount: number | null;
  content: string;
  bankAccount: string;
  transType: 'C' | 'D';
  sign: string;
  urlLink: string;
  terminalCode: string;
  subTerminalCode: string;
  serviceCode: string;
  note: string;
  qrType: number;
  /** The pending transaction VietQR creates with a dynamic QR; null for static ones. */
  transaction: SandboxTransaction | null;
}

export interface SandboxTransaction {
  referenceNumber: string;
  orderId: string;
  amount: number;
  content: string;
  bankAccount: string;
  transType: string;
  /** 0 pending, 1 paid, 2 cancelled/expired. */
  status: number;
  /** 0 dynamic VietQR, 1 static, 2 outside VietQR. */
  type: number;
  /** Epoch ms. */
  timeCreated: number;
  timePaid: number;
  terminalCode: string;
  note: string;
  /** Refunds of this (credit) transaction so far, and their total. */
  refundCount?: number;
  amountRefunded?: number;
  /** Set by the first refund: whether later partial refunds are allowed (E157 otherwise). */
  multiTimes?: boolean;
  /** Epoch ms until which a refund request on this transaction is refused with E158. */
  refundLockUntil?: number;
}

/** Test knob for the next refund request: answer an error code, or hold the answer (a lost answer). */
export interface SandboxRefundRule {
  /** Refuse with this VietQR code (E43, E45, …) after the checksum check, refunding nothing. */
  failWith?: string;
  /** Hold the answer this long; with a client timeout shorter than this, its answer is lost. */
  delayMs?: number;
  /** With delayMs: refund before holding the answer (default true), or refund nothing. */
  apply?: boolean;
}

export interface SandboxStats {
  tokenRequests: number;
  generateRequests: number;
  /** Business calls refused with 403 (missing, bad or expired Bearer). */
  refusedBearer: number;
  testCallbacks: number;
  /** Attempts to deliver a callback to the partner (token + transaction-sync), retries included. */
  deliveryAttempts: number;
  checkOrders: number;
  /** Refund requests received (any outcome), and those that refunded money. */
  refundRequests: number;
  refundsApplied: number;
}

@Injectable()
export class SandboxState {
  readonly stats: SandboxStats = {
    tokenRequests: 0,
    generateRequests: 0,
    refusedBearer: 0,
    testCallbacks: 0,
    deliveryAttempts: 0,
    checkOrders: 0,
    refundRequests: 0,
    refundsApplied: 0,
  };
  /** Rules for the next refund requests, first in first used. */
  readonly refundRules: SandboxRefundRule[] = [];
  /** token -> who it was issued to and when it expires (epoch ms). */
  readonly tokens = new Map<string, { username: string; expiresAt: number }>();
  readonly qrsByTraceId = new Map<string, SandboxQr>();
  readonly transactionsByOrderId = new Map<string, SandboxTransaction[]>();
  readonly transactionsByReference = new Map<string, SandboxTransaction>();
  /** Accounts the merchant has used; others are E77 on test-callback and check-order. */
  readonly accounts = new Set<string>();

  /** Test hook: every token issued so far stops working, as if 300 s had passed. */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** Test hook: the next refund request follows this rule (rules queue up). */
  nextRefund(rule: SandboxRefundRule): void {
    this.refundRules.push(rule);
  }

  addToken(token: string, username: string, expiresAt: number): void {
    const now = Date.now();
    if (this.tokens.size >= MAX_ENTRIES) {
      for (const [value, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(value);
    }
    this.tokens.set(token, { username, expiresAt });
  }

  addQr(qr: SandboxQr): void {
    evictOldest(this.qrsByTraceId);
    this.qrsByTraceId.set(qr.traceId, qr);
    if (qr.transaction) this.indexTransaction(qr.transaction);
  }

  indexTransaction(transaction: SandboxTransaction): void {
    if (transaction.orderId) {
      evictOldest(this.transactionsByOrderId);
      const list = this.transactionsByOrderId.get(transaction.orderId) ?? [];
      if (!list.includes(transaction)) list.push(transaction);
      this.transactionsByOrderId.set(transaction.orderId, list);
    }
    if (transaction.referenceNumber) {
      evictOldest(this.transactionsByReference);
      this.transactionsByReference.set(transaction.referenceNumber, transaction);
    }
  }
}

function evictOldest<K, V>(map: Map<K, V>): void {
  if (map.size < MAX_ENTRIES) return;
  const oldest = map.keys().next();
  if (!oldest.done) map.delete(oldest.value);
}
