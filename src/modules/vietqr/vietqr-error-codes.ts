// VietQR's API error codes (vietqr-api.md §4 and §1.2) and what they mean, so an upstream failure can be
// reported as "E24: no bank found for the given bankCode" rather than a bare code.

export const VIETQR_ERROR_MEANINGS: Readonly<Record<string, string>> = {
  E02: 'Invalid amount',
  E03: 'Invalid transaction type (transType)',
  E05: 'Unknown error',
  E09: 'Invalid content',
  E10: 'Invalid account number',
  E24: 'No bank found for the given bankCode',
  E26: 'Content too long',
  E34: 'Invalid input in the MB flow (content over 19 characters, orderId over 13, or not alphanumeric)',
  E35: 'MB terminal for this account not found',
  E36: 'Bank account not found in VietQR',
  E39: 'Invalid checkSum',
  E41: 'Invalid checksum',
  E42: 'Partner account has no refund permission',
  E43: 'Refund failed',
  E44: 'referenceNumber does not exist',
  E45: 'Invalid refund amount',
  E46: 'Invalid request body or parameter',
  E51: 'Invalid bankCode',
  E58: 'Incorrect type',
  E67: 'User information not found',
  E74: 'Invalid token',
  E75: 'Test callback service not available (production)',
  E76: 'Partner not registered',
  E77: 'Bank account does not belong to the partner',
  E95: 'Invalid type in request body',
  E96: 'Corresponding transaction not found',
  E97: 'Invalid refId',
  E104: 'Agent or merchant registration not found',
  E157: 'Already refunded and multiTimes not allowed',
  E158: 'A request is already being processed',
  E164: 'Terminal or sub-terminal mismatch',
  E215: 'Bank connection timeout',
  E216: 'Account or card invalid',
  E217: 'Beneficiary bank not in service',
  E218: 'Record missing',
};

/** Splits VietQR's message ("E46", "E05 - partner said no") into its code and the rest. */
export function parseVietQrMessage(message: string): { code: string | null; rest: string } {
  const match = /^\s*(E\d{2,3})\b\s*(?:-\s*)?([\s\S]*)$/.exec(message);
  if (!match) return { code: null, rest: message.trim() };
  return { code: match[1], rest: match[2].trim() };
}

export function meaningOf(code: string | null): string {
  if (code === null) return 'Unexpected answer';
  return VIETQR_ERROR_MEANINGS[code] ?? 'Error code not in the published table';
}
