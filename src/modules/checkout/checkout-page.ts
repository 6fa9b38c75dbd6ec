import { findBank } from '../vietqr/banks.js';
import type { CheckoutLocale } from '../payments/checkout-fields.js';
import type { CheckoutView } from '../payments/payment-checkout.service.js';
import type { CheckoutStateDto } from './checkout-state.dto.js';
import { type CheckoutStrings, fill, stringsFor } from './checkout-i18n.js';
import { isFinal } from './checkout.service.js';
import { esc, jsonAttr } from './html.js';
import { formatVnd } from './money.js';

// Redirect delays (seconds) once the payment reached a final state: long enough to read the message.
export const REDIRECT_DELAY_SECONDS = { paid: 3, other: 6 } as const;
// Without JavaScript an open page reloads itself this often (seconds) to show a new status.
const NO_SCRIPT_REFRESH_SECONDS = 15;

export interface PageAssets {
  css: string;
  scriptUrl: string;
}

export interface CheckoutPageInput {
  view: CheckoutView;
  state: CheckoutStateDto;
  locale: CheckoutLocale;
  merchantName: string;
  qrSvg: string | null;
  nonce: string;
  assets: PageAssets;
  /** Origins allowed to frame the page: the script posts the status to the parent on those. */
  frameAncestors: string[];
  now: Date;
}

