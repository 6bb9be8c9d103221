import { parseCalendarDate } from '../../src/domain/parse/date.js';
import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';

export interface PnlOptions {
  strategy?: StrategyRef | undefined;
  date?: string | undefined;
  chart: boolean;
}

/** `som pnl`: the day's mark-to-market. */
export function pnlCommand(deps: CliDeps): Command {
  return new Command('pnl')
    .description(summaryOf('pnl'))
    .option(
      '--strategy <name>',
      'this strategy (name or id); default: the account',
      flag('--strategy', parseStrategyRef),
    )
    .option('--date <YYYY-MM-DD>', 'the day (IST); default: today', flag('--date', parseCalendarDate))
    .option('--chart', 'draw the day as a line chart, with its high, low and largest drawdown')
    .action(
      action(deps, (io, flags: { strategy?: StrategyRef; date?: string; chart?: boolean }) =>
        run({ strategy: flags.strategy, date: flags.date, chart: flags.chart === true }, io),
      ),
    );
}

/** Ask somd for the day's P&L snapshots. */
export async function run(opts: PnlOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('pnl.show', {
    ...(opts.strategy === undefined ? {} : { strategy: opts.strategy }),
    ...(opts.date === undefined ? {} : { date: opts.date }),
  });
  await io.print(result, async () => {
    const ui = await import('../ui/pnl.js');
    return opts.chart ? ui.renderPnlChart(result, process.stdout.columns ?? 80) : ui.renderPnl(result);
  });
}
