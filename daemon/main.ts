import { Command, Option } from 'commander';
import { resolvePaths } from '../src/config/paths.js';
import { LOG_LEVELS } from '../src/config/schema.js';
import { exitCodeFor, SomError } from '../src/protocol/errors.js';
import { VERSION } from '../src/version.js';
import { Daemon } from './daemon.js';
import { stderrIsJournal } from './logger.js';

/** systemd's default stop timeout is longer, but we promise 5 s: past this, exit anyway. */
const HARD_STOP_MS = 4_500;

interface SomdFlags {
  config?: string;
  socket?: string;
  home?: string;
  paper?: boolean;
  logLevel?: (typeof LOG_LEVELS)[number];
  logFormat?: 'text' | 'json';
}

/** somd: runs in the foreground (systemd supervises it) until SIGTERM or SIGINT. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('somd')
    .description('som daemon: keeps the Kite account, runs housekeeping, serves som on a Unix socket')
    .version(VERSION)
    .option('--config <file>', 'config file (default: $SOM_CONFIG, else $XDG_CONFIG_HOME/som/config.toml)')
    .option(
      '--socket <path>',
      'socket (default: $SOM_SOCKET, $RUNTIME_DIRECTORY/somd.sock, $XDG_RUNTIME_DIR/som/somd.sock)',
    )
    .option('--home <dir>', 'state directory (default: $SOM_HOME, $STATE_DIRECTORY, $XDG_STATE_HOME/som)')
    .option('--paper', 'use the built-in paper exchange whatever the config says')
    .addOption(new Option('--log-level <level>', 'least severe level logged').choices(LOG_LEVELS))
    .addOption(new Option('--log-format <format>', 'log lines as readable text or JSON').choices(['text', 'json']))
    .addHelpText(
      'after',
      '\nExit codes: 0 stopped cleanly; 1 failed (already running, store unusable); 2 bad usage or configuration.',
    )
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const flags = program.opts<SomdFlags>();
  // Everything somd writes (database, logs of orders, token files) is the owner's alone.
  process.umask(0o077);

  // Signals are handled from the first moment: the socket accepts clients before start()
  // returns, so a supervisor may signal us then. Until the daemon exists they are remembered.
  let daemon: Daemon | undefined;
  let pendingStop: string | undefined;
  let pendingReload = false;
  const shutdown = (signal: string, exitCode = 0) => {
    if (!daemon) {
      pendingStop ??= signal;
      return;
    }
    const running = daemon;
    setTimeout(() => {
      running.logger.error('somd.stop_timeout', { afterMs: HARD_STOP_MS });
      running.abandonWrites();
      process.exit(1);
    }, HARD_STOP_MS).unref();
    running.stop(signal).then(
      () => process.exit(exitCode),
      (err: unknown) => {
        running.logger.error('somd.stop_failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGHUP', () => {
    if (daemon) void daemon.reload();
    else pendingReload = true;
  });

  try {
    daemon = await Daemon.start({
      paths: resolvePaths(flags),
      forcePaper: flags.paper === true,
      logLevel: flags.logLevel,
      logFormat: flags.logFormat,
    });
  } catch (err) {
    const code = err instanceof SomError ? exitCodeFor(err.code) : 1;
    // An error, for journalctl -p err as well as for a person.
    process.stderr.write(`${stderrIsJournal() ? '<3>' : ''}somd: ${(err as Error).message}\n`);
    process.exit(code);
  }
  const started = daemon;
  if (pendingStop) return shutdown(pendingStop);
  if (pendingReload) void started.reload();

  process.on('uncaughtException', (err) => {
    started.logger.error('somd.uncaught', { error: err.message, stack: err.stack });
    shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (reason) => {
    started.logger.error('somd.unhandled_rejection', { error: String(reason) });
  });
}
