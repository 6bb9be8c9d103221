import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processDeps } from '../../commands/context.js';
import { buildProgram } from '../../commands/main.js';
import { TOP_COMMANDS } from '../../commands/manifest.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST_COMMANDS = join(ROOT, 'dist/commands');

/** Packages that cost a plain command most of its time to load (zod alone about 200 ms, conf 300 ms). */
const HEAVY = ['zod', 'ink', 'react', 'kysely', 'better-sqlite3', 'kiteconnect', 'conf'];
/** Packages only human output needs: loaded with the renderers, never for --json or --help. */
const RENDERING = ['chalk', 'cli-table3'];

/**
 * Every module a module statically imports, followed through dist/, and the packages among
 * them: by `import`/`export ... from`, or by a `require` made with createRequire (as commander is).
 */
function staticGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const text = readFileSync(file, 'utf8');
    const imports = text.matchAll(/^\s*(?:import|export)\s(?:[^;]*?\sfrom\s+)?['"]([^'"]+)['"]/gm);
    const requires = text.matchAll(/(?:\brequire|createRequire\([^)]*\))\(\s*['"]([^'"]+)['"]\s*\)/g);
    for (const m of [...imports, ...requires]) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return { modules, packages };
}

/** The ink screens: loaded only on an interactive path (`som watch` on a terminal). */
const isScreen = (module: string) => relative(DIST_COMMANDS, module).startsWith('screens/');

/** The built modules of commands/ (those with a source: a build leaves removed modules behind). */
function commandModules(dir = DIST_COMMANDS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return commandModules(join(dir, e.name));
    const source = join(ROOT, 'commands', relative(DIST_COMMANDS, join(dir, e.name))).replace(/\.js$/, '.ts');
    return e.name.endsWith('.js') && existsSync(source) ? [join(dir, e.name)] : [];
  });
}

describe('cold start of som (the built dist/, as `som` runs it)', () => {
  it('main.js statically reaches commander and nothing heavy, and no renderer', () => {
    const { modules, packages } = staticGraph(join(DIST_COMMANDS, 'main.js'));
    expect(packages.has('commander')).toBe(true); // the walk does see packages (bundled in dist/cli)
    for (const heavy of [...HEAVY, ...RENDERING]) expect(packages, heavy).not.toContain(heavy);
    const loaded = [...modules].map((m) => relative(DIST_COMMANDS, m));
    expect(loaded.filter((m) => m.startsWith('ui/'))).toEqual([]);
  });

  it('the bundle bin/som runs starts with commander inside it and a few files, none heavy', () => {
    const entry = join(ROOT, 'dist/cli/som.js');
    expect(readFileSync(join(ROOT, 'bin/som'), 'utf8')).toContain("from '../dist/cli/som.js'");
    const { modules, packages } = staticGraph(entry);
    // commander is bundled: no package at all is loaded from node_modules at start.
    expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(modules.size).toBeLessThanOrEqual(4);
  });

  it('no command module reaches a heavy package by its static imports, whatever it runs', () => {
    const modules = commandModules().filter((m) => !isScreen(m));
    expect(modules.length).toBeGreaterThan(20);
    for (const module of modules) {
      const { packages, modules: reached } = staticGraph(module);
      for (const heavy of HEAVY) expect(packages, `${relative(ROOT, module)} reaches ${heavy}`).not.toContain(heavy);
      // A screen is imported when its command runs on a terminal, never before.
      expect([...reached].filter(isScreen), `${relative(ROOT, module)} reaches a screen`).toEqual([]);
    }
  });

  it('interactive screens (commands/screens) reach ink and react, and nothing else heavy', () => {
    const screens = commandModules().filter(isScreen);
    expect(screens.length).toBeGreaterThan(0);
    const { packages } = staticGraph(screens.find((m) => m.endsWith('screen.js'))!);
    expect(packages).toContain('ink'); // the walk sees what a screen loads
    for (const module of screens) {
      const reached = staticGraph(module).packages;
      for (const heavy of HEAVY.filter((p) => p !== 'ink' && p !== 'react'))
        expect(reached, `${relative(ROOT, module)} reaches ${heavy}`).not.toContain(heavy);
    }
  });

  it('a command loads its renderer only for human output: no command module reaches one statically', () => {
    for (const module of commandModules().filter((m) => !relative(DIST_COMMANDS, m).startsWith('ui/'))) {
      const { packages } = staticGraph(module);
      for (const rendering of RENDERING)
        expect(packages, `${relative(ROOT, module)} reaches ${rendering}`).not.toContain(rendering);
    }
  });
});

describe('the list of top-level commands som --help shows without loading them', () => {
  it('matches the commands as they are defined: names, terms and summaries', async () => {
    const program = await buildProgram(processDeps(), [], true);
    const help = program.createHelp();
    const defined = program.commands.map((c) => ({
      name: c.name(),
      term: help.subcommandTerm(c),
      summary: c.description(),
    }));
    expect(defined).toEqual(TOP_COMMANDS.map(({ name, term, summary }) => ({ name, term, summary })));
  });
});
