import { invalid, type ParseError } from '../../src/domain/parse/error.js';
import { parseQuantity } from '../../src/domain/parse/quantity.js';
import { exitCodeFor, isErrorCode } from '../../src/protocol/errors.js';
import type { RespondResult } from '../../src/protocol/methods/execution.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';

type Choice = 'cancel' | 'limit' | 'proceed';
const CHOICES: readonly Choice[] = ['cancel', 'limit', 'proceed'];

function parseChoice(value: unknown, field: string): Choice | ParseError {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return CHOICES.find((c) => c === text) ?? invalid(field, 'cancel, limit or proceed', value);
}

/** `som alerts respond ID cancel|limit|proceed`. */
export function respondCommand(deps: CliDeps): Command {
  return new Command('respond')
    .argument('<id>', "the held order's alert id (som alerts)")
    .argument('<choice>', 'cancel (nothing is sent), limit (a LIMIT at the price computed now), proceed (as you asked)')
    .description('answer a held order: cancel it, send it as a LIMIT at the computed price, or proceed as asked')
    .addHelpText(
      'after',
      [
        '',
        'On limit or proceed the market is analysed again: if it got worse than when you looked,',
        'you are asked again (exit 4, a new alert). An order not answered in time is never sent.',
        '',
        'Exit codes: 0 cancelled or sent; 2 bad input, or the alert expired or was answered;',
        '3 somd not reachable; 4 asked again, or refused by smart execution; 5 broker error.',
      ].join('\n'),
    )
    .action(
      action(deps, (io, id: string, choice: string) =>
        run(flag('alert id', parseQuantity)(id), flag('choice', parseChoice)(choice), io),
      ),
    );
}

/** Send the answer; print what it did. */
export async function run(id: number, choice: Choice, io: CommandIO): Promise<void> {
  const r = await (await io.client()).call('alerts.respond', { id, choice });
  await io.print(r, async () => (await import('../ui/execution.js')).renderRespond(r));
  io.exitWith(exitOf(r));
}

function exitOf(r: RespondResult): number {
  if (r.outcome === 'asked_again') return 4;
  const error = r.trade?.error;
  if (r.outcome === 'failed' && error) return isErrorCode(error.code) ? exitCodeFor(error.code) : 1;
  return 0;
}
