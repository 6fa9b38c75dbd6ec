// What npm run bench:scale prints and keeps: the first-week vs loaded table with each growth target met or
// not, the plans, and bench/results/scale-latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Figures } from './measure.js';
import type { CreditIo } from './scale-io.js';
import type { PlanCheck } from './scale-plans.js';

export interface Measured {
  name: string;
  /** credit: loaded req/s ≥ 0.8× empty; read: loaded p99 ≤ 1.5× empty. */
  kind: 'credit' | 'read';
  figures: Figures;
  /** A credit's storage cost (scale-io.ts). */
  io?: CreditIo;
}

export interface ScaleRun {
  machine: string;
  connections: number;
  seconds: number;
  sizes: Record<string, number>;
  load: { seconds: number; steps: Record<string, number>; rows: Record<string, number> };
  empty: Measured[];
  loaded: Measured[];
  checks: PlanCheck[];
  totalSeconds: number;
}

const RESULTS = 'bench/results/scale-latest.json';

/** Prints the run, writes the results file; 1 when a plan reads a large table in full (scale-plans.ts). */
export function reportScale(run: ScaleRun): number {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const pad = (v: string | number, n: number) => String(v).padStart(n);
  const growth = run.empty.map((e, i) => {
    const l = run.loaded[i].figures;
    const credit = e.kind === 'credit';
    const ratio = credit
      ? l.requestsPerSecond / e.figures.requestsPerSecond
      : l.p99Ms / Math.max(1, e.figures.p99Ms);
    const met = credit ? ratio >= 0.8 : ratio <= 1.5;
    return {
      name: e.name,
      empty: e.figures,
      loaded: l,
      ...(e.io ? { io: { empty: e.io, loaded: run.loaded[i].io } } : {}),
      ratio,
      target: credit ? 'req/s ≥ 0.8×' : 'p99 ≤ 1.5×',
      met,
    };
  });

  out();
  out(`${run.machine}; load generator, service and PostgreSQL on the same machine`);
  out(
    `${run.connections} connections, ${run.seconds} s per run; loaded: ${Object.entries(run.load.rows)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')} (in ${run.load.seconds.toFixed(0)} s)`,
  );
  out();
  out(
    `${'scenario'.padEnd(58)}${pad('first week: req/s', 18)}${pad('p50', 5)}${pad('p99', 5)}${pad('loaded: req/s', 14)}${pad('p50', 5)}${pad('p99', 6)}${pad('ratio', 7)}  target`,
  );
  for (const g of growth) {
    const f = (x: Figures) =>
      `${pad(x.requestsPerSecond, x === g.empty ? 18 : 14)}${pad(x.p50Ms, 5)}${pad(x.p99Ms, x === g.empty ? 5 : 6)}`;
    out(
      `${g.name.padEnd(58)}${f(g.empty)}${f(g.loaded)}${pad(g.ratio.toFixed(2), 7)}  ${g.target} ${g.met ? 'met' : 'NOT MET'}`,
    );
    for (const [phase, x] of [
      ['first week', g.empty],
      ['loaded', g.loaded],
    ] as const) {
      if (x.errors + x.non2xx > 0) out(`   ! ${phase}: ${x.errors} errors, ${x.non2xx} non-2xx answers`);
    }
  }

  for (const g of growth) {
    if (!g.io?.loaded) continue;
    const [e, l] = [g.io.empty, g.io.loaded];
    out(
      `  per credit, first week → loaded (after a CHECKPOINT): WAL ${e.walBytes} → ${l.walBytes} bytes, full-page images ${e.fullPageImages} → ${l.fullPageImages}, blocks read ${e.blocksRead} → ${l.blocksRead}, hit ${e.blocksHit} → ${l.blocksHit}`,
    );
  }
  out();
  out(`plans of ${run.checks.length} distinct statements on the loaded database:`);
  for (const c of run.checks) {
    out();
    out(
      `-- [first seen while recording: ${c.label}]${c.problems.length > 0 ? `  FAILS: ${c.problems.join('; ')}` : ''}`,
    );
    out(`-- ${c.sql.length > 400 ? `${c.sql.slice(0, 400)}…` : c.sql}`);
    out(c.plan);
  }
  const scans = run.checks.filter((c) => c.problems.length > 0);
  out();
  out(
    scans.length === 0
      ? `every plan uses an index on the large tables (${run.checks.length} statements)`
      : `${scans.length} statement(s) read a large table in full: ${scans.map((c) => `[${c.label}] ${c.problems.join(', ')}`).join('; ')}`,
  );
  out(`growth targets: ${growth.filter((g) => g.met).length} of ${growth.length} met`);

  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: run.machine,
        connections: run.connections,
        seconds: run.seconds,
        sizes: run.sizes,
        load: run.load,
        totalSeconds: Math.round(run.totalSeconds),
        growth,
        plans: run.checks.map((c) => ({ label: c.label, sql: c.sql, problems: c.problems, plan: c.plan })),
      },
      null,
      2,
    )}\n`,
  );
  out(`wrote ${RESULTS}`);
  return scans.length > 0 ? 1 : 0;
}
