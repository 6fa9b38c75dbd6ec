import { Writable } from 'node:stream';
import pino from 'pino';
import { accessLogger } from './access-log.js';
import { REDACTED_PATHS } from './logger-options.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk).trim());
      done();
    },
  });
  const root = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, timestamp: false }, stream);
  return { root, lines };
}

describe(accessLogger.name, () => {
  it('writes the access fields exactly as the redacting root would, through one logger per root', async () => {
    const { root, lines } = capture();
    const fields = { reqId: 'req-1', method: 'POST', route: '/x', status: 200, durationMs: 3.4, client: 'c' };
    root.info(fields, 'POST /x 200');
    accessLogger(root).info(fields, 'POST /x 200');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(lines[0]);
    expect(accessLogger(root)).toBe(accessLogger(root));
  });

  it('leaves every other line redacted', async () => {
    const { root, lines } = capture();
    accessLogger(root);
    root.warn({ err: { password: 'hunter2', secret: 's3cret' } }, 'failed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).not.toMatch(/hunter2|s3cret/);
    expect(JSON.parse(lines[0]).err).toEqual({ password: '[redacted]', secret: '[redacted]' });
  });
});
