// The fuzz campaign's second half: deliveries that are valid money carrying odd text, each re-sent in another
// spelling of the same transfer. Every one must be recorded (200) exactly once, and the re-spelt re-delivery
// answered as that transaction; order-system bodies with odd text must never answer 5xx.
import pg from 'pg';
import { API_KEY, BANK_ACCOUNT, callbackBody } from './lib.js';

type Rand = () => number;

// Where odd text hides: lone surrogates, NUL and other controls, zero-width and bidi marks, plus ordinary
// Vietnamese, emoji (surrogate pairs) and any BMP character.
const ALPHABET: Array<(rand: Rand) => string> = [
  (r) => String.fromCharCode(0xd800 + Math.floor(r() * 0x800)), // a lone surrogate, high or low
  () => '\u0000',
  (r) => String.fromCharCode(Math.floor(r() * 0x20)),
  (r) => pickOf(r, ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']),
  (r) =>
    pickOf(r, ['\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2069']),
  (r) => pickOf(r, ['ă', 'â', 'đ', 'ê', 'ô', 'ơ', 'ư', 'Ạ', 'ữ', ' ', 'a', 'Z', '9', '"', '\\']),
  () => '😀',
  (r) => String.fromCharCode(0x20 + Math.floor(r() * (0xd7ff - 0x20))),
];

function pickOf<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

export function randomText(rand: Rand, maxLength: number): string {
  let text = '';
  const length = 1 + Math.floor(rand() * maxLength);
  while (text.length < length) text += pickOf(rand, ALPHABET)(rand);
  return text.slice(0, maxLength);
}

// The same bank transfer as a bank or VietQR may spell it again.
const RESPELL: Array<(d: Record<string, unknown>) => Record<string, unknown>> = [
  (d) => ({ ...d, bankaccount: ` ${BANK_ACCOUNT}` }),
  (d) => ({ ...d, bankaccount: `${BANK_ACCOUNT.slice(0, 4)} ${BANK_ACCOUNT.slice(4)}` }),
  (d) => ({ ...d, bankaccount: `${BANK_ACCOUNT.slice(0, 4)}-${BANK_ACCOUNT.slice(4)}` }),
  (d) => ({ ...d, bankaccount: `${BANK_ACCOUNT} ` }),
  (d) => ({ ...d, referencenumber: String(d.referencenumber).toLowerCase() }),
  (d) => ({ ...d, referencenumber: `${String(d.referencenumber)} ` }),
  (d) => ({ ...d, referencenumber: '' }),
  (d) => ({ ...d, referencenumber: `${String(d.referencenumber)}-OTHER` }),
];

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: null };
  }
}

const refOf = (a: Answer) => (a.body?.object as { reftransactionid?: string } | undefined)?.reftransactionid;

export async function runTextCampaign(
  baseUrl: string,
  token: string,
  databaseUrl: string,
  rand: Rand,
  count = 60,
): Promise<{ cases: number; failures: string[] }> {
  const failures: string[] = [];
  const sync = `${baseUrl}/vqr/bank/api/transaction-sync`;
  const auth = { authorization: `Bearer ${token}` };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const ledger = async () =>
    Number((await client.query(`SELECT count(*) AS n FROM bank_transaction`)).rows[0].n);
  try {
    const before = await ledger();
    let cases = 0;
    for (let i = 0; i < count; i++) {
      const delivery = {
        ...callbackBody({
          reference: `FTTEXT${String(i).padStart(6, '0')}`,
          amount: 1000 + i,
          orderId: randomText(rand, 40),
          content: randomText(rand, 200),
        }),
        sign: randomText(rand, 30),
        terminalCode: randomText(rand, 20),
        urlLink: randomText(rand, 50),
      };
      const first = await post(sync, auth, JSON.stringify(delivery));
      const again = await post(sync, auth, JSON.stringify(pickOf(rand, RESPELL)(delivery)));
      cases += 2;
      if (first.status !== 200 || first.body?.toastMessage !== 'Transaction recorded')
        failures.push(`odd text #${i}: first delivery ${first.status} ${JSON.stringify(first.body)}`);
      else if (
        again.status !== 200 ||
        refOf(again) !== refOf(first) ||
        again.body?.toastMessage !== 'Transaction already recorded'
      )
        failures.push(`odd text #${i}: re-spelt re-delivery ${again.status} ${JSON.stringify(again.body)}`);
    }
    const recorded = (await ledger()) - before;
    if (recorded !== count)
      failures.push(`odd text: ${count} transfers sent, ${recorded} ledger rows written`);

    for (let i = 0; i < 40; i++) {
      const body = JSON.stringify({
        orderId: `fuzz-text-${i}-${randomText(rand, 10)}`,
        amount: 1000,
        description: randomText(rand, 60),
        metadata: { [randomText(rand, 8)]: randomText(rand, 30) },
      });
      const answer = await post(`${baseUrl}/api/v1/payments`, { 'x-api-key': API_KEY }, body);
      cases += 1;
      if (answer.status >= 500 || answer.status === 0)
        failures.push(`payments odd text #${i}: status ${answer.status} ${JSON.stringify(answer.body)}`);
      else if (answer.status >= 400 && typeof answer.body?.code !== 'string')
        failures.push(`payments odd text #${i}: ${answer.status} without a coded body`);
    }
    return { cases, failures };
  } finally {
    await client.end();
  }
}
