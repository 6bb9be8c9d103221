import { describe, expect, it } from 'vitest';
import { Logger, stderrIsJournal } from '../../daemon/logger.js';

describe('logger', () => {
  it('writes one line per event, text or JSON, and drops events below the level', () => {
    const lines: string[] = [];
    const log = new Logger('info', 'text', (l) => lines.push(l));
    log.debug('hidden');
    log.info('somd.started', { mode: 'paper', note: 'two words' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\S+Z INFO {2}somd\.started mode=paper note="two words"\n$/);
    log.format = 'json';
    log.warn('x', { n: 1 });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'warn', event: 'x', n: 1 });
  });

  it('never writes the value of a secret-looking field', () => {
    const lines: string[] = [];
    const log = new Logger('debug', 'json', (l) => lines.push(l));
    log.info('login', { api_secret: 's3cr3t', access_token: 'tok123', Authorization: 'token a:b', user: 'AB1234' });
    expect(lines[0]).not.toMatch(/s3cr3t|tok123|token a:b/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ user: 'AB1234', api_secret: '[redacted]' });
  });
});

describe('logging to journald', () => {
  it('prefixes each line with its syslog priority when stderr is the journal, so journalctl -p works', () => {
    const lines: string[] = [];
    const log = new Logger('debug', 'text', (l) => lines.push(l), true);
    log.error('a');
    log.warn('b');
    log.info('c');
    log.debug('d');
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['<3>', '<4>', '<6>', '<7>']);
    log.format = 'json';
    log.warn('e', { n: 1 });
    expect(lines[4]).toMatch(/^<4>\{/);
    expect(JSON.parse(lines[4]!.slice(3))).toMatchObject({ level: 'warn', event: 'e' });
  });

  it('stderr is the journal only when JOURNAL_STREAM names its device and inode', () => {
    const stat = () => ({ dev: 25, ino: 4711 });
    expect(stderrIsJournal({ JOURNAL_STREAM: '25:4711' }, stat)).toBe(true);
    // Redirected elsewhere in the unit: the variable is inherited, the stream is not the journal's.
    expect(stderrIsJournal({ JOURNAL_STREAM: '25:9999' }, stat)).toBe(false);
    expect(stderrIsJournal({}, stat)).toBe(false);
    const lines: string[] = [];
    new Logger('info', 'text', (l) => lines.push(l)).info('plain');
    expect(lines[0]).toMatch(/^\d{4}-/);
  });
});
