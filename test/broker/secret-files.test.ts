import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readApiSecret, readSessionFile, writeSessionFile } from '../../src/broker/secret-files.js';

describe('secret files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'som-secrets-'));
  afterEach(() => rmSync(join(dir, '*'), { force: true }));

  it('reads the api_secret from a 0600 file and refuses one others can read, naming the fix', () => {
    const path = join(dir, 'secret');
    writeFileSync(path, 'abc123\n', { mode: 0o600 });
    expect(readApiSecret(path)).toBe('abc123');
    writeFileSync(join(dir, 'loose'), 'abc123\n', { mode: 0o644 });
    expect(() => readApiSecret(join(dir, 'loose'))).toThrow(/readable by others .*chmod 600/);
    expect(() => readApiSecret(join(dir, 'absent'))).toThrow(/no api_secret file/);
  });

  it('writes the session atomically with mode 0600 and reads it back', () => {
    const path = join(dir, 'session.json');
    const session = {
      api_key: 'k',
      user_id: 'AB1234',
      user_name: 'A B',
      access_token: 'tok',
      login_time: '2026-11-25T04:30:00.000Z',
      expires_at: '2026-11-26T00:30:00.000Z',
    };
    writeSessionFile(path, session);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readSessionFile(path)).toEqual(session);
    expect(readSessionFile(join(dir, 'none.json'))).toBeNull();
  });
});
