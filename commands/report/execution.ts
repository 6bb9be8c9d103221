import { parseCalendarDate } from '../../src/domain/parse/date.js';
import { parseStrategyRef, type StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';

export interface ExecutionReportOptions {
  since?: string | undefined;
  strategy?: StrategyRef | undefined;
}

/** `som report execution`: how som's orders filled against their analysis, and how held orders were answered. */
export function executionCommand(deps: CliDeps): Command {
  return new Command('execution')
    .description('execution quality: slippage, fills at the expected price, alert answers, decisions, prediction error')
    .option(
      '--since <YYYY-MM-DD>',
      'from this day, IST (default: the last 30 days)',
      flag('--since', parseCalendarDate),
    )
    .option('--strategy <name>', "one strategy's orders only", flag('--strategy', parseStrategyRef))
    .addHelpText(
      'after',
      [
        '',
        'Targets: average slippage against the arrival mid under 0.2% for liquid instruments; 95% of',
        'fills at the predicted price or better; more than 80% of held orders answered before they lapse.',
        'Slippage counts orders meant to fill at once (MARKET, or a LIMIT at or through the touch);',
        'resting LIMITs and stops are counted apart.',
      ].join('\n'),
    )
    .action(action(deps, (io, flags: ExecutionReportOptions) => run(flags, io)));
}

export async function run(opts: ExecutionReportOptions, io: CommandIO): Promise<void> {
  const report = await (await io.client()).call('execution.report', {
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    ...(opts.strategy !== undefined ? { strategy: opts.strategy } : {}),
  });
  await io.print(report, async () => (await import('../ui/execution.js')).renderQualityReport(report));
}
