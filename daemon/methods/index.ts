import type { MethodName, ParamsOf, ResultOf } from '../../src/protocol/methods.js';
import type { ClientChannel } from '../client-channel.js';
import type { DaemonContext } from '../context.js';
import { adminHandlers } from './admin.js';
import { alertHandlers } from './alerts.js';
import { auditHandlers } from './audit.js';
import { booksHandlers } from './books.js';
import { costHandlers } from './costs.js';
import { eventHandlers } from './events.js';
import { executionHandlers } from './execution.js';
import { housekeepingHandlers } from './housekeeping.js';
import { instrumentHandlers } from './instruments.js';
import { orderHandlers } from './orders.js';
import { riskHandlers } from './risk.js';
import { sessionHandlers } from './session.js';
import { settingsHandlers } from './settings.js';
import { strategyHandlers } from './strategies.js';
import { systemHandlers } from './system.js';

/** A method's handler; `client` is the connection the request came on (subscriptions push to it). */
export type Handler<M extends MethodName> = (
  params: ParamsOf<M>,
  ctx: DaemonContext,
  client: ClientChannel,
) => Promise<ResultOf<M>>;
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
  ...executionHandlers,
  ...booksHandlers,
  ...eventHandlers,
  ...riskHandlers,
};
