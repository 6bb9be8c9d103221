import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Files somd keeps in its state directory (reports, audit exports): written whole or not at
 * all (a temporary file, flushed to disk, then renamed into place), readable by the owner only.
 */

/** Where the end-of-day report of `day` is written: `<state>/reports/YYYY-MM-DD.html`. */
export function reportPath(home: string, day: string): string {
  return join(home, 'reports', `${day}.html`);
}

/** Write `path` atomically from the chunks `fill` hands to `write`; returns what `fill` returns. */
export async function writeFileAtomically<T>(
  path: string,
  fill: (write: (chunk: string) => void) => Promise<T> | T,
): Promise<T> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  let result: T;
  try {
    result = await fill((chunk) => {
      writeSync(fd, chunk);
    });
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(temporary, path);
  return result;
}
