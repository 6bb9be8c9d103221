import { beforeAll, describe, expect, it, vi } from 'vitest';
import { som } from './fake-som.js';
import { ORDER } from './fixtures.js';

beforeAll(() => {
  // Plain text whatever terminal runs the tests.
  vi.stubEnv('FORCE_COLOR', '0');
});

describe('som orders', () => {
  it('asks for every order by default (at most 500) and prints --json byte for byte', async () => {
    const r = await som(['--json', 'orders'], { 'orders.list': () => ({ orders: [ORDER] }) });
    expect(r.calls).toEqual([{ method: 'orders.list', params: { open: false, limit: 500 } }]);
    expect(r.stdout).toBe(`${JSON.stringify({ orders: [ORDER] }, null, 2)}\n`);
    expect(r.code).toBe(0);
  });

  it('--open, --strategy and --limit go as typed', async () => {
    const r = await som(['orders', '--open', '--strategy', 'nifty-weekly', '--limit', '20'], {
      'orders.list': () => ({ orders: [] }),
    });
    expect(r.calls[0]!.params).toEqual({ open: true, limit: 20, strategy: 'nifty-weekly' });
    expect(r.stdout).toBe('no orders\n');
  });

  it('the table marks orders placed outside som', async () => {
    const r = await som(['orders'], { 'orders.list': () => ({ orders: [{ ...ORDER, source: 'external' }] }) });
    expect(r.stdout).toContain('default*');
    expect(r.stdout).toContain('NSE:SBIN');
    // 960 in rupees with the paisa.
    expect(r.stdout).toContain('960.00');
    expect(r.stdout).toMatch(/\* placed outside som/);
  });

  it('--limit beyond what somd returns is refused before asking', async () => {
    const r = await som(['orders', '--limit', '10001']);
    expect(r).toMatchObject({
      code: 2,
      connected: false,
      stderr: 'som: --limit must be a whole number from 1 to 10000, not "10001"\n',
    });
  });
});

describe('som order modify, cancel, show', () => {
  it('modify sends only what changes; nothing to change is bad usage', async () => {
    const r = await som(['order', 'modify', ORDER.order_id, '--price', '955.5', '--type', 'limit'], {
      'orders.modify': () => ({ order_id: ORDER.order_id, order: ORDER }),
    });
    expect(r.calls).toEqual([
      { method: 'orders.modify', params: { order_id: ORDER.order_id, price: 955.5, order_type: 'LIMIT' } },
    ]);
    expect(r.stdout).toMatch(/^modify sent for order 251125000000101\n/);
    const nothing = await som(['order', 'modify', ORDER.order_id]);
    expect(nothing).toMatchObject({ code: 2, connected: false });
    expect(nothing.stderr).toMatch(/nothing to change/);
  });

  it('cancel and show name the order', async () => {
    const cancel = await som(['order', 'cancel', ORDER.order_id], {
      'orders.cancel': () => ({ order_id: ORDER.order_id, order: null }),
    });
    expect(cancel.calls[0]).toEqual({ method: 'orders.cancel', params: { order_id: ORDER.order_id } });
    expect(cancel.stdout).toBe('cancel sent for order 251125000000101\n');
    const show = await som(['order', 'show', ORDER.order_id], { 'orders.show': () => ({ order: ORDER }) });
    expect(show.stdout).toMatch(/^order +251125000000101 \(regular, DAY\)/);
  });
});
