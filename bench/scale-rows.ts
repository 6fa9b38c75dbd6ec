// The COPY lines (text format) of each table the scale bench loads, from the events of the walk
// (scale-data.ts), in the shape the service itself writes: columns as the migrations leave them, the actor
// and reasons the credit path records, one outbox event per payment outcome and one delivery per event.
import {
  checkoutToken,
  DataSpec,
  Event,
  LedgerRow,
  LedgerStatus,
  Payment,
  TABLE,
  unit,
  uuidOf,
} from './scale-data.js';
import { at, cols, line } from './scale-copy-text.js';
import { reconcileChecks } from './scale-reconcile-rows.js';
import { eventsOf, late } from './scale-events.js';
import { attempts, deliveries } from './scale-webhook-rows.js';

export interface TableRows {
  table: string;
  columns: string[];
  /** The ledger rows this table needs made (the walk only counts the others). */
  wanted: (status: LedgerStatus) => boolean;
  rows(e: Event): string;
}

const none = () => false;

function payment(spec: DataSpec): TableRows {
  return {
    table: 'payment',
    wanted: none,
    columns: cols(
      `id client_id order_id code amount amount_paid status description metadata expires_at qr_provider qr_content qr_trace_id qr_code qr_link qr_transaction_ref_id bank_code bank_account account_name created_at updated_at checkout_token locale`,
    ),
    rows(e) {
      if (e.kind !== 'payment') return '';
      const p = e.p;
      const vietqr = p.traceId !== null;
      // About the length of a NAPAS payload for this account, amount and code.
      const qr = `00020101021238540010A00000072701240006970422011${spec.bankAccount}0208QRIBFTTA5303704540${String(p.amount).length}${p.amount}5802VN62170813${p.code}6304${p.code.slice(-4)}`;
      return line([
        p.id,
        spec.clientId,
        p.orderId,
        p.code,
        p.amount,
        p.amountPaid,
        p.status,
        `Don hang ${p.orderId}`,
        null,
        at(p.expiresAt),
        vietqr ? 'vietqr' : 'local',
        p.code,
        p.traceId,
        qr,
        vietqr ? `https://vietqr.example/qr/${p.traceId}` : null,
        vietqr ? p.traceId!.toLowerCase() : null,
        'MB',
        spec.bankAccount,
        'NGUYEN VAN A',
        at(p.createdAt),
        at(p.updatedAt),
        checkoutToken(),
        'vi',
      ]);
    },
  };
}

const paidStatus = (p: Payment, paid: number) =>
  paid < p.amount ? 'PARTIALLY_PAID' : paid === p.amount ? 'PAID' : 'OVERPAID';

function history(spec: DataSpec): TableRows {
  return {
    table: 'payment_history',
    wanted: late,
    columns: cols(`payment_id from_status to_status amount_paid actor reason bank_transaction_id created_at`),
    rows(e) {
      if (e.kind === 'ledger') {
        const t = e.t;
        if (t.status !== 'late') return '';
        const p = t.payment!;
        return line([
          p.id,
          p.status,
          p.status,
          p.amountPaid,
          'vietqr',
          'late_payment',
          t.id,
          at(t.receivedAt),
        ]);
      }
      const p = e.p;
      // A link names its ledger row by the counter the walk gave it: the ledger stream makes the same id.
      let out = line([p.id, null, 'PENDING', 0, 'client:bench', 'created', null, at(p.createdAt)]);
      let paid = 0;
      let status = 'PENDING';
      for (const link of p.links) {
        paid += link.amount;
        const next = paidStatus(p, paid);
        out += line([
          p.id,
          status,
          next,
          paid,
          'vietqr',
          'credit',
          uuidOf(TABLE.ledger, spec.tag, link.counter, link.at),
          at(link.at),
        ]);
        status = next;
      }
      if (p.status === 'EXPIRED')
        out += line([p.id, status, 'EXPIRED', paid, 'sweeper', 'expired', null, at(p.expiresAt)]);
      if (p.status === 'CANCELLED')
        out += line([p.id, status, 'CANCELLED', 0, 'client:bench', 'cancelled', null, at(p.updatedAt)]);
      return out;
    },
  };
}

