// The checkout page's own script (no framework): live status over server-sent events with a polling
// fallback, the countdown, copy buttons, a new QR after a partial payment, the redirect once final, and
// postMessage to an allowed parent frame. The page works without it. Plain ES2017 for cheap phones.
export const CHECKOUT_JS = String.raw`
(function () {
  'use strict';
  var root = document.getElementById('checkout');
  if (!root) return;
  var cfg = JSON.parse(root.getAttribute('data-checkout'));
  var t = cfg.t;
  var state = cfg.state;
  var es = null;
  var pollTimer = null;
  var redirectTimer = null;
  var FINAL = { PAID: 1, OVERPAID: 1, EXPIRED: 1, CANCELLED: 1 };
  var $ = function (id) { return document.getElementById(id); };

  function money(n) {
    var sep = cfg.locale === 'vi' ? '.' : ',';
    return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, sep) + '\u00a0\u20ab';
  }
  function fill(s, v) { return s.replace(/\{(\w+)\}/g, function (m, k) { return k in v ? v[k] : m; }); }
  function setText(id, text) { var el = $(id); if (el && el.textContent !== text) el.textContent = text; }
  function show(id, on) { var el = $(id); if (el) el.hidden = !on; }

  function tellParent(status) {
    if (window.parent === window) return;
    var origins = cfg.parents || [];
    for (var i = 0; i < origins.length; i++) {
      try { window.parent.postMessage({ type: 'payment_status', status: status }, origins[i]); } catch (e) { /* not that parent */ }
    }
  }

  function refreshQr(amountDue) {
    var box = $('qr');
    if (!box || !window.fetch) return;
    fetch(cfg.paths.qr + '?due=' + amountDue, { cache: 'no-store' }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (svg) {
      if (!svg || FINAL[state.status]) return;
      var doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      var el = doc.documentElement;
      if (!el || el.nodeName !== 'svg') return;
      el.setAttribute('aria-hidden', 'true');
      el.setAttribute('focusable', 'false');
      while (box.firstChild) box.removeChild(box.firstChild);
      box.appendChild(document.importNode(el, true));
      box.setAttribute('aria-label', fill(t.qrAlt, { amount: money(amountDue) }));
    }).catch(function () { /* the old QR stays; the next change retries */ });
  }

  function apply(next) {
    var before = state;
    if (FINAL[before.status] && !FINAL[next.status]) return; // a final state is never left
    state = next;
    root.className = root.className.replace(/\bst-\w+/, 'st-' + next.status);
    setText('status', t.status[next.status]);
    setText('due-label', FINAL[next.status] ? t.orderAmount : t.amountDue);
    setText('due', money(FINAL[next.status] ? next.amount : next.amountDue));
    show('paid', next.amountPaid > 0);
    setText('paid', fill(t.received, { paid: money(next.amountPaid), total: money(next.amount) }));
    show('partial', next.status === 'PARTIALLY_PAID');
    show('cancel', next.status === 'PENDING');
    var amount = $('v-amount');
    if (amount) {
      amount.textContent = money(next.amountDue);
      var btn = amount.parentNode.querySelector('.copy');
      if (btn) btn.setAttribute('data-copy', String(next.amountDue));
    }
    var links = document.querySelectorAll('#apps a');
    for (var j = 0; j < links.length; j++) {
      // The apps open the transfer for what is still due.
      links[j].href = links[j].href.replace(/([?&]am=)\d+/, '$1' + next.amountDue);
    }
    if (before.status !== next.status) tellParent(next.status);
    if (FINAL[next.status]) {
      show('pay', false);
      show('final', true);
      setText('final-msg', t.finalNotice[next.status]);
      stop();
      if (next.redirectUrl && !redirectTimer) {
        var back = $('back');
        if (back) back.setAttribute('href', next.redirectUrl);
        show('redirect', true);
        var delay = next.status === 'PAID' ? cfg.delays.paid : cfg.delays.other;
        redirectTimer = setTimeout(function () { window.location.assign(next.redirectUrl); }, delay * 1000);
      }
    } else if (next.amountDue !== before.amountDue) {
      refreshQr(next.amountDue);
    }
  }

  function stop() {
    if (es) { es.close(); es = null; }
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
  }

  function poll(delay) {
    if (pollTimer || FINAL[state.status]) return;
    pollTimer = setTimeout(function () {
      pollTimer = null;
      if (document.hidden) return;
      fetch(cfg.paths.status, { cache: 'no-store', headers: { accept: 'application/json' } }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (s) { if (s) apply(s); poll(3000); }, function () { poll(6000); });
    }, delay);
  }

  function listen() {
    if (FINAL[state.status] || es || pollTimer || document.hidden) return;
    if (!window.EventSource) { poll(3000); return; }
    es = new EventSource(cfg.paths.events);
    es.addEventListener('status', function (e) { apply(JSON.parse(e.data)); });
    es.onerror = function () {
      // EventSource retries by itself; it gives up (CLOSED) on a refusal such as the per-instance bound.
      if (es && es.readyState === 2) { es = null; poll(3000); }
    };
  }

  document.addEventListener('visibilitychange', function () {
    // A hidden page holds no connection; coming back reconnects, and the first event is the current state.
    if (document.hidden) stop(); else listen();
  });

  var countdown = $('countdown');
  if (countdown) {
    var end = Date.parse(countdown.getAttribute('datetime'));
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    var tick = function () {
      if (FINAL[state.status]) return;
      var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      countdown.textContent = (h > 0 ? h + ':' + two(m) : two(m)) + ':' + two(s);
      if (left > 0) setTimeout(tick, 1000 - (Date.now() % 1000));
    };
    tick();
  }

  var buttons = document.querySelectorAll('button.copy');
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    if (!navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', function (e) {
      var b = e.currentTarget;
      navigator.clipboard.writeText(b.getAttribute('data-copy')).then(function () {
        b.textContent = t.copied;
        b.setAttribute('data-done', '');
        setTimeout(function () { b.textContent = t.copy; b.removeAttribute('data-done'); }, 2000);
      });
    });
  }

  tellParent(state.status);
  listen();
})();
`.trim();
