import { describe, expect, it } from 'vitest';
import { brokerMessageText, errorText, orderUpdateText } from '../../../src/paper/ticks/server-message.js';
import { fixtureJson } from './helpers.js';

describe('server text messages', () => {
  it('wraps an order postback as {"type":"order","data":...}, the shape the clients raise order_update for', () => {
    const postback = fixtureJson<Record<string, unknown>>('postback.json');
    expect(JSON.parse(orderUpdateText(postback))).toEqual({ type: 'order', data: postback });
  });

  it('sends errors and broker messages as strings in data', () => {
    expect(JSON.parse(errorText('bad token'))).toEqual({ type: 'error', data: 'bad token' });
    expect(JSON.parse(brokerMessageText('market closed'))).toEqual({ type: 'message', data: 'market closed' });
  });
});
