import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCalendarDate } from '../../src/domain/parse/date.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';

export interface EodOptions {
  date?: string | undefined;
  html?: string | undefined;
}

/** `som report eod`: a trading day's end-of-day report. */
export function eodCommand(deps: CliDeps): Command {
  return new Command('eod')
    .description(
      "a trading day's end-of-day report: per strategy trades, realised and unrealised P&L, charges by kind; " +
        "orphans, alerts, reconciliation, positions carried overnight with their protection; the day's success " +
        'metrics. The stored report once the end-of-day run made it (som admin run eod), else one built now',
    )
    .option('--date <date>', 'the trading day, YYYY-MM-DD (default: today, IST)', flag('--date', parseCalendarDate))
    .option('--html <file>', 'also write the report as a self-contained HTML file (readable offline)')
    .action(action(deps, (io, flags: EodOptions) => run(flags, io)));
}

/** Ask somd for the report; print it, and write its HTML where asked. */
export async function run(opts: EodOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('report.eod', opts.date === undefined ? {} : { date: opts.date });
  if (opts.html !== undefined) {
    const path = resolve(opts.html);
    const { renderEodHtml } = await import('../../src/eod/html.js');
    writeFileSync(path, renderEodHtml(result.report), { mode: 0o600 });
    io.note(`wrote ${path}`);
  }
  await io.print(result, async () => (await import('../ui/eod.js')).renderEod(result.report, result.html_path));
}
