import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPreferences } from '../../commands/preferences.js';
import { useColor } from '../../commands/ui/color.js';
import { som } from './fake-som.js';
import { ORDER, STATUS } from './fixtures.js';

describe('som config: the command line’s own preferences', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'som-prefs-'));
    env = { XDG_CONFIG_HOME: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('set, get, list, unset and path, in $XDG_CONFIG_HOME/som/preferences.json (0600), beside somd’s config.toml', async () => {
    const path = join(dir, 'som', 'preferences.json');
    expect((await som(['config', 'path'], {}, { env })).stdout).toBe(`${path}\n`);
    expect((await som(['config', 'set', 'strategy', 'nifty-weekly'], {}, { env })).stdout).toBe(
      'strategy = nifty-weekly\n',
    );
    expect((await som(['config', 'set', 'output', 'JSON'], {}, { env })).code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ strategy: 'nifty-weekly', output: 'json' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // What every command reads at start.
    expect(readPreferences(env)).toEqual({ strategy: 'nifty-weekly', output: 'json' });
    expect(JSON.parse((await som(['--json', 'config', 'get', 'strategy'], {}, { env })).stdout)).toEqual({
      key: 'strategy',
      value: 'nifty-weekly',
    });
    expect((await som(['config', 'get', 'strategy'], {}, { env })).stdout).toBe('nifty-weekly\n');
    const list = await som(['config', 'list'], {}, { env });
    expect(list.stdout).toMatch(/^KEY +VALUE +TAKES +MEANING\n/);
    expect(list.stdout).toMatch(/\ncolor +- +auto \| always \| never/);
    expect(list.stdout).toMatch(/\ntrade\.confirm +- +always \| never/);
    expect((await som(['config', 'unset', 'output'], {}, { env })).code).toBe(0);
    // Not set: exit 1 and nothing on stdout, as git config does.
    const unset = await som(['config', 'get', 'output'], {}, { env });
    expect([unset.code, unset.stdout]).toEqual([1, '']);
  });

  it('trade.confirm, som trade’s preference, in the same file as the others', async () => {
    const path = join(dir, 'som', 'preferences.json');
    expect((await som(['config', 'set', 'strategy', 'nifty-weekly'], {}, { env })).code).toBe(0);
    expect((await som(['config', 'set', 'trade.confirm', 'Never'], {}, { env })).stdout).toBe(
      'trade.confirm = never\n',
    );
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ strategy: 'nifty-weekly', 'trade.confirm': 'never' });
    expect(readPreferences(env)).toEqual({ strategy: 'nifty-weekly', 'trade.confirm': 'never' });
    expect((await som(['config', 'get', 'trade.confirm'], {}, { env })).stdout).toBe('never\n');
    const bad = await som(['config', 'set', 'trade.confirm', 'sometimes'], {}, { env });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/trade\.confirm takes always, never/)]);
    expect((await som(['config', 'unset', 'trade.confirm'], {}, { env })).code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ strategy: 'nifty-weekly' });
  });

  it('a nested entry is read as its dotted key, and written back flat', async () => {
    const path = join(dir, 'som', 'preferences.json');
    mkdirSync(join(dir, 'som'), { recursive: true });
    writeFileSync(path, JSON.stringify({ trade: { confirm: 'never' }, output: 'json' }));
    expect(readPreferences(env)).toEqual({ 'trade.confirm': 'never', output: 'json' });
    expect((await som(['config', 'unset', 'output'], {}, { env })).code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ 'trade.confirm': 'never' });
  });

  it('set refuses to overwrite a file it cannot read (exit 1, the file as it was)', async () => {
    const path = join(dir, 'som', 'preferences.json');
    mkdirSync(join(dir, 'som'), { recursive: true });
    writeFileSync(path, 'not json');
    const r = await som(['config', 'set', 'output', 'json'], {}, { env });
    expect([r.code, r.stderr]).toEqual([
      1,
      expect.stringMatching(/cannot read .*preferences\.json.*correct or remove it/),
    ]);
    expect(readFileSync(path, 'utf8')).toBe('not json');
  });

  it('a bad key or value is exit 2 naming what it takes; nothing is written', async () => {
    const bad = await som(['config', 'set', 'color', 'sometimes'], {}, { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/color takes auto, always, never, not "sometimes"/);
    expect((await som(['config', 'set', 'colour', 'never'], {}, { env })).stderr).toMatch(/no preference colour/);
    const strategy = await som(['config', 'set', 'strategy', 'not a name!'], {}, { env });
    expect([strategy.code, strategy.stderr]).toEqual([
      2,
      expect.stringMatching(/^som: strategy must be a strategy name/),
    ]);
    expect(readPreferences(env)).toEqual({});
  });

  it('a damaged file is reported and ignored: commands still run', () => {
    const notes: string[] = [];
    expect(
      readPreferences(
        env,
        () => '{"output": "yaml", "color": "never"}',
        (t) => notes.push(t),
      ),
    ).toEqual({
      color: 'never',
    });
    expect(notes[0]).toMatch(/ignoring the preference output/);
    expect(
      readPreferences(
        env,
        () => 'not json',
        (t) => notes.push(t),
      ),
    ).toEqual({});
  });
});

describe('preferences at work', () => {
  it('output json: every command prints its document; --no-json gives the human text back', async () => {
    const answers = { 'system.status': () => STATUS };
    expect(JSON.parse((await som(['status'], answers, { preferences: { output: 'json' } })).stdout)).toEqual(STATUS);
    const human = await som(['--no-json', 'status'], answers, { preferences: { output: 'json' } });
    expect(human.stdout).toMatch(/^somd /);
  });

  it('strategy: order place without --strategy is for the preferred strategy; --strategy still wins', async () => {
    const placed = { order_id: ORDER.order_id, tag: ORDER.tag!, strategy: 'x', recovered: false, order: ORDER };
    const args = ['order', 'place', 'NSE:SBIN', '--side', 'BUY', '--qty', '1', '--price', '960', '--product', 'CNC'];
    const preferred = await som(args, { 'orders.place': () => placed }, { preferences: { strategy: 'nifty-weekly' } });
    expect(preferred.calls[0]!.params).toMatchObject({ strategy: 'nifty-weekly' });
    const named = await som(
      [...args, '--strategy', '3'],
      { 'orders.place': () => placed },
      {
        preferences: { strategy: 'nifty-weekly' },
      },
    );
    expect(named.calls[0]!.params).toMatchObject({ strategy: 3 });
  });

  it('socket: after --socket and $SOM_SOCKET', async () => {
    const answers = { 'system.status': () => STATUS };
    const preferences = { socket: '/pref/somd.sock' };
    expect((await som(['status'], answers, { preferences, socket: null })).socketPath).toBe('/pref/somd.sock');
    expect((await som(['status'], answers, { preferences, socket: '/flag.sock' })).socketPath).toBe('/flag.sock');
    const fromEnv = await som(['status'], answers, { preferences, socket: null, env: { SOM_SOCKET: '/env.sock' } });
    expect(fromEnv.socketPath).toBe('/env.sock');
  });

  it('color: always or never, unless FORCE_COLOR or NO_COLOR say otherwise', () => {
    expect(useColor({}, false, 'always')).toBe(true);
    expect(useColor({}, true, 'never')).toBe(false);
    expect(useColor({ NO_COLOR: '1' }, true, 'always')).toBe(false);
    expect(useColor({ FORCE_COLOR: '1' }, false, 'never')).toBe(true);
  });
});
