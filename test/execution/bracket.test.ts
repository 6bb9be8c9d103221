import { describe, expect, it } from 'vitest';
import {
  type BracketFacts,
  type BracketPair,
  type OrderFacts,
  planBracket,
  type TaggedOrder,
} from '../../src/execution/bracket.js';

/** An order at the broker: `filled` of `quantity`, the rest pending unless it ended. */
function order(id: string, status: string, quantity: number, filled = 0): OrderFacts {
  const ended = status === 'COMPLETE' || status === 'CANCELLED' || status === 'REJECTED';
  return { order_id: id, status, quantity, filled_quantity: filled, pending_quantity: ended ? 0 : quantity - filled };
}

const placed = (tag: string, o: OrderFacts): TaggedOrder => ({ tag, intent: 'placed', in_flight: false, order: o });
const unsent = (tag: string): TaggedOrder => ({ tag, intent: null, in_flight: false, order: null });

/** A pair of live, untouched legs for `quantity`, linked unless `group` is null. */
function pair(id: number, quantity: number, over: Partial<BracketPair> = {}): BracketPair {
  return {
    id,
    quantity,
    stop: placed(`s${id}`, order(`S${id}`, 'TRIGGER PENDING', quantity)),
    target: placed(`t${id}`, order(`T${id}`, 'OPEN', quantity)),
    oco_group_id: 10 + id,
    grows: 0,
    alerted: false,
    ...over,
  };
}

/** A BUY entry of 100 with `filled` filled, `status`, and these pairs. */
function bracket(filled: number, status: string, pairs: BracketPair[] = []): BracketFacts {
  return { id: 1, side: 'BUY', entry: placed('e', order('E', status, 100, filled)), pairs };
}

const kinds = (b: BracketFacts) => planBracket(b).map((s) => s.kind);

describe('a bracket as its entry fills', () => {
  it('waits while the entry is on its way, and places nothing before a fill', () => {
    expect(
      kinds({ ...bracket(0, 'OPEN'), entry: { tag: 'e', intent: 'pending', in_flight: true, order: null } }),
    ).toEqual(['wait']);
    expect(planBracket(bracket(0, 'OPEN'))).toEqual([]);
  });

  it('the first fill gets a new pair for exactly what filled', () => {
    expect(planBracket(bracket(25, 'OPEN'))).toEqual([{ kind: 'place', quantity: 25 }]);
  });

  it('more fills grow the last pair while both legs are live and untouched; the legs are then modified up', () => {
    // Pair 1 protects 25; the entry has filled 60: the pair grows to 25 + 35 = 60.
    expect(planBracket(bracket(60, 'OPEN', [pair(1, 25)]))).toEqual([
      { kind: 'grow', pair_id: 1, quantity: 60 },
      { kind: 'modify', pair_id: 1, leg: 'stop', order_id: 'S1', quantity: 60 },
      { kind: 'modify', pair_id: 1, leg: 'target', order_id: 'T1', quantity: 60 },
    ]);
  });

  it('a pair whose leg has filled does not grow: the rest gets a new pair', () => {
    const touched = pair(1, 25, { stop: placed('s1', order('S1', 'TRIGGER PENDING', 25, 10)) });
    expect(planBracket(bracket(60, 'OPEN', [touched]))).toEqual([{ kind: 'place', quantity: 35 }]);
  });

  it('both legs at the broker and no OCO group yet: link them', () => {
    expect(planBracket(bracket(25, 'OPEN', [pair(1, 25, { oco_group_id: null })]))).toEqual([
      { kind: 'link', pair_id: 1, stop_order_id: 'S1', target_order_id: 'T1' },
    ]);
  });

  it('the entry complete and every fill covered: closed', () => {
    expect(planBracket(bracket(100, 'COMPLETE', [pair(1, 100)]))).toEqual([
      { kind: 'close', reason: 'the entry ended COMPLETE with 100 filled, all of it under an OCO stop and target' },
    ]);
  });

  it('the entry cancelled unfilled: closed, nothing placed', () => {
    expect(planBracket(bracket(0, 'CANCELLED'))).toEqual([
      { kind: 'close', reason: 'the entry ended CANCELLED unfilled: nothing placed' },
    ]);
  });

  it('the entry cancelled after a partial fill: the pair protects that fill, then closed', () => {
    expect(kinds(bracket(40, 'CANCELLED', [pair(1, 40)]))).toEqual(['close']);
    expect(planBracket(bracket(40, 'CANCELLED'))).toEqual([{ kind: 'place', quantity: 40 }]);
  });
});

