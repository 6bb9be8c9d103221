import { afterEach, describe, expect, it } from 'vitest';
import { formatPnl } from '../../commands/ui/pnl.js';
import { num, renderTable } from '../../commands/ui/table.js';

describe('compact tables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('a header line and one line a row, two spaces apart, no borders; numbers right-aligned', () => {
    process.env.NO_COLOR = '1';
    const text = renderTable(
      ['symbol', num('avg'), 'qty'],
      [
        ['NSE:SBIN', '960.50', 10],
        ['NSE:RELIANCE', '1,250.00', 250],
      ],
      { width: null },
    );
    expect(text).toBe(
      [
        // "qty" holds only numbers: right-aligned without being told.
        'SYMBOL             AVG  QTY',
        'NSE:SBIN        960.50   10',
        'NSE:RELIANCE  1,250.00  250',
      ].join('\n'),
    );
  });

  it('fits the width by cutting the widest text column, never a number', () => {
    process.env.NO_COLOR = '1';
    const rows = [['NSE:SBIN', 'the position it protected is closed and the stop went with it', '1,25,085.50']];
    // Natural width: 8 + 2 + 62 + 2 + 11 = 85; at 40 the explanation keeps 40 - 8 - 2 - 2 - 11 = 17 characters.
    const text = renderTable(['symbol', 'why', num('value')], rows, { width: 40 });
    const [, row] = text.split('\n');
    expect(row).toBe('NSE:SBIN  the position it …  1,25,085.50');
    expect(row!.length).toBe(40);
    // Too narrow for anything but the numbers: text stops at its minimum, numbers stay whole.
    const narrow = renderTable(['symbol', 'why', num('value')], rows, { width: 10 }).split('\n')[1]!;
    expect(narrow).toContain('1,25,085.50');
  });

  it('piped output is never cut', () => {
    process.env.NO_COLOR = '1';
    const long = 'x'.repeat(300);
    expect(renderTable(['a'], [[long]], { width: null })).toContain(long);
  });

  it('colour only when asked for: a bold header, nothing in a pipe', () => {
    process.env.NO_COLOR = '1';
    expect(renderTable(['a'], [['b']], { width: null })).not.toContain('\u001b[');
    delete process.env.NO_COLOR;
    process.env.FORCE_COLOR = '1';
    expect(renderTable(['a'], [['b']], { width: null })).toBe('\u001b[1mA\u001b[22m\nb');
  });

  it('coloured cells are measured by what shows', () => {
    process.env.FORCE_COLOR = '1';
    const green = '\u001b[32m+10.00\u001b[39m';
    const [header, row] = renderTable([num('P&L'), 'x'], [[green, 'y']], { width: null }).split('\n');
    expect(header).toBe('\u001b[1m   P&L\u001b[22m  \u001b[1mX\u001b[22m');
    expect(row).toBe(`${green}  y`);
  });
});

describe('P&L text', () => {
  it('always carries its sign; nothing that shows as zero has one', () => {
    expect(formatPnl(1250)).toBe('+1,250.00');
    expect(formatPnl(-300.5)).toBe('-300.50');
    expect(formatPnl(0)).toBe('0.00');
    expect(formatPnl(-0.004)).toBe('0.00');
  });
});
