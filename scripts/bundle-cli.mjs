#!/usr/bin/env node
// Bundles som's command line (dist/commands, as tsc wrote it) into dist/cli, which bin/som runs.
// Why: a plain command is most of its time in node loading modules, and each ES module costs
// its own resolve, read, parse and link. In one bundle the start of `som status` is three or
// four files, not fifteen, and commander comes in with them. Each command's own code stays in
// a chunk of its own, loaded only when that command runs; packages (zod, ink, react, kysely,
// better-sqlite3, kiteconnect) stay outside, loaded from node_modules by the commands that
// need them. `npm run build` runs this after tsc.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');

/** Bundled, where every other package stays outside: every command needs it. */
const BUNDLED_PACKAGES = new Set(['commander']);
const LAZY_CHILD_PROCESS = '\0som:lazy-child-process';

const bundle = await rolldown({
  input: { som: join(root, 'dist', 'commands', 'main.js') },
  platform: 'node',
  logLevel: 'warn',
  // commander reads node:child_process at load, for subcommands run as separate programs,
  // which som has none of: it is loaded on first use instead (6 ms of every start).
  plugins: [
    {
      name: 'som-cli-externals',
      resolveId(source, importer) {
        if (source === 'node:child_process' && importer?.includes(join('node_modules', 'commander'))) {
          return LAZY_CHILD_PROCESS;
        }
        if (source.startsWith('.') || source.startsWith('/') || source.startsWith('\0')) return null;
        const name = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
        return BUNDLED_PACKAGES.has(name) ? null : { id: source, external: true };
      },
      load(id) {
        if (id !== LAZY_CHILD_PROCESS) return null;
        return {
          code: 'module.exports = new Proxy({}, { get: (_, key) => require("node:child_process")[key] });',
          moduleType: 'js',
        };
      },
    },
  ],
});
rmSync(out, { recursive: true, force: true });
await bundle.write({ dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
await bundle.close();
