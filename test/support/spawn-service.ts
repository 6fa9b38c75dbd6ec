import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface SpawnedService {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (null if killed by a signal). */
  exited: Promise<number | null>;
}

/** Runs the built service (dist/) with exactly the given environment, as a user would start it. */
export function spawnService(env: Record<string, string>, nodeArgs: string[] = []): SpawnedService {
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Waits until the service has printed `text` (logs are written asynchronously, after the request is served). */
export async function waitForOutput(service: SpawnedService, text: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!service.output().includes(text)) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`service did not print "${text}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
