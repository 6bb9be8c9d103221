import { describe, expect, it } from 'vitest';
import { hookCommand, splitWords } from '../../src/config/alerts.js';
import { configSchema } from '../../src/config/schema.js';

describe('the alert hook command', () => {
  it('is split into words as sh splits them, with nothing expanded', () => {
    expect(splitWords(`notify-send -u critical 'som: alert' "it's \\"here\\"" a\\ b $HOME`)).toEqual({
      words: ['notify-send', '-u', 'critical', 'som: alert', 'it\'s "here"', 'a b', '$HOME'],
    });
    expect(splitWords(`echo 'open`)).toEqual({ error: 'an unclosed single quote' });
  });

  it('a string, a list of words, or a string for /bin/sh -c', () => {
    expect(hookCommand({ exec: '', shell: false })).toBeNull();
    expect(hookCommand({ exec: 'page-me --urgent', shell: false })).toEqual({ file: 'page-me', args: ['--urgent'] });
    expect(hookCommand({ exec: ['page me', 'x y'], shell: false })).toEqual({ file: 'page me', args: ['x y'] });
    expect(hookCommand({ exec: 'a | b', shell: true })).toEqual({ file: '/bin/sh', args: ['-c', 'a | b'] });
  });

  it('a command that cannot be read stops somd at start-up, naming the key', () => {
    const bad = configSchema.safeParse({ alerts: { exec: '"unclosed' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['alerts', 'exec'], message: 'an unclosed double quote' });
    expect(configSchema.safeParse({ alerts: { exec: ['a'], shell: true } }).success).toBe(false);
  });
});
