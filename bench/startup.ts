// npm run bench:startup: how long the zero-configuration start takes on a fresh embedded database and again on
// the same data directory, and how long SIGTERM takes to exit. Runs the production build (npm run build first).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep } from './lib.js';

async function startOnce(
  dataDir: string,
): Promise<{ readyMs: number; docsOk: boolean; stopMs: number; exitCode: number | null }> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: dataDir },
    stdio: 'ignore',
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let readyMs = -1;
  while (Date.now() - started < 120_000) {
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      readyMs = Date.now() - started;
      break;
    }
    await sleep(50);
  }
  const docsOk =
    (await fetch(`http://127.0.0.1:${port}/docs-json`).then(
      (r) => r.status,
      () => 0,
    )) === 200;
  const stopping = Date.now();
  child.kill('SIGTERM');
  const exitCode = await exited;
  return { readyMs, docsOk, stopMs: Date.now() - stopping, exitCode };
}

const dataDir = mkdtempSync(join(tmpdir(), 'vqg-startup-'));
try {
  const fresh = await startOnce(dataDir);
  const again = await startOnce(dataDir);
  process.stdout.write(
    `fresh data directory: ready in ${fresh.readyMs} ms (docs ${fresh.docsOk ? 'ok' : 'FAILED'}), SIGTERM exit ${fresh.exitCode} in ${fresh.stopMs} ms\n` +
      `same data directory:  ready in ${again.readyMs} ms (docs ${again.docsOk ? 'ok' : 'FAILED'}), SIGTERM exit ${again.exitCode} in ${again.stopMs} ms\n`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
