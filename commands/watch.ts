import type { StrategyRef } from '../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../src/domain/parse/strategy-ref.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO, usageError } from './context.js';
import { flag } from './flags.js';
import { summaryOf } from './manifest.js';
import { readyForScreen } from './ui/screen-env.js';

export interface WatchOptions {
  strategy?: StrategyRef | undefined;
}

/** `som watch`: the live dashboard. */
export function watchCommand(deps: CliDeps): Command {
  return new Command('watch')
    .description(summaryOf('watch'))
    .option('--strategy <name>', 'show this strategy first (s switches)', flag('--strategy', parseStrategyRef))
    .addHelpText(
      'after',
      '\nKeys: q quit; s next strategy; up/down (or j/k) pick an alert; r mark it read; on a held order,\n' +
        'c cancel, l send as LIMIT, p proceed. Updates are pushed by somd as they happen.\n' +
        'Needs a terminal; for scripts, `som events --json` streams the same events.',
    )
    .action(action(deps, (io, flags: { strategy?: StrategyRef }) => run({ strategy: flags.strategy }, io)));
}

/** Draw the dashboard until q (exit 0) or until somd goes away (exit 3). */
export async function run(opts: WatchOptions, io: CommandIO): Promise<void> {
  if (io.json) throw usageError('som watch is a screen; for JSON, `som events --json` streams the same events');
  if (process.stdout.isTTY !== true || process.stdin.isTTY !== true)
    throw usageError('som watch needs a terminal; for scripts, `som events --json` streams the same events');
  const client = await io.client();
  // ink and react are loaded here, on this path only.
  readyForScreen();
  const { watchScreen } = await import('./screens/watch/screen.js');
  const strategy = opts.strategy === undefined ? io.preferences.strategy : String(opts.strategy);
  const code = await watchScreen(client, { strategy });
  if (code !== 0) {
    io.note('som: somd closed the connection');
    io.exitWith(code);
  }
}
