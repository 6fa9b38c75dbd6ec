// What npm run bench prints and keeps: a table of the scenarios, each target of issue #17 as a ratio with the
// baseline it was measured against in the same run, and the whole run as JSON under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { OpenLoopFigures, PgbenchFigures } from './baselines.js';
import type { Figures } from './measure.js';
import type { CpuPerRequest } from './scenarios.js';

export interface ScenarioResult {
  name: string;
  endpoint: Figures;
  limit: Figures;
  /** CPU over the endpoint's measured window per answered request: the service's, PostgreSQL's, the machine's. */
  cpu: CpuPerRequest;
  /** The same over the limit's window (the measured process is the bench itself, replaying the SQL). */
  limitCpu: CpuPerRequest;
}

export interface LatencyResult {
  rate: number;
  service: OpenLoopFigures;
  insert: OpenLoopFigures;
  /** The window's lone credits sent in one round trip, and those decided again in two (the service's metric). */
  oneTrip?: { committed: number; decidedAgain: number };
}

export interface RunResult {
  at: string;
  machine: string;
  connections: number;
  seconds: number;
  /** Length of each open-loop window (absent in runs before it was its own setting: then `seconds`). */
  openLoopSeconds?: number;
  pool: number;
  /** Statements and round trips per request, as recorded. */
  shapes: Record<string, string>;
  scenarios: ScenarioResult[];
  echo?: Figures & CpuPerRequest;
  pgbench?: PgbenchFigures;
  latency: LatencyResult[];
  peakRssMb: number;
  targets: Array<{ target: string; value: number; bound: string; met: boolean }>;
}

