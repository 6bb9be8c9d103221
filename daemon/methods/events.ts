import { SomError } from '../../src/protocol/errors.js';
import type { Handler } from './index.js';

const subscribe: Handler<'events.subscribe'> = async (params, ctx, client) => {
  if (client.closed)
    throw new SomError('INVALID_REQUEST', 'events are pushed on a socket connection; this one has none');
  return ctx.events.subscribe(client, params);
};

const unsubscribe: Handler<'events.unsubscribe'> = async ({ subscription }, ctx, client) => ({
  unsubscribed: ctx.events.unsubscribe(client, subscription),
});

export const eventHandlers = { 'events.subscribe': subscribe, 'events.unsubscribe': unsubscribe };
