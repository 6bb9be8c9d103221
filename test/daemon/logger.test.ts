import { describe, expect, it } from 'vitest';
import { Logger } from '../../daemon/logger.js';

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
