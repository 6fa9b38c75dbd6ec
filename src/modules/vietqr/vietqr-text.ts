// Text rules of VietQR: ASCII without Vietnamese diacritics, and the "VQR" + 10-character trace id it puts in
// front of a dynamic QR's content.

/** "Nguyễn Văn Đức" -> "NGUYEN VAN DUC": what VietQR expects in userBankName. */
export function toBankName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

const TRACE_ID = /VQR[0-9A-Za-z]{10}/;

/**
 * The trace id in a transfer content, as VietQR finds it: '.' and '-' count as spaces, and the id may be
 * split across two tokens by the payer's bank. The "VQR" prefix is case-sensitive.
 */
export function findTraceId(content: string): string | null {
  const spaced = content.replace(/[.-]/g, ' ');
  const direct = TRACE_ID.exec(spaced);
  if (direct) return direct[0];
  const tokens = spaced.split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length - 1; i++) {
    const joined = TRACE_ID.exec(tokens[i] + tokens[i + 1]);
    if (joined && tokens[i].includes('VQR')) return joined[0];
  }
  return null;
}
