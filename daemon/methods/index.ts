import type { MethodName, ParamsOf, ResultOf } from '../../src/protocol/methods.js';
import type { DaemonContext } from '../context.js';
import { adminHandlers } from './admin.js';
import { alertHandlers } from './alerts.js';
import { auditHandlers } from './audit.js';
import { costHandlers } from './costs.js';
import { housekeepingHandlers } from './housekeeping.js';
import { instrumentHandlers } from './instruments.js';
import { orderHandlers } from './orders.js';
import { riskHandlers } from './risk.js';
import { sessionHandlers } from './session.js';
import { settingsHandlers } from './settings.js';
import { strategyHandlers } from './strategies.js';
import { systemHandlers } from './system.js';

export type Handler<M extends MethodName> = (params: ParamsOf<M>, ctx: DaemonContext) => Promise<ResultOf<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** Every method has exactly one handler; the type makes a missing one a compile error. */
export const HANDLERS: Handlers = {
  ...systemHandlers,
  ...strategyHandlers,
  ...settingsHandlers,
  ...auditHandlers,
  ...orderHandlers,
  ...housekeepingHandlers,
  ...sessionHandlers,
  ...alertHandlers,
  ...instrumentHandlers,
  ...adminHandlers,
  ...costHandlers,
  ...riskHandlers,
};
