import { parseStrategyRef } from '../src/domain/parse/strategy-ref.js';
import { PROFILE_NAMES, type ProfileName, parseProfileName } from '../src/domain/setting-keys.js';
import { choiceList } from '../src/domain/values.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO } from './context.js';
import { flag } from './flags.js';
import { summaryOf } from './manifest.js';

/** `som strategies list|create|show`. */
export function strategiesCommand(deps: CliDeps): Command {
  return new Command('strategies')
    .description(summaryOf('strategies'))
    .addCommand(
      new Command('list')
        .description('every strategy with its totals and risk status')
        .action(action(deps, (io) => runList(io))),
      { isDefault: true },
    )
    .addCommand(
      new Command('create')
        .argument('<name>', '1-32 letters, digits, _ or -')
        .description('create a strategy, its settings copied from a profile')
        .option(
          '--profile <profile>',
          `settings to start from: ${choiceList(PROFILE_NAMES)}`,
          flag('--profile', parseProfileName),
          'default' satisfies ProfileName,
        )
        .action(
          action(deps, (io, name: string, flags: { profile: ProfileName }) => runCreate(name, flags.profile, io)),
        ),
    )
    .addCommand(
      new Command('show')
        .argument('<strategy>', "the strategy's name or id")
        .description('one strategy: totals, risk status and every setting')
        .action(action(deps, (io, strategy: string) => runShow(strategy, io))),
    );
}

/** Ask somd for every strategy. */
export async function runList(io: CommandIO): Promise<void> {
  const { strategies } = await (await io.client()).call('strategies.list', {});
  await io.print({ strategies }, async () => (await import('./ui/strategies.js')).renderStrategies(strategies));
}

/** Create a strategy from a profile. */
export async function runCreate(name: string, profile: ProfileName, io: CommandIO): Promise<void> {
  const { strategy } = await (await io.client()).call('strategies.create', { name, profile });
  await io.print({ strategy }, async () => (await import('./ui/strategies.js')).renderCreated(strategy));
}

/** One strategy by name or id (text of digits is an id). */
export async function runShow(ref: string, io: CommandIO): Promise<void> {
  const strategy = flag('strategy', parseStrategyRef)(ref);
  const result = await (await io.client()).call('strategies.show', { strategy });
  await io.print(result, async () => (await import('./ui/strategies.js')).renderStrategy(result.strategy));
}