export function machineLine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load generator, service and PostgreSQL on the same machine`;
}

/** The targets of issue #17 that this run has the figures for. */
export function targetsOf(r: Omit<RunResult, 'targets'>): RunResult['targets'] {
  const out: RunResult['targets'] = [];
  const add = (target: string, value: number, bound: string, met: boolean) =>
    out.push({ target, value: Math.round(value * 100) / 100, bound, met });
  const a = r.scenarios.find((s) => s.name.startsWith('(a)'));
  const c = r.scenarios.find((s) => s.name.startsWith('(c)'));
  if (a && r.echo) {
    const v = a.endpoint.requestsPerSecond / r.echo.requestsPerSecond;
    add(
      `(a) new credits / echo receiver (${a.endpoint.requestsPerSecond} / ${r.echo.requestsPerSecond} req/s)`,
      v,
      '≥ 1.0',
      v >= 1,
    );
  }
  if (a && r.pgbench) {
    const v = a.endpoint.requestsPerSecond / r.pgbench.tps;
    add(
      `(a) new credits / pgbench TPC-B (${a.endpoint.requestsPerSecond} / ${r.pgbench.tps} tps)`,
      v,
      '≥ 0.6',
      v >= 0.6,
    );
  }
  if (a) add('(a) service CPU per credit, ms', a.cpu.cpuMsPerRequest, '≤ 0.4', a.cpu.cpuMsPerRequest <= 0.4);
  if (c) {
    const v = c.endpoint.requestsPerSecond / c.limit.requestsPerSecond;
    add(
      `(c) create payment / its SQL limit (${c.endpoint.requestsPerSecond} / ${c.limit.requestsPerSecond})`,
      v,
      '≥ 0.8',
      v >= 0.8,
    );
  }
  if (r.scenarios.length > 0) add('peak service RSS, MB', r.peakRssMb, '≤ 200', r.peakRssMb <= 200);
  for (const l of r.latency) {
    const v = l.service.p99Ms / Math.max(l.insert.p99Ms, 0.1);
    add(
      `${l.rate}/s open loop: credit p99 / INSERT p99 (${l.service.p99Ms} / ${l.insert.p99Ms} ms)`,
      v,
      '≤ 2.0',
      v <= 2,
    );
  }
  return out;
}

export function print(r: RunResult): void {
  const pad = (x: string | number, n: number) => String(x).padStart(n);
  const w = (line: string) => process.stdout.write(`${line}\n`);
  w(`\n${r.machine}\n${r.connections} connections, ${r.seconds} s per run, pool ${r.pool}`);
  w(
    `statements per request: ${Object.entries(r.shapes)
      .map(([k, v]) => `(${k}) ${v}`)
      .join(', ')}\n`,
  );
  w(
    `${'scenario'.padEnd(58)}${pad('req/s', 8)}${pad('p50', 6)}${pad('p99', 6)}${pad('limit/s', 9)}${pad('lim p99', 9)}${pad('e/limit', 9)}${pad('CPU ms', 8)}${pad('PG ms', 7)}${pad('all ms', 8)}`,
  );
  for (const s of r.scenarios) {
    w(
      `${s.name.padEnd(58)}${pad(s.endpoint.requestsPerSecond, 8)}${pad(s.endpoint.p50Ms, 6)}${pad(s.endpoint.p99Ms, 6)}${pad(s.limit.requestsPerSecond, 9)}${pad(s.limit.p99Ms, 9)}${pad((s.endpoint.requestsPerSecond / s.limit.requestsPerSecond).toFixed(2), 9)}${pad(s.cpu.cpuMsPerRequest.toFixed(2), 8)}${pad(s.cpu.postgresCpuMsPerRequest.toFixed(2), 7)}${pad(s.cpu.machineCpuMsPerRequest.toFixed(2), 8)}`,
    );
    w(
      `   CPU ms per request: endpoint service ${s.cpu.cpuMsPerRequest}, PostgreSQL ${s.cpu.postgresCpuMsPerRequest}, machine ${s.cpu.machineCpuMsPerRequest}; ` +
        `limit replaying client ${s.limitCpu.cpuMsPerRequest}, PostgreSQL ${s.limitCpu.postgresCpuMsPerRequest}, machine ${s.limitCpu.machineCpuMsPerRequest}`,
    );
    if (s.endpoint.errors + s.endpoint.non2xx > 0)
      w(`   ! endpoint: ${s.endpoint.errors} errors, ${s.endpoint.non2xx} non-2xx answers`);
    if (s.limit.errors > 0) w(`   ! limit: ${s.limit.errors} errors, first: ${s.limit.firstError}`);
  }
  if (r.echo)
    w(
      `${'echo receiver (NestJS/Express, HS512 JWT, body echoed)'.padEnd(58)}${pad(r.echo.requestsPerSecond, 8)}${pad(r.echo.p50Ms, 6)}${pad(r.echo.p99Ms, 6)}${pad('', 9)}${pad('', 9)}${pad('', 9)}${pad(r.echo.cpuMsPerRequest.toFixed(2), 8)}${pad(r.echo.postgresCpuMsPerRequest.toFixed(2), 7)}${pad(r.echo.machineCpuMsPerRequest.toFixed(2), 8)}`,
    );
  if (r.pgbench)
    w(
      `pgbench TPC-B-like, -s ${r.pgbench.scale} -c ${r.pgbench.clients} -j 2: ${r.pgbench.tps} tps (latency average ${r.pgbench.latencyMs} ms)`,
    );
  if (r.latency.length > 0) {
    w(`\nopen loop, ${r.openLoopSeconds ?? r.seconds} s per rate and side`);
    w(
      `open loop${pad('credit p50', 14)}${pad('p99', 8)}${pad('max', 8)}${pad('INSERT p50', 12)}${pad('p99', 8)}${pad('max', 8)}${pad('gen stall ms', 15)}${pad('steal ms', 11)}`,
    );
    for (const l of r.latency)
      w(
        `${`${l.rate}/s`.padEnd(9)}${pad(l.service.p50Ms, 14)}${pad(l.service.p99Ms, 8)}${pad(l.service.maxMs, 8)}${pad(l.insert.p50Ms, 12)}${pad(l.insert.p99Ms, 8)}${pad(l.insert.maxMs, 8)}${pad(`${l.service.generatorStallMs} / ${l.insert.generatorStallMs}`, 15)}${pad(`${l.service.stealMs} / ${l.insert.stealMs}`, 11)}` +
          (l.oneTrip ? `  one trip ${l.oneTrip.committed}, again ${l.oneTrip.decidedAgain}` : '') +
          (l.service.errors + l.insert.errors > 0
            ? `  ! ${l.service.errors} / ${l.insert.errors} errors`
            : ''),
      );
  }
  w('\ntargets (issue #17)');
  for (const t of r.targets) w(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.value} (${t.bound})`);
}

export function save(r: RunResult): string {
  mkdirSync('bench/results', { recursive: true });
  const json = `${JSON.stringify(r, null, 2)}\n`;
  const file = `bench/results/bench-${r.at.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, json);
  writeFileSync('bench/results/latest.json', json);
  return file;
}