function links(spec: DataSpec): TableRows {
  return {
    table: 'payment_transaction',
    wanted: (status) => status === 'linked' || status === 'late',
    columns: cols(
      `bank_transaction_id payment_id reference amount content bank_account late paid_at received_at linked_at linked_by`,
    ),
    rows(e) {
      if (e.kind !== 'ledger' || (e.t.status !== 'linked' && e.t.status !== 'late')) return '';
      const t = e.t;
      const time = at(t.receivedAt);
      return line([
        t.id,
        t.payment!.id,
        t.reference,
        t.amount,
        t.content,
        spec.bankAccount,
        t.status === 'late',
        at(t.receivedAt - 2000),
        time,
        time,
        'vietqr',
      ]);
    },
  };
}

function ledger(spec: DataSpec): TableRows {
  return {
    table: 'bank_transaction',
    wanted: () => true,
    columns: cols(
      `id reference trans_type bank_account amount content transaction_id reference_number order_id transaction_time raw_body received_at status unmatched_reason payment_id client_id conflict_of dismissed_at dismissed_by dismissal_note reference_key account_key arrived_via`,
    ),
    rows(e) {
      if (e.kind !== 'ledger') return '';
      const t: LedgerRow = e.t;
      const paid = t.status === 'linked' || t.status === 'late';
      const orderId = paid ? t.payment!.code : null;
      const time = t.receivedAt - 2000;
      const raw = `{"transactionid":"${t.reference.toLowerCase()}","transactiontime":${time},"referencenumber":"${t.reference}","amount":${t.amount},"content":"${t.content}","bankaccount":"${spec.bankAccount}","transType":"${t.transType}","orderId":"${orderId ?? ''}","sign":"","terminalCode":"","subTerminalCode":"","serviceCode":"","urlLink":""}`;
      const dismissed = t.status === 'dismissed';
      const reason =
        t.status === 'unmatched' || dismissed ? 'no_match' : t.status === 'ignored_debit' ? 'debit' : null;
      return line([
        t.id,
        t.reference,
        t.transType,
        spec.bankAccount,
        t.amount,
        t.content,
        t.reference.toLowerCase(),
        t.reference,
        orderId,
        at(time),
        raw,
        at(t.receivedAt),
        t.status,
        reason,
        paid ? t.payment!.id : null,
        paid ? spec.clientId : null,
        t.conflictOf,
        dismissed ? at(t.receivedAt + 86_400_000) : null,
        dismissed ? 'client:bench-ops' : null,
        dismissed ? 'Chuyen nham, da hoan lai' : null,
        t.reference,
        spec.bankAccount,
        unit(t.counter, 12) < 0.02 ? 'reconcile' : 'callback',
      ]);
    },
  };
}

function outbox(spec: DataSpec): TableRows {
  let n = 0;
  return {
    table: 'outbox_event',
    wanted: late,
    columns: cols(`id type client_id subject_id payload created_at dispatched_at request_id`),
    rows(e) {
      let out = '';
      for (const ev of eventsOf(e)) {
        const id = uuidOf(TABLE.event, spec.tag, n++, ev.at);
        const p = ev.p;
        const payload = `{"id":"${id}","type":"${ev.type}","createdAt":"${at(ev.at)}","data":{"payment":{"id":"${p.id}","orderId":"${p.orderId}","code":"${p.code}","amount":${p.amount},"amountPaid":${p.amountPaid},"currency":"VND","status":"${p.status}","expiresAt":"${at(p.expiresAt)}","createdAt":"${at(p.createdAt)}"}}}`;
        out += line([id, ev.type, spec.clientId, p.id, payload, at(ev.at), at(ev.at + 500), `req-${n}`]);
      }
      return out;
    },
  };
}

/** The tables in an order that keeps every foreign key satisfied as each COPY ends. */
export function tablesOf(spec: DataSpec): TableRows[] {
  return [
    payment(spec),
    history(spec),
    ledger(spec),
    links(spec),
    outbox(spec),
    deliveries(spec),
    attempts(spec),
    reconcileChecks(spec),
  ];
}
