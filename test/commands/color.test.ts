import { describe, expect, it } from 'vitest';
import { useColor } from '../../commands/ui/color.js';

describe('colour: only for a person at a terminal', () => {
  it('on a terminal, unless NO_COLOR is set or the terminal is dumb', () => {
    expect(useColor({ TERM: 'xterm-256color' }, true)).toBe(true);
    expect(useColor({ TERM: 'xterm-256color', NO_COLOR: '1' }, true)).toBe(false);
    expect(useColor({ TERM: 'dumb' }, true)).toBe(false);
    // An empty NO_COLOR does not count (no-color.org).
    expect(useColor({ NO_COLOR: '' }, true)).toBe(true);
  });

  it('never into a pipe or a file, unless FORCE_COLOR asks for it; FORCE_COLOR=0 turns it off anywhere', () => {
    expect(useColor({}, false)).toBe(false);
    expect(useColor({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(useColor({ FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(true);
    expect(useColor({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(useColor({ FORCE_COLOR: 'false' }, true)).toBe(false);
  });
});
