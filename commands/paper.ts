import type { Command } from 'commander';
import { action, usageError } from './context.js';
import { formatIst } from './ui/format.js';

interface ServeFlags {
  port: string;
  seed: string;
  clock: string;
  speed: string;
  apiSecret: string;
}

export function registerPaper(program: Command): void {
  const paper = program
    .command('paper')
    .description('the built-in paper exchange (Kite Connect compatible, loopback only)');

  paper
    .command('serve')
    .description('run the paper exchange alone, for your own scripts with the kiteconnect client; Ctrl-C stops it')
    .option('--port <n>', 'loopback port (0 picks a free one)', '0')
    .option('--seed <n>', 'market seed: same seed, same market', '1')
    .option('--clock <start>', '"auto" (market open now), "real", or an ISO instant', 'auto')
    .option('--speed <x>', 'paper seconds per wall second', '1')
    .option('--api-secret <secret>', 'the api_secret every api_key signs with', 'paper')
    .action(
      action(async (ctx, flags: ServeFlags) => {
        const port = wholeNumber('--port', flags.port, 0, 65_535);
        const seed = wholeNumber('--seed', flags.seed, 0, 2 ** 31 - 1);
        const speed = Number(flags.speed);
        if (!(speed > 0) || speed > 10_000)
          throw usageError(`--speed: expected a number above 0 and at most 10000, got "${flags.speed}"`);
        let clock: 'auto' | 'real' | Date;
        if (flags.clock === 'auto' || flags.clock === 'real') clock = flags.clock;
        else {
          clock = new Date(flags.clock);
          if (!/T.*([zZ]|[+-]\d\d:\d\d)$/.test(flags.clock) || Number.isNaN(clock.getTime())) {
            throw usageError(
              `--clock: expected auto, real or an ISO instant with offset (2026-11-25T09:15:00+05:30), got "${flags.clock}"`,
            );
          }
        }
        // The engine loads only for this command: plain commands never pay for it.
        const { servePaper } = await import('../daemon/paper-serve.js');
        await servePaper({ port, seed, clock, speed, apiSecret: flags.apiSecret }, (r) =>
          ctx.print(r, () =>
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
      }),
    );
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw usageError(`${flag}: expected a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}
