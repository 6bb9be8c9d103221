import {
  EXCHANGES,
  ORDER_TYPES,
  PLACEABLE_VARIETIES,
  TRADING_PRODUCTS,
  TRANSACTION_TYPES,
  VALIDITIES,
} from '../../src/domain/values.js';
import type { Command } from '../commander.js';

/** Values som asks somd for while completing: strategy names and ids, open order ids. */
export type DynamicValues = 'strategies' | 'orders';
export const DYNAMIC_VALUES: readonly DynamicValues[] = ['strategies', 'orders'];

/** What completes a value: a fixed list (an option's choices), somd's, or nothing (free text). */
export type ValueSource = { choices: string[] } | { dynamic: DynamicValues } | null;

export interface OptionSpec {
  /** `--qty`, and `-q` when it has a short form. */
  names: string[];
  description: string;
  takesValue: boolean;
  values: ValueSource;
}

/** One command as completion sees it: where it sits, what follows it. */
export interface CommandSpec {
  /** The words from `som` to it: [] for som itself, ['order', 'place'] for `som order place`. */
  path: string[];
  subcommands: { name: string; description: string }[];
  /** Its own options and those of every command above it (som's --json works anywhere). */
  options: OptionSpec[];
  /** What its positional arguments take, in order. */
  args: ValueSource[];
}

/** Strategy options and arguments complete with somd's strategies; order ids with its open orders. */
const DYNAMIC_OPTIONS: Readonly<Record<string, DynamicValues>> = { '--strategy': 'strategies' };
const DYNAMIC_ARGUMENTS: Readonly<Record<string, DynamicValues>> = {
  orderId: 'orders',
  orderA: 'orders',
  orderB: 'orders',
  strategy: 'strategies',
};

/**
 * Options whose values are Kite's fixed words, read by som's parsers rather than commander's
 * choices: completed from the same lists the parsers take (src/domain/values.ts).
 */
const KITE_WORDS: Readonly<Record<string, readonly string[]>> = {
  '--side': TRANSACTION_TYPES,
  '--product': TRADING_PRODUCTS,
  '--validity': VALIDITIES,
  '--variety': PLACEABLE_VARIETIES,
  '--exchange': EXCHANGES,
};

/** `--type` is an order type under `som order`; elsewhere (som audit) it is free text. */
function kiteWords(path: readonly string[], option: string): readonly string[] | undefined {
  if (option === '--type') return path[0] === 'order' ? ORDER_TYPES : undefined;
  return KITE_WORDS[option];
}

/** Every command of the program (som's whole tree, hidden ones left out), parents first. */
export function commandSpecs(program: Command): CommandSpec[] {
  const out: CommandSpec[] = [];
  const help = program.createHelp();
  const walk = (command: Command, path: string[], inherited: OptionSpec[]) => {
    const options = [
      ...inherited,
      ...command.options
        .filter((o) => !o.hidden)
        .map(
          (o): OptionSpec => ({
            names: [o.long, o.short].filter((n): n is string => typeof n === 'string'),
            description: o.description,
            takesValue: o.required || o.optional,
            values: valuesOf(path, o.long, o.argChoices),
          }),
        ),
      { names: ['--help', '-h'], description: 'show help', takesValue: false, values: null },
    ];
    const visible = help.visibleCommands(command).filter((c) => c.name() !== 'help');
    out.push({
      path,
      subcommands: visible.map((c) => ({ name: c.name(), description: c.description() })),
      options: dedupe(options),
      args: command.registeredArguments.map((a) =>
        DYNAMIC_ARGUMENTS[a.name()]
          ? { dynamic: DYNAMIC_ARGUMENTS[a.name()]! }
          : a.argChoices
            ? { choices: [...a.argChoices] }
            : null,
      ),
    });
    // Program options reach every subcommand; a subcommand's own stay with it.
    const passed = path.length === 0 ? options.filter((o) => !o.names.includes('--version')) : inherited;
    for (const sub of visible)
      walk(
        sub,
        [...path, sub.name()],
        passed.filter((o) => !o.names.includes('--help')),
      );
  };
  walk(program, [], []);
  return out;
}

function valuesOf(
  path: readonly string[],
  long: string | undefined,
  choices: readonly string[] | undefined,
): ValueSource {
  if (choices) return { choices: [...choices] };
  if (!long) return null;
  const dynamic = DYNAMIC_OPTIONS[long];
  if (dynamic) return { dynamic };
  const words = kiteWords(path, long);
  return words ? { choices: [...words] } : null;
}

function dedupe(options: OptionSpec[]): OptionSpec[] {
  const seen = new Set<string>();
  return options.filter((o) => {
    const key = o.names[0]!;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
