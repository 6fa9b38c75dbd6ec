import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';

const LOCK_FILE = 'vietqr-gateway.lock';

/** Another live process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(`${shown(dataDir)} is in use by PID ${holderPid}; stop it or set DATABASE_URL`);
  }
}

export interface DataDirLock {
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
  /** The PID of a dead holder whose lock was taken over, if any. */
  takenOverFrom: number | undefined;
}

function shown(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') ? `./${rel}` : dir;
}

function holderOf(path: string): number | undefined {
  try {
    const pid = Number((JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite lets any number of processes open one directory, and they silently diverge: a lock file (created
 * with O_EXCL) says who has it. A lock whose holder is dead (killed, crashed) is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  let takenOverFrom: number | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(path);
      if (holder !== undefined && holder !== process.pid && alive(holder)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      // Stale (or half-written by a holder that died at once): move it aside. Only one taker's rename can
      // succeed; if what was moved is no longer the stale lock, another process just took it: put it back.
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue;
      }
      const moved = holderOf(aside);
      if (moved !== holder && moved !== undefined && alive(moved)) {
        renameSync(aside, path);
        throw new DataDirLockedError(dataDir, moved);
      }
      unlinkSync(aside);
      takenOverFrom = holder;
      continue;
    }
    writeSync(
      fd,
      JSON.stringify({ pid: process.pid, since: new Date().toISOString(), argv: process.argv.slice(1) }),
    );
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.removeListener('exit', release);
      if (holderOf(path) === process.pid) unlinkSync(path);
    };
    // A process that exits without closing (process.exit in a CLI) still frees the directory.
    process.on('exit', release);
    return { release, takenOverFrom };
  }
  throw new Error(`Could not lock ${shown(dataDir)}: its lock file ${path} keeps changing`);
}
