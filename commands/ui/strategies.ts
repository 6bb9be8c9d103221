import type { Strategy, StrategyWithSettings } from '../../src/domain/strategy.js';
import { formatIst, formatRupees } from './format.js';
import { renderSettings } from './settings.js';
import { num, renderTable } from './table.js';

/** `som strategies list`: one row a strategy, with its totals and risk status. */
export function renderStrategies(list: readonly Strategy[]): string {
  return renderTable(
    [
      'id',
      'name',
      'profile',
      'risk',
      num('brokerage paid'),
      num('taxes paid'),
      num('margin blocked'),
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
  );
}

/** `som strategies create`: the new strategy and the settings it starts with. */
export function renderCreated(strategy: StrategyWithSettings): string {
  return `created strategy ${strategy.name} (id ${strategy.id}, profile ${strategy.profile})\n\n${renderSettings(strategy.settings)}`;
}

/** `som strategies show`: one strategy's totals, risk status and every setting. */
export function renderStrategy(s: StrategyWithSettings): string {
  return [
    `${s.name} (id ${s.id}), profile ${s.profile}, risk ${s.risk_status}, created ${formatIst(s.created_at)}`,
    `brokerage paid ${formatRupees(s.total_brokerage_paid)}, taxes paid ${formatRupees(s.total_taxes_paid)}, margin blocked ${formatRupees(s.total_margin_blocked)}`,
    `last housekeeping ${formatIst(s.last_housekeeping_run)}`,
    '',
    renderSettings(s.settings),
  ].join('\n');
}
