import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';

export interface ResumeOptions {
  /** One strategy; absent: the account and every strategy not ACTIVE. */
  strategy?: StrategyRef | undefined;
  force: boolean;
}

/** `som resume`: lift a halt. */
export function resumeCommand(deps: CliDeps): Command {
  return new Command('resume')
    .description(summaryOf('resume'))
    .option('--strategy <name>', 'resume this strategy only (name or id)', flag('--strategy', parseStrategyRef))
    .option('--all', 'resume the account and every strategy that is not ACTIVE (the default)')
    .option('--force', 'also lift a halt caused by a loss limit today (the limit stays acknowledged until tomorrow)')
    .addHelpText(
      'after',
      '\nA strategy halted by a loss limit stays halted until the next trading day unless resumed with\n' +
        '--force. Exit codes: 0 resumed, 2 bad input, 3 somd not reachable, 4 a halt could not be lifted\n' +
        '(a loss-limit halt without --force).',
    )
    .action(
      action(deps, (io, flags: { strategy?: StrategyRef; all?: boolean; force?: boolean }) => {
        if (flags.strategy !== undefined && flags.all) throw usageError('give --strategy or --all, not both');
        return run({ strategy: flags.strategy, force: flags.force === true }, io);
      }),
    );
}

/** Ask somd to resume; halts it could not lift are named on stderr and end with exit 4. */
export async function run(opts: ResumeOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('risk.resume', {
    force: opts.force,
    ...(opts.strategy === undefined ? {} : { strategy: opts.strategy }),
  });
  await io.print(result, async () => (await import('../ui/risk.js')).renderResume(result));
  for (const r of result.refused) io.note(`som: ${r.scope} is still halted: ${r.reason}`);
  if (result.refused.length > 0) io.exitWith(4);
}
