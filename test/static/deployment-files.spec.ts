import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';

// semver comes with npm's tooling (a dependency of several packages here); only these two calls are used.
const semver = createRequire(import.meta.url)('semver') as {
  subset(sub: string, dom: string): boolean;
  satisfies(version: string, range: string): boolean;
};

// No Docker engine runs where the tests run, so the files are checked as data.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'));

  it('runs PostgreSQL 16 with a health check and a named volume', () => {
    const db = compose.services.db;
    expect(db.image).toMatch(/^postgres:16/);
    expect(db.healthcheck.test.join(' ')).toContain('pg_isready');
    const volume = String(db.volumes[0]).split(':')[0];
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('builds the app from the Dockerfile, points it at db and starts it once db is healthy', () => {
    const app = compose.services.app;
    expect(app.build).toBe('.');
    expect(app.environment.DATABASE_URL).toMatch(/^postgresql:\/\/[^@]+@db:5432\//);
    expect(app.environment.NODE_ENV).toBe('production');
    expect(app.depends_on.db.condition).toBe('service_healthy');
    expect(app.ports).toContain(`${app.environment.PORT}:${app.environment.PORT}`);
  });

  it('requires PUBLIC_BASE_URL from .env or the shell instead of guessing one', () => {
    expect(compose.services.app.environment.PUBLIC_BASE_URL).toMatch(/^\$\{PUBLIC_BASE_URL:\?.+\}$/);
  });

  const composePlugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  (composePlugin.status === 0 ? it : it.skip)(
    'is valid for docker compose (where the compose plugin exists)',
    () => {
      const result = spawnSync('docker', ['compose', 'config', '--quiet'], {
        encoding: 'utf8',
        env: { ...process.env, PUBLIC_BASE_URL: 'https://pay.example.com' },
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const stages = dockerfile.split('\n').filter((line) => /^FROM\s/i.test(line));

  it('is a multi-stage build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });

  it('runs the service as package.json does (node dist/src/main.js) as a non-root user in the final stage', () => {
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf(stages[stages.length - 1]));
    expect(finalStage).toMatch(/^USER\s+node\s*$/m);
    expect(finalStage).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start:prod']).toContain('dist/src/main.js');
  });

  it('builds and runs on one Node LTS line that package.json and every dependency accept', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    const majors = stages.map((line) => /node:(\d+)/.exec(line)?.[1]);
    expect(new Set(majors).size).toBe(1);
    // Any release of that line from the engines' floor on is supported.
    const floor = /\^(\d+\.\d+\.\d+)/g;
    const floors = [...pkg.engines.node.matchAll(floor)].map((m) => m[1]);
    const lineFloor = floors.find((v) => v.startsWith(`${majors[0]}.`));
    expect(lineFloor).toBeDefined();
    expect(semver.satisfies(lineFloor!, pkg.engines.node)).toBe(true);
  });
});

describe('package-lock.json', () => {
  it('holds no package whose engines exclude a Node that package.json supports (no EBADENGINE on install)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const excluding = Object.entries(lock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.subset(pkg.engines.node, (p.engines as { node: string }).node))
      .map(([name, p]) => `${name || '(root)'} ${(p.engines as { node: string }).node}`);
    expect(excluding).toEqual([]);
  });
});
