import { crc16CcittFalse } from '../qr-orders/napas-payload.js';

// A NAPAS/EMVCo payload is a flat list of TLV fields (2-digit id, 2-digit length, value) closed by the CRC
// field 63. The checkout page shows a QR for the amount still due, so it rewrites the amount (54) of the
// stored payload and keeps everything else, the transfer content (62.08) included, so the bank still
// reports the code the payment is matched by.

interface Field {
  id: string;
  value: string;
}

function parse(payload: string): Field[] | null {
  const fields: Field[] = [];
  let i = 0;
  while (i < payload.length) {
    const id = payload.slice(i, i + 2);
    const length = Number(payload.slice(i + 2, i + 4));
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(payload.slice(i + 2, i + 4))) return null;
    const value = payload.slice(i + 4, i + 4 + length);
    if (value.length !== length) return null;
    fields.push({ id, value });
    i += 4 + length;
  }
  return fields;
}

const tlv = (f: Field) => `${f.id}${String(f.value.length).padStart(2, '0')}${f.value}`;

/** The payload asking for `amount` VND instead; null when the stored payload is not a readable TLV list. */
export function payloadForAmount(payload: string, amount: number): string | null {
  if (!Number.isSafeInteger(amount) || amount <= 0 || String(amount).length > 13) return null;
  const fields = parse(payload);
  if (!fields) return null;
  const kept = fields.filter((f) => f.id !== '63' && f.id !== '54');
  // The amount goes after the currency (53), as the EMVCo order of ids puts it.
  const at = kept.findIndex((f) => Number(f.id) > 54);
  kept.splice(at === -1 ? kept.length : at, 0, { id: '54', value: String(amount) });
  const body = kept.map(tlv).join('') + '6304';
  return body + crc16CcittFalse(body);
}
