// NAPAS 247 VietQR payload (EMVCo merchant-presented QR): TLV fields of a 2-digit id, a 2-digit length and
// the value, closed by a CRC-16/CCITT-FALSE over everything before it including the literal "6304".

const NAPAS_GUID = 'A000000727';
const SERVICE_TO_ACCOUNT = 'QRIBFTTA';

export interface NapasPayloadInput {
  /** The acquirer bank's 6-digit BIN, e.g. 970422 for MB. */
  bankBin: string;
  accountNumber: string;
  /** Whole VND; omitted for an open-amount (static) QR. */
  amount?: number;
  /** Transfer content (purpose of transaction, 62.08), ASCII. */
  purpose?: string;
  /**
   * Point of initiation (01): '11' static, '12' dynamic. Default: '12' with an amount, else '11'. VietQR's own
   * generator emits '11' even with an amount (vietqr-api.md §1.2), which its emulator reproduces.
   */
  pointOfInitiation?: '11' | '12';
}

function tlv(id: string, value: string): string {
  if (value.length > 99) throw new Error(`QR field ${id} is longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

export function crc16CcittFalse(data: string): string {
  let crc = 0xffff;
  for (let i = 0; i < data.length; i++) {
    crc ^= data.charCodeAt(i) << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export function buildNapasPayload(input: NapasPayloadInput): string {
  if (!/^\d{6}$/.test(input.bankBin)) throw new Error('bank BIN must be 6 digits');
  if (input.purpose !== undefined && !/^[\x20-\x7e]*$/.test(input.purpose)) {
    throw new Error('QR purpose must be printable ASCII');
  }
  const beneficiary = tlv('00', input.bankBin) + tlv('01', input.accountNumber);
  const merchantAccount = tlv('00', NAPAS_GUID) + tlv('01', beneficiary) + tlv('02', SERVICE_TO_ACCOUNT);
  const dynamic = input.amount !== undefined;
  let payload =
    tlv('00', '01') +
    tlv('01', input.pointOfInitiation ?? (dynamic ? '12' : '11')) +
    tlv('38', merchantAccount) +
    tlv('53', '704') +
    (dynamic ? tlv('54', String(input.amount)) : '') +
    tlv('58', 'VN');
  if (input.purpose) payload += tlv('62', tlv('08', input.purpose));
  payload += '6304';
  return payload + crc16CcittFalse(payload);
}
