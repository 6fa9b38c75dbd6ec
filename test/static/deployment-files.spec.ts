import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

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
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const stages = dockerfile.split('\n').filter((line) => /^FROM\s/i.test(line));

  it('is a multi-stage build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });

  it('runs node dist/main.js as a non-root user in the final stage', () => {
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf(stages[stages.length - 1]));
    expect(finalStage).toMatch(/^USER\s+node\s*$/m);
    expect(finalStage).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });
});
