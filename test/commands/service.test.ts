import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemdWord, unitFor } from '../../commands/service/unit.js';
import { som } from './fake-som.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SHIPPED = join(ROOT, 'contrib/systemd/somd.service');

/** systemd-analyze checks units where it is installed (Debian: systemd); without it those checks are skipped. */
const HAS_ANALYZE = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!HAS_ANALYZE)
  console.warn('skipping systemd-analyze verify: systemd-analyze is not installed (apt-get install -y systemd)');

/**
 * `systemd-analyze --user verify`: a user manager's view, with a runtime directory of its own.
 * `--man=no`: whether this machine has man pages installed says nothing about the unit.
 */
function verify(unit: string): { status: number | null; output: string } {
  const runtime = mkdtempSync(join(tmpdir(), 'som-runtime-'));
  try {
    const r = spawnSync('systemd-analyze', ['--user', '--man=no', 'verify', unit], {
      encoding: 'utf8',
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(runtime, { recursive: true, force: true });
  }
}

describe('the systemd unit som ships', () => {
  const unit = readFileSync(SHIPPED, 'utf8');

  it('is a user service with the hardening the daemon allows, and says why MemoryDenyWriteExecute is off', () => {
    for (const line of [
      'Type=exec',
      'Restart=on-failure',
      'StateDirectory=som',
      'RuntimeDirectory=som',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=read-only',
      'PrivateTmp=yes',
      'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
      'SystemCallFilter=@system-service',
      'UMask=0077',
      'MemoryDenyWriteExecute=no',
      'WantedBy=default.target',
    ]) {
      expect(unit.split('\n'), line).toContain(line);
    }
    const lines = unit.split('\n');
    const why = lines.slice(0, lines.indexOf('MemoryDenyWriteExecute=no')).slice(-3).join(' ');
    expect(why).toMatch(/JIT/);
  });

  it.skipIf(!HAS_ANALYZE)('passes systemd-analyze verify', () => {
    const r = verify(SHIPPED);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('som service install', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'som-home-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('--user into a home writes the unit with ExecStart for this installation, and says how to start it', async () => {
    const env = { HOME: home };
    const r = await som(['service', 'install', '--user'], {}, { env });
    const path = join(home, '.config/systemd/user/somd.service');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`installed ${path}`);
    expect(r.stdout).toContain('systemctl --user enable --now somd');
    const written = readFileSync(path, 'utf8');
    expect(written.split('\n')).toContain(`ExecStart=${process.execPath} ${join(ROOT, 'bin/somd')}`);
    // Everything but ExecStart is the shipped unit.
    const shipped = readFileSync(SHIPPED, 'utf8').split('\n');
    expect(written.split('\n').filter((l) => !l.startsWith('ExecStart='))).toEqual(
      shipped.filter((l) => !l.startsWith('ExecStart=')),
    );
    expect((await som(['service', 'install'], {}, { env })).stdout).toMatch(/^unchanged /);
    if (HAS_ANALYZE) expect(verify(path)).toEqual({ status: 0, output: '' });
  });

  it('--paper runs somd on the paper exchange; --print writes nothing', async () => {
    const r = await som(['service', 'install', '--paper', '--print'], {}, { env: { HOME: home } });
    expect(r.stdout).toContain(`ExecStart=${process.execPath} ${join(ROOT, 'bin/somd')} --paper\n`);
    expect(existsSync(join(home, '.config'))).toBe(false);
  });

  it('paths are written as systemd reads them: quoted with blanks, % and $ escaped', () => {
    expect(systemdWord('/opt/som/bin/somd')).toBe('/opt/som/bin/somd');
    expect(systemdWord('/home/a b/somd')).toBe('"/home/a b/somd"');
    expect(systemdWord('/x/100%/$HOME')).toBe('/x/100%%/$$HOME');
    const unit = unitFor('[Service]\nExecStart=/usr/bin/env somd\n', '/n', '/s d', ['--paper']);
    expect(unit).toBe('[Service]\nExecStart=/n "/s d" --paper\n');
  });
});
