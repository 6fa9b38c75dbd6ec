import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDotEnv } from './dotenv.js';

describe('loadDotEnv', () => {
  let dir: string;
  const names = ['VQG_DOTENV_FROM_FILE', 'VQG_DOTENV_REAL', 'VQG_DOTENV_QUOTED'];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vqg-dotenv-'));
    for (const name of names) delete process.env[name];
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const name of names) delete process.env[name];
  });

  it('sets the variables of the file that the environment does not have; the real environment wins', () => {
    const file = join(dir, '.env');
    writeFileSync(
      file,
      '# comment\nVQG_DOTENV_FROM_FILE=from-file\nVQG_DOTENV_REAL=from-file\nVQG_DOTENV_QUOTED="a b # c"\n',
    );
    process.env.VQG_DOTENV_REAL = 'from-env';
    expect(loadDotEnv(file)).toBe(file);
    expect(process.env.VQG_DOTENV_FROM_FILE).toBe('from-file');
    expect(process.env.VQG_DOTENV_REAL).toBe('from-env');
    expect(process.env.VQG_DOTENV_QUOTED).toBe('a b # c');
  });

  it('does nothing without a file', () => {
    expect(loadDotEnv(join(dir, '.env'))).toBeUndefined();
    expect(process.env.VQG_DOTENV_FROM_FILE).toBeUndefined();
  });
});
