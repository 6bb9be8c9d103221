import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/market/ist.js';
import { INTERVALS, parseHistoricalRequest, parseIstDateTime } from '../../../src/paper/historical/request.js';

const message = (r: ReturnType<typeof parseHistoricalRequest>) => (r.ok ? null : r.error.message);

describe('historical request limits', () => {
  it('minute candles: 60 days a request, both ends counted', () => {
    // 1 Sep to 30 Oct is 30 + 30 = 60 days; to 31 Oct is 61.
    expect(
      parseHistoricalRequest({ interval: 'minute', from: '2026-09-01 09:15:00', to: '2026-10-30 15:30:00' }).ok,
    ).toBe(true);
    expect(
      message(parseHistoricalRequest({ interval: 'minute', from: '2026-09-01 09:15:00', to: '2026-10-31 15:30:00' })),
    ).toBe('interval exceeds max limit: 60 days');
  });

  it('each interval has its own limit, day candles 2000 days', () => {
    expect(Object.fromEntries(Object.entries(INTERVALS).map(([k, v]) => [k, v.maxDays]))).toEqual({
      minute: 60,
      '3minute': 100,
      '5minute': 100,
      '10minute': 100,
      '15minute': 200,
      '30minute': 200,
      '60minute': 400,
      day: 2000,
    });
    expect(parseHistoricalRequest({ interval: 'day', from: '2021-01-01', to: addDays('2021-01-01', 1999) }).ok).toBe(
      true,
    );
    expect(
      message(parseHistoricalRequest({ interval: 'day', from: '2021-01-01', to: addDays('2021-01-01', 2000) })),
    ).toBe('interval exceeds max limit: 2000 days');
  });

  it('refuses what it cannot read', () => {
    expect(message(parseHistoricalRequest({ interval: '2minute', from: '2026-11-25', to: '2026-11-25' }))).toBe(
      'Invalid `interval`.',
    );
    expect(message(parseHistoricalRequest({ interval: 'day', from: undefined, to: '2026-11-25' }))).toBe(
      'Missing or empty field `from`',
    );
    expect(message(parseHistoricalRequest({ interval: 'day', from: '25-11-2026', to: '2026-11-25' }))).toBe(
      'Invalid `from` date. Use the format yyyy-mm-dd hh:mm:ss.',
    );
    expect(message(parseHistoricalRequest({ interval: 'day', from: '2026-11-26', to: '2026-11-25' }))).toBe(
      'The `from` date cannot be after the `to` date.',
    );
  });

  it('reads IST wall times whatever the host zone; a bare `to` date takes its whole day', () => {
    expect(parseIstDateTime('2017-12-15 09:15:00', '00:00:00')!.toISOString()).toBe('2017-12-15T03:45:00.000Z');
    const r = parseHistoricalRequest({
      interval: 'minute',
      from: '2026-11-25',
      to: '2026-11-25',
      oi: '1',
      continuous: '0',
    });
    expect(r.ok && [r.query.from.toISOString(), r.query.to.toISOString(), r.query.oi, r.query.continuous]).toEqual([
      '2026-11-24T18:30:00.000Z',
      '2026-11-25T18:29:59.000Z',
      true,
      false,
    ]);
  });
});
