import { Argument, Command, Option } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { summaryOf } from '../manifest.js';
import { commandSpecs, DYNAMIC_VALUES, type DynamicValues } from './spec.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** A completion asks somd for values this long at most: a key press must not hang. */
const VALUES_TIMEOUT_MS = 1500;

/** `som completion bash|zsh|fish`, and the values it asks som for while completing. */
export function completionCommand(deps: CliDeps): Command {
  return new Command('completion')
    .description(summaryOf('completion'))
    .addArgument(new Argument('[shell]', 'the shell').choices(SHELLS))
    .addOption(
      new Option(
        '--values <kind>',
        `strategy names or open order ids from somd (${DYNAMIC_VALUES.join(', ')})`,
      ).hideHelp(),
    )
    .addHelpText(
      'after',
      '\nbash: source <(som completion bash)\nzsh:  source <(som completion zsh)   (after compinit)\n' +
        'fish: som completion fish | source\nStrategy names and open order ids complete from somd when it is running.',
    )
    .action(
      action(deps, (io, shell: string | undefined, flags: { values?: string }) =>
        flags.values !== undefined ? runValues(flags.values, io) : runScript(shell, deps, io),
      ),
    );
}

/** Print the script for `shell`, written from the whole command tree as it is now. */
export async function runScript(shell: string | undefined, deps: CliDeps, io: CommandIO): Promise<void> {
  if (shell === undefined || !(SHELLS as readonly string[]).includes(shell))
    throw usageError(`som completion needs a shell: ${SHELLS.join(', ')}`);
  const [{ buildProgram }, scripts] = await Promise.all([import('../main.js'), import('./scripts.js')]);
  const specs = commandSpecs(await buildProgram(deps, [], true));
  const write = { bash: scripts.bashScript, zsh: scripts.zshScript, fish: scripts.fishScript }[shell as Shell];
  io.line(write(specs).trimEnd());
}

/** Values for a completion, from somd; nothing (and exit 0) when it is not there or slow. */
export async function runValues(kind: string, io: CommandIO): Promise<void> {
  if (!(DYNAMIC_VALUES as readonly string[]).includes(kind)) return;
  const values = await Promise.race([
    fetchValues(kind as DynamicValues, io).catch(() => []),
    new Promise<string[]>((resolve) => setTimeout(() => resolve([]), VALUES_TIMEOUT_MS).unref()),
  ]);
  for (const value of values) io.line(value);
}

async function fetchValues(kind: DynamicValues, io: CommandIO): Promise<string[]> {
  const client = await io.client();
  if (kind === 'strategies') {
    const { strategies } = await client.call('strategies.list', {}, VALUES_TIMEOUT_MS);
    return strategies.map((s) => s.name);
  }
  const { orders } = await client.call('orders.list', { open: true, limit: 500 }, VALUES_TIMEOUT_MS);
  return orders.map((o) => o.order_id);
}