describe('after a restart in the middle', () => {
  it('a leg recorded but never sent (no intent, nothing sending it) is sent under its tag', () => {
    const p = pair(1, 25, {
      stop: placed('s1', order('S1', 'TRIGGER PENDING', 25)),
      target: unsent('t1'),
      oco_group_id: null,
    });
    expect(planBracket(bracket(25, 'OPEN', [p]))).toEqual([
      { kind: 'send', pair_id: 1, leg: 'target', tag: 't1', quantity: 25 },
    ]);
  });

  it('a leg whose fate is not settled yet (pending, unknown, placed but unseen) is waited for: never sent twice', () => {
    for (const target of [
      { tag: 't1', intent: 'pending', in_flight: false, order: null },
      { tag: 't1', intent: 'unknown', in_flight: false, order: null },
      { tag: 't1', intent: 'placed', in_flight: false, order: null },
    ] satisfies TaggedOrder[]) {
      expect(kinds(bracket(60, 'OPEN', [pair(1, 25, { target })]))).toEqual(['wait']);
    }
  });

  it('a grow recorded before its legs were modified: the legs are modified up to it', () => {
    // The pair says 60; the stop was modified, the target still shows 25.
    const p = pair(1, 60, {
      stop: placed('s1', order('S1', 'TRIGGER PENDING', 60)),
      target: placed('t1', order('T1', 'OPEN', 25)),
    });
    expect(planBracket(bracket(60, 'OPEN', [p]))).toEqual([
      { kind: 'modify', pair_id: 1, leg: 'target', order_id: 'T1', quantity: 60 },
    ]);
  });

  it('a grow recorded, then a leg filled before both were modified: the pair is settled and the rest gets a new pair', () => {
    // Recorded 60; the legs show 25 and the target has filled 5: they protect max(25, 25) = 25.
    const p = pair(1, 60, {
      stop: placed('s1', order('S1', 'TRIGGER PENDING', 25)),
      target: placed('t1', order('T1', 'OPEN', 25, 5)),
    });
    expect(planBracket(bracket(60, 'OPEN', [p]))).toEqual([
      { kind: 'settle', pair_id: 1, quantity: 25, why: expect.stringMatching(/protect 25 of 60/) },
      { kind: 'place', quantity: 35 },
    ]);
  });

  it('an entry never sent (its bracket was recorded first) is closed', () => {
    expect(kinds({ ...bracket(0, 'OPEN'), entry: unsent('e') })).toEqual(['close']);
  });
});

describe('a leg the broker refuses', () => {
  it('is alerted once, counted as covered (never placed again), and the bracket still closes saying so', () => {
    const refused: TaggedOrder = {
      tag: 's1',
      intent: 'failed',
      in_flight: false,
      order: null,
      error: 'trigger below the lower circuit',
    };
    const p = pair(1, 100, { stop: refused, oco_group_id: null });
    expect(planBracket(bracket(100, 'COMPLETE', [p]))).toEqual([
      {
        kind: 'alert',
        pair_id: 1,
        quantity: 100,
        why: 'the stop could not be placed: trigger below the lower circuit',
      },
      {
        kind: 'close',
        reason:
          'the entry ended COMPLETE with 100 filled; 100 of it is not protected (a leg was refused; the user was alerted)',
      },
    ]);
    expect(kinds(bracket(100, 'COMPLETE', [{ ...p, alerted: true }]))).toEqual(['close']);
  });

  it('refused for the session (a login replaced the token while it was out) is sent again, not given up', () => {
    const target = placed('t1', order('t1o', 'OPEN', 100));
    const stop: TaggedOrder = {
      tag: 's1',
      intent: 'failed',
      in_flight: false,
      order: null,
      error: 'Incorrect `api_key` or `access_token`.',
      resendable: true,
    };
    const p = pair(1, 100, { stop, target, oco_group_id: null });
    expect(planBracket(bracket(100, 'COMPLETE', [p]))).toEqual([
      { kind: 'send', pair_id: 1, leg: 'stop', tag: 's1', quantity: 100 },
    ]);
  });
});
