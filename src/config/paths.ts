import { homedir } from 'node:os';
import { join } from 'node:path';
import { firstPath, resolveSocketPath } from '../protocol/socket-path.js';

export interface PathFlags {
  config?: string | undefined;
  home?: string | undefined;
  socket?: string | undefined;
}

export interface Paths {
  configPath: string;
  /** True when the user named the config file (flag or $SOM_CONFIG): it must then exist. */
  configExplicit: boolean;
  home: string;
  socketPath: string;
  databasePath: string;
  lockPath: string;
}

/** Resolve every path somd uses, in DESIGN.md's order of precedence. */
export function resolvePaths(flags: PathFlags, env: NodeJS.ProcessEnv = process.env): Paths {
  const configExplicit = Boolean(flags.config ?? env.SOM_CONFIG);
  const configPath =
    flags.config ?? env.SOM_CONFIG ?? join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'som', 'config.toml');
  const home =
    flags.home ??
    (env.SOM_HOME || undefined) ??
    firstPath(env.STATE_DIRECTORY) ??
    join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'som');
  return {
    configPath,
    configExplicit,
    home,
    socketPath: resolveSocketPath(flags.socket, env),
    databasePath: join(home, 'som.db'),
    lockPath: join(home, 'somd.lock'),
  };
}
