import type { Command } from 'commander';
import type { CliDeps } from './context.js';

/** What adds a top-level command (with its subcommands) to the program. */
export type Registrar = (program: Command, deps: CliDeps) => void;

/** The registrar of a module that builds one top-level command. */
const adding =
  (build: (deps: CliDeps) => Command): Registrar =>
  (program, deps) =>
    void program.addCommand(build(deps));

/** A top-level command as `som --help` lists it, and where its definition lives. */
export interface TopCommand {
  name: string;
  /** How the root help writes it: the name, `[options]` if it has any, its arguments. */
  term: string;
  summary: string;
  load(): Promise<Registrar>;
}

/**
 * Every top-level command, in the order `som --help` lists them. som loads only the module of
 * the command it runs, so a plain command reads a handful of modules; `som --help` needs
 * nothing but this list. Each command takes its description from here (`summaryOf`), and a test
 * checks the terms against the definitions.
 */
export const TOP_COMMANDS: readonly TopCommand[] = [
  {
    name: 'status',
    term: 'status',
    summary: 'health of somd: store, broker link, scheduler, uptime',
    load: async () => adding((await import('./status.js')).statusCommand),
  },
  {
    name: 'strategies',
    term: 'strategies',
    summary: 'strategies group orders under shared settings and limits',
    load: async () => adding((await import('./strategies.js')).strategiesCommand),
  },
  {
    name: 'settings',
    term: 'settings',
    summary: "a strategy's housekeeping, execution, margin and risk settings",
    load: async () => adding((await import('./settings.js')).settingsCommand),
  },
  {
    name: 'login',
    term: 'login [options]',
    summary: 'sign in to Kite for the day (paper mode: automatic); somd keeps the token in a 0600 file',
    load: async () => adding((await import('./login.js')).loginCommand),
  },
  {
    name: 'logout',
    term: 'logout',
    summary: "forget the day's access token (order placement stops until the next login)",
    load: async () => adding((await import('./login.js')).logoutCommand),
  },
  {
    name: 'orders',
    term: 'orders [options]',
    summary: "every order on the account (som's and those placed elsewhere), newest first",
    load: async () => adding((await import('./orders/list.js')).listCommand),
  },
  {
    name: 'order',
    term: 'order',
    summary: 'place, modify, cancel or show one order',
    load: async () => adding((await import('./orders/order.js')).orderCommand),
  },
  {
    name: 'positions',
    term: 'positions [options]',
    summary: "the account's net positions as the broker reports them",
    load: async () => adding((await import('./orders/positions.js')).positionsCommand),
  },
  {
    name: 'analyze',
    term: 'analyze [options] <instrument>',
    summary: "an order's market: depth, spread, impact, liquidity, and how som would send it (nothing is sent)",
    load: async () => adding((await import('./execution/analyze.js')).analyzeCommand),
  },
  {
    name: 'trade',
    term: 'trade [options] [instrument]',
    summary: 'send an order or a basket the smart way: analysed, costed, confirmed, then sent or held for you',
    load: async () => adding((await import('./execution/trade.js')).tradeCommand),
  },
  {
    name: 'costs',
    term: 'costs [options] [instrument]',
    summary: 'every charge of an order or a basket, entry and exit, and the margin it needs, before you trade',
    load: async () => adding((await import('./costs/calculate.js')).calculateCommand),
  },
  {
    name: 'margin',
    term: 'margin [options]',
    summary: "margin for a strategy's open legs (or the account's) plus proposed ones, against the free margin",
    load: async () => adding((await import('./costs/margin.js')).marginCommand),
  },
  {
    name: 'funds',
    term: 'funds',
    summary: 'free and used margin per segment (equity, commodity), as the broker reports it',
    load: async () => adding((await import('./costs/funds.js')).fundsCommand),
  },
  {
    name: 'orphans',
    term: 'orphans',
    summary: 'stop-loss and target orders that outlived the position they protected',
    load: async () => adding((await import('./orphans/orphans.js')).orphansCommand),
  },
  {
    name: 'oco',
    term: 'oco',
    summary: 'one-cancels-other pairs of a stop and a target',
    load: async () => adding((await import('./orphans/oco.js')).ocoCommand),
  },
  {
    name: 'reconcile',
    term: 'reconcile [options]',
    summary:
      're-read the account from the broker now; show how positions changed and what is orphaned (--data: reconcile every record)',
    load: async () => adding((await import('./orphans/reconcile.js')).reconcileCommand),
  },
  {
    name: 'risk',
    term: 'risk',
    summary: 'trading state, limits and headroom per strategy and for the account; recent breaches',
    load: async () => adding((await import('./risk/show.js')).riskCommand),
  },
  {
    name: 'halt',
    term: 'halt [options]',
    summary: 'kill switch: HALT a strategy or the account (no new orders but exits), optionally square off',
    load: async () => adding((await import('./risk/halt.js')).haltCommand),
  },
  {
    name: 'resume',
    term: 'resume [options]',
    summary: 'lift a halt (a loss-limit halt needs --force until the next trading day)',
    load: async () => adding((await import('./risk/resume.js')).resumeCommand),
  },
  {
    name: 'pnl',
    term: 'pnl [options]',
    summary: "the day's mark-to-market P&L from the snapshots, as a table or a chart",
    load: async () => adding((await import('./pnl/show.js')).pnlCommand),
  },
  {
    name: 'greeks',
    term: 'greeks [options]',
    summary: 'option Greeks per position and net, with the inputs they were valued on',
    load: async () => adding((await import('./pnl/greeks.js')).greeksCommand),
  },
  {
    name: 'alerts',
    term: 'alerts',
    summary: 'alerts somd raised for you (held orders to answer, login needed, broker unhealthy, ...)',
    load: async () => adding((await import('./alerts/alerts.js')).alertsCommand),
  },
  {
    name: 'report',
    term: 'report',
    summary:
      "reports: execution quality over a period, the day's books (P&L, charges, reconciliation, carried positions)",
    load: async () => adding((await import('./report/report.js')).reportCommand),
  },
  {
    name: 'watch',
    term: 'watch [options]',
    summary: 'a live dashboard: P&L, positions, open orders, orphans handled, alerts, broker health',
    load: async () => adding((await import('./watch.js')).watchCommand),
  },
  {
    name: 'events',
    term: 'events [options]',
    summary: "somd's events as they happen: orders, positions, ticks, alerts, jobs (--json: a JSON object a line)",
    load: async () => adding((await import('./events.js')).eventsCommand),
  },
  {
    name: 'audit',
    term: 'audit',
    summary: 'the audit trail (newest first), its hash chain verified, exported to keep elsewhere',
    load: async () => adding((await import('./audit/audit.js')).auditCommand),
  },
  {
    name: 'instruments',
    term: 'instruments',
    summary: "look up Kite's instrument master kept by somd",
    load: async () => adding((await import('./instruments.js')).instrumentsCommand),
  },
  {
    name: 'admin',
    term: 'admin',
    summary: "somd's housekeeping: scheduled jobs",
    load: async () => adding((await import('./admin.js')).adminCommand),
  },
  {
    name: 'config',
    term: 'config',
    summary: "som's own preferences: default strategy, output, colour, socket (not somd's config file)",
    load: async () => adding((await import('./config/config.js')).configCommand),
  },
  {
    name: 'service',
    term: 'service',
    summary: 'run somd under systemd: install its user unit',
    load: async () => adding((await import('./service/service.js')).serviceCommand),
  },
  {
    name: 'completion',
    term: 'completion [options] [shell]',
    summary: 'shell completion for bash, zsh or fish, written from these commands',
    load: async () => adding((await import('./completion/completion.js')).completionCommand),
  },
  {
    name: 'paper',
    term: 'paper',
    summary: 'the built-in paper exchange (Kite Connect compatible, loopback only)',
    load: async () => adding((await import('./paper.js')).paperCommand),
  },
];

/** A top-level command's one-line description. */
export function summaryOf(name: string): string {
  const command = TOP_COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`no top-level command ${name} in commands/manifest.ts`);
  return command.summary;
}
