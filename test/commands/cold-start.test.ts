import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every package a module statically imports, following relative imports through dist/. */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return packages;
}

describe('cold start of som', () => {
  it('a plain command never loads ink or react (they cost most of a second)', () => {
    const packages = staticPackages(join(ROOT, 'dist/commands/main.js'));
    expect(packages.has('commander')).toBe(true); // the walk does see packages
    expect(packages.has('ink')).toBe(false);
    expect(packages.has('react')).toBe(false);
    // nor the engine's heavy adapters: the CLI only speaks the protocol
    expect(packages.has('better-sqlite3')).toBe(false);
    expect(packages.has('kiteconnect')).toBe(false);
  });
});
