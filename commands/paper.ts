import { parseInstant } from '../src/domain/parse/instant.js';
import { parsePrice } from '../src/domain/parse/price.js';
import { parseQuantity } from '../src/domain/parse/quantity.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO, usageError } from './context.js';
import { flag } from './flags.js';
import { summaryOf } from './manifest.js';

/** Fastest a paper market may run, paper seconds per wall second. */
const MAX_SPEED = 10_000;

export interface ServeOptions {
  port: number;
  seed: number;
  clock: 'auto' | 'real' | Date;
  speed: number;
  apiSecret: string;
}

/** `som paper serve`: the paper exchange alone. */
export function paperCommand(deps: CliDeps): Command {
  return new Command('paper').description(summaryOf('paper')).addCommand(
    new Command('serve')
      .description('run the paper exchange alone, for your own scripts with the kiteconnect client; Ctrl-C stops it')
      .option(
        '--port <n>',
        'loopback port (0 picks a free one)',
        flag('--port', (v, f) => parseQuantity(v, f, { min: 0, max: 65_535 })),
        0,
      )
      .option(
        '--seed <n>',
        'market seed: same seed, same market',
        flag('--seed', (v, f) => parseQuantity(v, f, { min: 0, max: 2 ** 31 - 1 })),
        1,
      )
      .option(
        '--clock <start>',
        '"auto" (market open now), "real", or an ISO instant with its offset',
        clockFlag,
        'auto',
      )
      .option('--speed <x>', `paper seconds per wall second (at most ${MAX_SPEED})`, speedFlag, 1)
      .option('--api-secret <secret>', 'the api_secret every api_key signs with', 'paper')
      .action(action(deps, (io, flags: ServeOptions) => run(flags, io))),
  );
}

function speedFlag(value: string): number {
  const speed = flag('--speed', parsePrice)(value);
  if (speed > MAX_SPEED) throw usageError(`--speed must be at most ${MAX_SPEED}, not ${JSON.stringify(value)}`);
  return speed;
}

/** `auto`, `real`, or the instant the paper market starts at (read as `--since` is). */
function clockFlag(value: string): 'auto' | 'real' | Date {
  return value === 'auto' || value === 'real' ? value : new Date(flag('--clock', parseInstant)(value));
}

/** Start the paper exchange in this process and say where it listens; runs until Ctrl-C. */
export async function run(opts: ServeOptions, io: CommandIO): Promise<void> {
  // The engine loads only for this command: plain commands never pay for it.
  const { servePaper } = await import('../daemon/paper-serve.js');
  const { formatIst } = await import('./ui/format.js');
  await servePaper(
    opts,
    (r) =>
      void io.print(r, () =>
        [
          `paper exchange running (Ctrl-C to stop)`,
          `  REST root       ${r.restRoot}`,
          `  WebSocket root  ${r.wsRoot}`,
          `  market time     ${formatIst(r.now)}, seed ${r.seed}`,
          `  login           ${r.loginUrl}  (any api_key; api_secret "${r.apiSecret}")`,
          `  admin           ${r.restRoot}/paper/admin/state`,
        ].join('\n'),
      ),
  );
}
