import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { som } from './fake-som.js';
import { ORDER } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const HAS_BASH = spawnSync('bash', ['--version']).status === 0;

/**
 * Completion as bash runs it: the script the built som prints, sourced in a real bash, and
 * `_som` asked what completes a command line. A `som` of the test's own on PATH stands in for
 * somd's values (it answers `som completion --values orders` with two order ids).
 */
describe.skipIf(!HAS_BASH)('som completion bash', () => {
  let dir: string;
  let script: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'som-completion-'));
    script = join(dir, 'som.bash');
    writeFileSync(
      script,
      execFileSync(process.execPath, [join(ROOT, 'bin/som'), 'completion', 'bash'], { encoding: 'utf8' }),
    );
    const shim = join(dir, 'som');
    writeFileSync(
      shim,
      '#!/bin/sh\n[ "$1 $2 $3" = "completion --values orders" ] && printf "251125000000101\\n251125000000102\\n"\nexit 0\n',
    );
    chmodSync(shim, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What bash offers for `words`, the last being the word under the cursor. */
  function complete(...words: string[]): string[] {
    const array = words.map((w) => `'${w}'`).join(' ');
    const out = execFileSync(
      'bash',
      [
        '-c',
        `source ${script}; COMP_WORDS=(som ${array}); COMP_CWORD=${words.length}; _som; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}` } },
    );
    return out.split('\n').filter(Boolean);
  }

  it('loads: complete -p som names the function', () => {
    const out = execFileSync(
      'bash',
      ['-c', `source <(${process.execPath} ${join(ROOT, 'bin/som')} completion bash); complete -p som`],
      {
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('complete -F _som som');
  });

  it('commands, subcommands and options, as som defines them', () => {
    expect(complete('ord')).toEqual(['orders', 'order']);
    expect(complete('order', '')).toEqual(['place', 'modify', 'cancel', 'show']);
    expect(complete('order', 'place', '--pr')).toEqual(['--product', '--price', '--protection']);
    // Kite's own words for --side; the value taken by --qty is not a subcommand.
    expect(complete('order', 'place', '--side', '')).toEqual(['BUY', 'SELL']);
    expect(complete('--socket', '/x', 'order', 'place', '--qty', '5', '--product', '')).toEqual(['CNC', 'MIS', 'NRML']);
    expect(complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('order ids from somd where an order is named', () => {
    expect(complete('order', 'cancel', '')).toEqual(['251125000000101', '251125000000102']);
    expect(complete('order', 'cancel', '2511250000001')).toEqual(['251125000000101', '251125000000102']);
  });
});

describe('som completion --values: what completion asks somd', () => {
  it('strategy names and open order ids, one a line', async () => {
    const strategies = await som(['completion', '--values', 'strategies'], {
      'strategies.list': () => ({ strategies: [{ name: 'default' }, { name: 'nifty-weekly' }] as never }),
    });
    expect(strategies.stdout).toBe('default\nnifty-weekly\n');
    const orders = await som(['completion', '--values', 'orders'], { 'orders.list': () => ({ orders: [ORDER] }) });
    expect(orders.calls[0]!.params).toEqual({ open: true, limit: 500 });
    expect(orders.stdout).toBe(`${ORDER.order_id}\n`);
  });

  it('nothing, and exit 0, when somd is not there: a key press never fails', async () => {
    const r = await som(['completion', '--values', 'strategies'], {}, { unreachable: true });
    expect([r.code, r.stdout]).toEqual([0, '']);
  });

  it('zsh and fish scripts come from the same commands', async () => {
    const zsh = (await som(['completion', 'zsh'])).stdout;
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('complete -F _som som');
    const fish = (await som(['completion', 'fish'])).stdout;
    expect(fish).toContain(
      "complete -c som -n '__fish_seen_subcommand_from order; and not __fish_seen_subcommand_from place modify cancel show' -a 'place'",
    );
    expect(fish).toContain("-l strategy -r -a '(__som_values strategies)'");
  });
});
