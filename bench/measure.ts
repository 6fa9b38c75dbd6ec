// Measurement primitives of the benchmark: an autocannon run against a URL, and the same kind of figures for a
// loop of database work issued with no HTTP ("the limit").
import autocannon from 'autocannon';

export interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  errors: number;
  non2xx: number;
  peakRssMb?: number;
  firstError?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds?: number;
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Makes the body of each request (unique references, order ids...). */
  body?: () => string;
  /** Makes the path of each request. */
  path?: () => string;
}

export async function load(options: LoadOptions): Promise<Figures> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.amount ? undefined : (options.durationSeconds ?? 10),
    amount: options.amount,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: options.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...options.headers },
        setupRequest: (req) => ({
          ...req,
          ...(options.body ? { body: options.body() } : {}),
          ...(options.path ? { path: options.path() } : {}),
        }),
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Runs `op` from `concurrency` loops for the duration, timing each call. */
export async function loop(
  concurrency: number,
  durationSeconds: number,
  op: (i: number) => Promise<void>,
): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let counter = 0;
  const stopAt = Date.now() + durationSeconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < stopAt) {
        const i = counter++;
        const t0 = performance.now();
        try {
          await op(i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    requestsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    total: latencies.length,
    errors,
    non2xx: 0,
    firstError,
  };
}
