// Banking apps that open a transfer through VietQR.io's link gateway (vietqr-api.md §10). A snapshot shipped
// with the service: nothing is fetched at render time. Refresh it by hand from VietQR.io's published
// directories (api.vietqr.io/v2/android-app-deeplinks and /ios-app-deeplinks); keep the apps that pre-fill
// the transfer first.

export interface BankApp {
  /** VietQR.io's app id (lower case), not a BIN. */
  id: string;
  name: string;
  /** Opens with account, amount and content filled in; the others only open the app. */
  prefills: boolean;
}

export const BANK_APPS: readonly BankApp[] = [
  { id: 'mb', name: 'MB Bank', prefills: true },
  { id: 'bidv', name: 'BIDV SmartBanking', prefills: true },
  { id: 'icb', name: 'VietinBank iPay', prefills: true },
  { id: 'acb', name: 'ACB ONE', prefills: true },
  { id: 'ocb', name: 'OCB OMNI', prefills: true },
  { id: 'vcb', name: 'Vietcombank', prefills: false },
  { id: 'tcb', name: 'Techcombank', prefills: false },
  { id: 'vpb', name: 'VPBank NEO', prefills: false },
];

const DEEPLINK_BASE = 'https://dl.vietqr.io/pay';

export interface BankAppLink {
  app: string;
  name: string;
  prefills: boolean;
  url: string;
}

export interface TransferForLink {
  bankCode: string;
  bankAccount: string;
  /** Whole VND still due. */
  amount: number;
  /** The exact transfer content; it carries the code the payment is matched by. */
  content: string;
  /** Where the app sends the payer back (our checkout page); some apps pre-fill only when it is present. */
  returnUrl: string;
}

/** One link per app, in the shipped order. `ba` keeps its literal "@" and the bank code in lower case. */
export function bankAppLinks(transfer: TransferForLink): BankAppLink[] {
  const query =
    `ba=${encodeURIComponent(transfer.bankAccount)}@${encodeURIComponent(transfer.bankCode.toLowerCase())}` +
    `&am=${Math.trunc(transfer.amount)}&tn=${encodeURIComponent(transfer.content)}` +
    `&url=${encodeURIComponent(transfer.returnUrl)}`;
  return BANK_APPS.map((app) => ({
    app: app.id,
    name: app.name,
    prefills: app.prefills,
    url: `${DEEPLINK_BASE}?app=${app.id}&${query}`,
  }));
}
