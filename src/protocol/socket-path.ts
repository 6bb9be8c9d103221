import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where somd listens and som connects, resolved the same way on both sides (DESIGN.md):
 * `--socket`, then `$SOM_SOCKET`, then systemd's `$RUNTIME_DIRECTORY/somd.sock`, then
 * `$XDG_RUNTIME_DIR/som/somd.sock`. Without any of these (a bare shell with no login
 * session), `<tmpdir>/som-<uid>/somd.sock`: a per-user directory the daemon creates 0700.
 */
export function resolveSocketPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env.SOM_SOCKET) return env.SOM_SOCKET;
  const runtimeDirectory = firstPath(env.RUNTIME_DIRECTORY);
  if (runtimeDirectory) return join(runtimeDirectory, 'somd.sock');
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'som', 'somd.sock');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `som-${uid}`, 'somd.sock');
}

/** systemd passes several directories colon-separated when a unit names several. */
export function firstPath(value: string | undefined): string | undefined {
  const first = value?.split(':')[0];
  return first ? first : undefined;
}
