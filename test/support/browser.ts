import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's chromium, installed by .ci/run when missing; CHROMIUM_PATH points elsewhere if needed.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags chromium keeps trying to reach Google's services.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots are test output: kept under test-output/screenshots for a person to look at. */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core inside the page; returns the violations of impact serious or critical. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol rather than added as a <script>: a page with a strict CSP
  // (nonces, no inline script) refuses the tag, and rightly so.
  await page.evaluate(`${source}\n;undefined`);
  const violations = await page.evaluate<AxeViolation[]>('axe.run().then((r) => r.violations)');
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
