import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXECUTION_DEFAULTS } from '../../src/config/execution.js';
import { parseConfigText } from '../../src/config/load.js';
import { resolvePaths } from '../../src/config/paths.js';
import { pnlConfigSchema, riskConfigSchema } from '../../src/config/risk.js';
import { configSchema, configuredMode } from '../../src/config/schema.js';
import type { SomError } from '../../src/protocol/errors.js';
import { resolveSocketPath } from '../../src/protocol/socket-path.js';

const ROOT = join(import.meta.dirname, '../..');

function configError(text: string): SomError {
  try {
    parseConfigText(text, 'test.toml');
  } catch (err) {
    return err as SomError;
  }
  throw new Error('expected the config to be refused');
}

describe('configuration', () => {
  it('an empty file is the defaults', () => {
    expect(parseConfigText('', 'x')).toEqual({
      daemon: { log_level: 'info', log_format: 'text' },
      broker: {
        mode: 'auto',
        api_key: '',
        api_secret_file: 'kite_api_secret',
        clock: 'broker',
        rest_root: 'https://api.kite.trade',
        ws_root: 'wss://ws.kite.trade',
        login_url: 'https://kite.zerodha.com/connect/login',
        timeout_ms: 7000,
        refresh_seconds: 30,
        stale_ticks_seconds: 30,
        health_schedule: '* * * * *',
        instruments_schedule: '30 8 * * *',
        max_api_latency_ms: 3000,
        max_order_latency_ms: 2000,
      },
      housekeeping: {
        sweep_schedule: '* * * * *',
        expiry_schedule: '0 9 * * *',
        aging_schedule: '*/15 * * * *',
        eod_schedule: '35 15 * * *',
      },
      paper: {
        seed: 1,
        clock: 'auto',
        speed: 1,
        port: 0,
        api_secret: 'paper',
        opening_balance: 1_000_000,
        tick_interval_ms: 1000,
      },
      costs: { schedules: [], charges_warning_pct: 5 },
      audit: { retention_years: 7, prune_schedule: '0 18 * * *' },
      reconcile: { schedule: '15 10-15 * * *', price_tolerance: 0.01, escalate_after_rounds: 3 },
      execution: EXECUTION_DEFAULTS,
      risk: riskConfigSchema.parse({}),
      pnl: pnlConfigSchema.parse({}),
      alerts: { exec: '', shell: false, timeout_seconds: 10 },
    });
  });

  it('config.example.toml documents every key with its default value', () => {
    const text = readFileSync(join(ROOT, 'config.example.toml'), 'utf8');
    expect(parseConfigText(text, 'config.example.toml')).toEqual(configSchema.parse({}));
    const defaults = configSchema.parse({});
    for (const [section, keys] of Object.entries(defaults)) {
      expect(text).toContain(`[${section}]`);
      for (const key of Object.keys(keys)) expect(text, `${section}.${key}`).toMatch(new RegExp(`^${key} = `, 'm'));
    }
  });

  it('names the key path of an unknown key, a bad value and a wrong type', () => {
    expect(configError('[daemon]\nlevel = "x"').message).toMatch(/daemon\.level: unknown key/);
    expect(configError('[nonsense]\n').message).toMatch(/nonsense: unknown key/);
    expect(configError('[broker]\nmode = "live"').message).toMatch(
      /broker\.mode: .*expected one of "auto"\|"paper"\|"kite"/,
    );
    expect(configError('[broker]\napi_key = 5').message).toMatch(/broker\.api_key: .*expected string/);
    expect(configError('daemon = 1').message).toMatch(/daemon: .*expected object/);
    expect(configError('[daemon]\nlog_level = "loud"').code).toBe('CONFIG_INVALID');
  });

  it('reports TOML syntax errors with line and column', () => {
    expect(configError('[daemon]\nlog_level = \n').message).toMatch(/not valid TOML \(line 2, column \d+\)/);
  });

  it('auto mode is the paper exchange until an api_key is configured', () => {
    expect(configuredMode(parseConfigText('', 'x'))).toBe('paper');
    expect(configuredMode(parseConfigText('[broker]\napi_key = "k"', 'x'))).toBe('kite');
    expect(configuredMode(parseConfigText('[broker]\napi_key = "k"\nmode = "paper"', 'x'))).toBe('paper');
  });
});

describe('paths', () => {
  it('follow the documented precedence: flag, SOM_*, systemd, XDG', () => {
    const env = {
      HOME: '/home/u',
      XDG_CONFIG_HOME: '/xdg/config',
      XDG_STATE_HOME: '/xdg/state',
      XDG_RUNTIME_DIR: '/run/user/1000',
    };
    const xdg = resolvePaths({}, env);
    expect(xdg).toMatchObject({
      configPath: '/xdg/config/som/config.toml',
      configExplicit: false,
      home: '/xdg/state/som',
      socketPath: '/run/user/1000/som/somd.sock',
      databasePath: '/xdg/state/som/som.db',
    });
    const systemd = resolvePaths(
      {},
      { ...env, STATE_DIRECTORY: '/var/lib/som:/var/lib/other', RUNTIME_DIRECTORY: '/run/som' },
    );
    expect(systemd.home).toBe('/var/lib/som');
    expect(systemd.socketPath).toBe('/run/som/somd.sock');
    const som = resolvePaths(
      {},
      { ...env, SOM_HOME: '/h', SOM_SOCKET: '/s.sock', SOM_CONFIG: '/c.toml', STATE_DIRECTORY: '/x' },
    );
    expect(som).toMatchObject({ home: '/h', socketPath: '/s.sock', configPath: '/c.toml', configExplicit: true });
    const flags = resolvePaths({ home: '/fh', socket: '/fs', config: '/fc' }, { ...env, SOM_HOME: '/h' });
    expect(flags).toMatchObject({ home: '/fh', socketPath: '/fs', configPath: '/fc', configExplicit: true });
  });

  it('without a runtime directory the socket goes in a per-user temporary directory', () => {
    expect(resolveSocketPath(undefined, {})).toMatch(/som-\d+\/somd\.sock$/);
  });
});
