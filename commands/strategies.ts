import { type Command, Option } from 'commander';
import { PROFILE_NAMES } from '../src/protocol/methods/settings.js';
import { action } from './context.js';
import { renderSettings } from './settings.js';
import { formatIst, formatRupees } from './ui/format.js';
import { renderTable } from './ui/table.js';

export function registerStrategies(program: Command): void {
  const strategies = program
    .command('strategies')
    .description('strategies group orders under shared settings and limits');

  strategies
    .command('list', { isDefault: true })
    .description('every strategy with its totals and risk status')
    .action(
      action(async (ctx) => {
        const { strategies: list } = await (await ctx.client()).call('strategies.list', {});
        ctx.print({ strategies: list }, () =>
          renderTable(
            [
              'id',
              'name',
              'profile',
              'risk',
              'brokerage paid',
              'taxes paid',
              'margin blocked',
              'last housekeeping',
              'created',
            ],
            list.map((s) => [
              s.id,
              s.name,
              s.profile,
              s.risk_status,
              formatRupees(s.total_brokerage_paid),
              formatRupees(s.total_taxes_paid),
              formatRupees(s.total_margin_blocked),
              formatIst(s.last_housekeeping_run),
              formatIst(s.created_at),
            ]),
          ),
        );
      }),
    );

  strategies
    .command('create <name>')
    .description('create a strategy, its settings copied from a profile')
    .addOption(new Option('--profile <profile>', 'settings to start from').choices(PROFILE_NAMES).default('default'))
    .action(
      action(async (ctx, name: string, opts: { profile: (typeof PROFILE_NAMES)[number] }) => {
        const { strategy } = await (await ctx.client()).call('strategies.create', { name, profile: opts.profile });
        ctx.print(
          { strategy },
          () =>
            `created strategy ${strategy.name} (id ${strategy.id}, profile ${strategy.profile})\n\n${renderSettings(strategy.settings)}`,
        );
      }),
    );

  strategies
    .command('show <name>')
    .description('one strategy: totals, risk status and every setting')
    .action(
      action(async (ctx, name: string) => {
        const ref = /^\d+$/.test(name) ? Number(name) : name;
        const { strategy: s } = await (await ctx.client()).call('strategies.show', { strategy: ref });
        ctx.print({ strategy: s }, () =>
          [
            `${s.name} (id ${s.id}), profile ${s.profile}, risk ${s.risk_status}, created ${formatIst(s.created_at)}`,
            `brokerage paid ${formatRupees(s.total_brokerage_paid)}, taxes paid ${formatRupees(s.total_taxes_paid)}, margin blocked ${formatRupees(s.total_margin_blocked)}`,
            `last housekeeping ${formatIst(s.last_housekeeping_run)}`,
            '',
            renderSettings(s.settings),
          ].join('\n'),
        );
      }),
    );
}
