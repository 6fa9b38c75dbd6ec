// The open-loop load generator, in a process of its own: the bench's own process holds every scenario's
// inputs and results, and its scavenges (8-32 ms) showed in the credits' tail as stalls of the generator.
// Forked by openLoopApart (baselines.ts); takes one job on its IPC channel, answers the figures and exits.
import http from 'node:http';
import { insertBaseline, openLoop, OpenLoopFigures } from './baselines.js';

export type OpenLoopJob =
  | {
      kind: 'post';
      url: string;
      headers: Record<string, string>;
      bodies: string[];
      rate: number;
      seconds: number;
    }
  | { kind: 'insert'; databaseUrl: string; body: string; rate: number; seconds: number };

/** One POST on a kept-alive connection; rejects unless the answer is 200. */
function post(agent: http.Agent, url: URL, headers: Record<string, string>, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(job: OpenLoopJob): Promise<OpenLoopFigures> {
  if (job.kind === 'insert') return insertBaseline(job.databaseUrl, job.rate, job.seconds, job.body);
  const agent = new http.Agent({ keepAlive: true });
  const url = new URL(job.url);
  try {
    return await openLoop(job.rate, job.seconds, (i) => post(agent, url, job.headers, job.bodies[i]));
  } finally {
    agent.destroy();
  }
}

process.once('message', (job: OpenLoopJob) => {
  run(job).then(
    (figures) => process.send!({ figures }, () => process.exit(0)),
    (error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
  );
});
