import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';

export interface HaltOptions {
  /** One strategy; absent: the account (every strategy). */
  strategy?: StrategyRef | undefined;
  flatten: boolean;
  reason?: string | undefined;
}

/** `som halt`: the kill switch. */
export function haltCommand(deps: CliDeps): Command {
  return new Command('halt')
    .description(summaryOf('halt'))
    .option('--strategy <name>', 'halt this strategy only (name or id)', flag('--strategy', parseStrategyRef))
    .option('--all', 'halt the account: every strategy (the default)')
    .option('--flatten', 'also square off every position of what is halted, now')
    .option('--reason <text>', 'why, kept with the halt and in the audit trail')
    .addHelpText(
      'after',
      '\nHALTED refuses every new order except exits; cancels are allowed. Working entry orders are\n' +
        'cancelled. The halt lasts until `som resume`. Exit codes: 0 halted, 2 bad input, 3 somd not reachable.',
    )
    .action(
      action(deps, (io, flags: { strategy?: StrategyRef; all?: boolean; flatten?: boolean; reason?: string }) => {
        if (flags.strategy !== undefined && flags.all) throw usageError('give --strategy or --all, not both');
        return run({ strategy: flags.strategy, flatten: flags.flatten === true, reason: flags.reason }, io);
      }),
    );
}

/** Ask somd to halt a strategy or the account. */
export async function run(opts: HaltOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('risk.halt', {
    flatten: opts.flatten,
    ...(opts.strategy === undefined ? {} : { strategy: opts.strategy }),
    ...(opts.reason === undefined ? {} : { reason: opts.reason }),
  });
  await io.print(result, async () => (await import('../ui/risk.js')).renderHalt(result));
}
