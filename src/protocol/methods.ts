import type { z } from 'zod';
import { adminMethods } from './methods/admin.js';
import { alertMethods } from './methods/alerts.js';
import { auditMethods } from './methods/audit.js';
import { booksMethods } from './methods/books.js';
import { costMethods } from './methods/costs.js';
import { eventMethods } from './methods/events.js';
import { executionMethods } from './methods/execution.js';
import { housekeepingMethods } from './methods/housekeeping.js';
import { instrumentMethods } from './methods/instruments.js';
import { orderMethods } from './methods/orders.js';
import { riskMethods } from './methods/risk.js';
import { sessionMethods } from './methods/session.js';
import { settingsMethods } from './methods/settings.js';
import { strategyMethods } from './methods/strategies.js';
import { systemMethods } from './methods/system.js';

/**
 * Every RPC method som and somd share: `area.verb` -> schemas of its params and result.
 * The daemon validates params with these before a handler runs; the CLI types its calls
 * with them. Add a method by adding it to its area's file.
 */
export const METHODS = {
  ...systemMethods,
  ...strategyMethods,
  ...settingsMethods,
  ...auditMethods,
  ...orderMethods,
  ...housekeepingMethods,
  ...sessionMethods,
  ...alertMethods,
  ...instrumentMethods,
  ...adminMethods,
  ...costMethods,
  ...executionMethods,
  ...booksMethods,
  ...eventMethods,
  ...riskMethods,
} as const;

export type MethodName = keyof typeof METHODS;
/** What a caller sends (defaults not yet applied). */
export type ParamsIn<M extends MethodName> = z.input<(typeof METHODS)[M]['params']>;
/** What a handler receives (validated, defaults applied). */
export type ParamsOf<M extends MethodName> = z.output<(typeof METHODS)[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<(typeof METHODS)[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}
