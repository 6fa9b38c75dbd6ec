// The checkout page's stylesheet, inlined in the page (with the CSP nonce) so the first render needs one
// round trip. Mobile first; usable from 320 px. Colours keep a contrast of at least 4.5:1.
export const CHECKOUT_CSS = String.raw`
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#eef1f5;color:#1b1f24;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.ck{max-width:30rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh}
@media (min-width:34rem){.ck{margin:1.5rem auto;min-height:0;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:1.5rem}}
.top{display:flex;justify-content:space-between;align-items:center;gap:1rem}
h1{font-size:1.25rem;margin:0 0 .25rem;overflow-wrap:anywhere}
h2{font-size:1.125rem}
p{margin:.25rem 0}
.muted{color:#4f5964;font-size:.875rem}
.desc{color:#333b44;overflow-wrap:anywhere}
.lang{font-size:.875rem;padding:.625rem 0 .625rem .5rem;min-height:44px}
a{color:#0b57a4}
.sum{margin:1rem 0 .5rem;text-align:center}
.due{font-size:2rem;font-weight:700;margin:0;font-variant-numeric:tabular-nums;color:#0f2f57}
.paid{color:#1d5b2c}
.status{margin:.5rem 0 1rem;padding:.625rem .75rem;border-radius:8px;background:#fff5d6;color:#5b4300;text-align:center;font-weight:600}
.st-PAID .status,.st-OVERPAID .status{background:#e3f5e7;color:#1d5b2c}
.st-EXPIRED .status,.st-CANCELLED .status{background:#fde7e7;color:#8a1c1c}
.notice{background:#e9f1fb;color:#0f2f57;padding:.5rem .75rem;border-radius:8px}
figure{margin:0 auto;text-align:center}
.qr{width:min(100%,16rem);margin:0 auto;background:#fff}
.qr svg{display:block;width:100%;height:auto}
figcaption{font-size:.875rem;color:#4f5964;margin-top:.25rem}
.expiry{text-align:center;margin:.75rem 0}
#countdown{font-weight:700;font-variant-numeric:tabular-nums}
.details{margin:1rem 0 .5rem;border-top:1px solid #dde2e8}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;padding:.5rem 0;border-bottom:1px solid #dde2e8}
dt{flex:1 1 100%;font-size:.8125rem;color:#4f5964}
dd{flex:1 1 100%;margin:0;display:flex;align-items:center;gap:.5rem;justify-content:space-between}
.v{font-weight:600;overflow-wrap:anywhere;user-select:all;-webkit-user-select:all}
#v-content,#v-account{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
button,.btn{font:inherit;cursor:pointer}
.copy{flex:none;min-height:44px;min-width:5.5rem;padding:.375rem .75rem;border:1px solid #0b57a4;border-radius:8px;background:#fff;color:#0b57a4;font-size:.875rem}
.copy[data-done]{background:#0b57a4;color:#fff}
.hint{font-size:.875rem;color:#4f5964}
.apps{margin:1rem 0;border:1px solid #dde2e8;border-radius:8px;padding:.5rem .75rem}
.apps summary{font-weight:600;min-height:44px;display:flex;align-items:center;cursor:pointer}
.apps ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.5rem}
.apps a{display:flex;align-items:center;justify-content:space-between;gap:.25rem;min-height:44px;padding:.5rem;border:1px solid #c9d1da;border-radius:8px;text-decoration:none;color:#1b1f24}
.tag{font-size:.75rem;background:#e3f5e7;color:#1d5b2c;border-radius:4px;padding:0 .25rem}
#pay{display:flex;flex-direction:column}
#partial{order:-2}
@media (max-width:47.99rem),(hover:none),(pointer:coarse){.apps{order:-1}}
@media (hover:hover) and (pointer:fine) and (min-width:48rem){.apps{display:none}}
.cancel{text-align:center;margin:1rem 0}
.cancel a{display:inline-block;min-height:44px;padding:.625rem 1rem}
.danger{width:100%;min-height:48px;border:0;border-radius:8px;background:#b3261e;color:#fff;font-weight:600;margin:1rem 0}
.final{text-align:center;margin:1rem 0}
#back{font-weight:600}
[hidden]{display:none!important}
@media (prefers-reduced-motion:no-preference){.copy{transition:background .15s}}
`
  .trim()
  .replace(/\n/g, '');