function layout(
  s: CheckoutStrings,
  nonce: string,
  assets: PageAssets,
  title: string,
  body: string,
  head = '',
): string {
  return `<!doctype html>
<html lang="${s.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${esc(title)}</title>
${head}<style nonce="${esc(nonce)}">${assets.css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function remaining(expiresAt: Date, now: Date): string {
  const total = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

// Formatters are costly to build: one per locale, for the payer's own time zone.
const TIME_FORMATS: Record<CheckoutLocale, Intl.DateTimeFormat> = {
  vi: timeFormat('vi-VN'),
  en: timeFormat('en-GB'),
};

function timeFormat(tag: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(tag, {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
}

function localTime(at: Date, locale: CheckoutLocale): string {
  return TIME_FORMATS[locale].format(at);
}

function copyRow(s: CheckoutStrings, label: string, id: string, value: string, copyValue = value): string {
  return `<div class="row"><dt>${esc(label)}</dt><dd><span class="v" id="${id}">${esc(value)}</span><button type="button" class="copy" data-copy="${esc(copyValue)}" data-for="${id}" aria-label="${esc(fill(s.copyLabel, { what: label.toLowerCase() }))}" hidden>${esc(s.copy)}</button></dd></div>`;
}

function bankLabel(code: string | null): string {
  const bank = code ? findBank(code) : undefined;
  return bank ? `${bank.shortName} (${bank.name})` : (code ?? '');
}

function langLink(s: CheckoutStrings, path: string): string {
  return `<a class="lang" href="${esc(path)}?lang=${s.otherLanguageCode}" lang="${s.otherLanguageCode}" hreflang="${s.otherLanguageCode}">${esc(s.otherLanguage)}</a>`;
}

export function renderCheckoutPage(input: CheckoutPageInput): string {
  const { view, state, locale, nonce, assets } = input;
  const s = stringsFor(locale);
  const path = new URL(view.checkoutUrl).pathname;
  const final = isFinal(state.status);
  const due = formatVnd(state.amountDue, locale);
  const showPay = !final && input.qrSvg !== null && view.bankAccount !== null;
  const partial = state.status === 'PARTIALLY_PAID';
  const finalKey = final ? (state.status as keyof CheckoutStrings['finalNotice']) : null;

  let head = `<script nonce="${esc(nonce)}" src="${esc(assets.scriptUrl)}" defer></script>\n`;
  if (!final)
    head += `<noscript><meta http-equiv="refresh" content="${NO_SCRIPT_REFRESH_SECONDS}"></noscript>\n`;
  if (final && state.redirectUrl) {
    const delay = state.status === 'PAID' ? REDIRECT_DELAY_SECONDS.paid : REDIRECT_DELAY_SECONDS.other;
    head += `<meta http-equiv="refresh" content="${delay};url=${esc(state.redirectUrl)}">\n`;
  }

  const script = {
    state,
    paths: { events: `${path}/events`, status: `${path}/status`, qr: `${path}/qr.svg` },
    locale,
    parents: input.frameAncestors,
    delays: REDIRECT_DELAY_SECONDS,
    t: {
      status: s.status,
      finalNotice: s.finalNotice,
      received: s.received,
      copied: s.copied,
      copy: s.copy,
      qrAlt: s.qrAlt,
      redirecting: s.redirecting,
      orderAmount: s.orderAmount,
      amountDue: s.amountDue,
    },
  };

  const qr = showPay
    ? `<div class="qr" id="qr" role="img" aria-label="${esc(fill(s.qrAlt, { amount: due }))}">${input.qrSvg!.replace('<svg ', '<svg aria-hidden="true" focusable="false" ')}</div>`
    : '';
  const apps =
    showPay && view.deeplinks.length > 0
      ? `<details class="apps" id="apps" open><summary>${esc(s.openApp)}</summary><ul>${view.deeplinks
          .map(
            (l) =>
              `<li><a href="${esc(l.url)}" rel="noopener noreferrer">${esc(l.name)}${l.prefills ? ` <span class="tag">${esc(s.prefills)}</span>` : ''}</a></li>`,
          )
          .join('')}</ul><p class="hint">${esc(s.appsHint)}</p></details>`
      : '';
  const cancel =
    showPay && view.cancelUrl && state.status === 'PENDING'
      ? `<p class="cancel" id="cancel"><a href="${esc(path)}/cancel?lang=${locale}">${esc(s.cancel)}</a></p>`
      : '';
  const pay = showPay
    ? `<section id="pay" aria-label="${esc(s.scanHint)}">
<p class="notice" id="partial"${partial ? '' : ' hidden'}>${esc(s.partialNotice)}</p>
<figure>${qr}<figcaption>${esc(s.scanHint)}</figcaption></figure>
<p class="expiry">${esc(s.expiresIn)} <time id="countdown" datetime="${esc(state.expiresAt)}">${remaining(view.expiresAt, input.now)}</time><br><span class="muted">${esc(fill(s.expiresAt, { at: localTime(view.expiresAt, locale) }))}</span></p>
<dl class="details">
<div class="row"><dt>${esc(s.bank)}</dt><dd><span class="v">${esc(bankLabel(view.bankCode))}</span></dd></div>
${copyRow(s, s.account, 'v-account', view.bankAccount ?? '')}
<div class="row"><dt>${esc(s.accountName)}</dt><dd><span class="v">${esc(view.accountName ?? '')}</span></dd></div>
${copyRow(s, s.amount, 'v-amount', due, String(state.amountDue))}
${copyRow(s, s.content, 'v-content', view.content)}
</dl>
<p class="hint">${esc(s.contentHint)}</p>
${apps}
${cancel}
</section>`
    : final
      ? ''
      : `<p class="notice">${esc(s.noQr)}</p>`;

  const finalBlock = `<section id="final" class="final"${final ? '' : ' hidden'}>
<p id="final-msg">${finalKey ? esc(s.finalNotice[finalKey]) : ''}</p>
<p id="redirect"${final && state.redirectUrl ? '' : ' hidden'}><a id="back" href="${esc(state.redirectUrl ?? '#')}">${esc(s.backToMerchant)}</a> <span class="muted">${esc(s.redirecting)}</span></p>
</section>`;

  const body = `<main id="checkout" class="ck st-${state.status}" data-checkout="${jsonAttr(script)}">
<header><div class="top"><p class="muted">${esc(s.payTo)}</p>${langLink(s, path)}</div><h1>${esc(input.merchantName)}</h1>${view.description ? `<p class="desc">${esc(view.description)}</p>` : ''}</header>
<section class="sum">
<p class="muted" id="due-label">${esc(final ? s.orderAmount : s.amountDue)}</p>
<p class="due" id="due">${esc(final ? formatVnd(state.amount, locale) : due)}</p>
<p class="paid" id="paid"${state.amountPaid > 0 ? '' : ' hidden'}>${esc(fill(s.received, { paid: formatVnd(state.amountPaid, locale), total: formatVnd(state.amount, locale) }))}</p>
</section>
<p class="status" id="status" role="status" aria-live="polite">${esc(s.status[state.status])}</p>
${pay}
${finalBlock}
</main>`;
  return layout(s, nonce, assets, `${s.title} · ${input.merchantName}`, body, head);
}

export function renderCancelConfirmPage(input: {
  view: CheckoutView;
  locale: CheckoutLocale;
  merchantName: string;
  nonce: string;
  assets: PageAssets;
}): string {
  const s = stringsFor(input.locale);
  const path = new URL(input.view.checkoutUrl).pathname;
  const body = `<main class="ck">
<header><div class="top"><p class="muted">${esc(s.payTo)}</p></div><h1>${esc(input.merchantName)}</h1></header>
<h2>${esc(s.cancelQuestion)}</h2>
<p>${esc(s.cancelExplain)}</p>
<form method="post" action="${esc(path)}/cancel?lang=${input.locale}"><button type="submit" class="danger" id="confirm-cancel">${esc(s.cancelYes)}</button></form>
<p class="cancel"><a href="${esc(path)}?lang=${input.locale}">${esc(s.cancelNo)}</a></p>
</main>`;
  return layout(s, input.nonce, input.assets, `${s.cancel} · ${input.merchantName}`, body);
}

export function renderMessagePage(input: {
  locale: CheckoutLocale;
  nonce: string;
  assets: PageAssets;
  kind: 'not_found';
}): string {
  const s = stringsFor(input.locale);
  const body = `<main class="ck"><h1>${esc(s.notFoundTitle)}</h1><p>${esc(s.notFoundText)}</p></main>`;
  return layout(s, input.nonce, input.assets, s.notFoundTitle, body);
}
