import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as rootEntry from '../../src';
import * as catalogs from '../../src/core/catalogs';
import { checkRegistry, describeFinding, lockText, readLock, registryLock } from '../../src/evolution';
import { isRegistryView, type RegistryView } from '../../src/core/registry/registry';

/**
 * The library guards its own catalogs as a service guards its registry: each
 * built-in registry against its lock in test/locks. Any finding fails, even
 * a compatible one, so that a change to a catalog comes with a deliberate
 * lock update, reviewed in the same diff.
 */
const root = resolve(__dirname, '..', '..');

/** Each built-in registry, with the module a user imports it from. */
const BUILT_IN = [
  ['passRegistry', './src/index.ts'],
  ['passRestV2Registry', './src/core/catalogs/index.ts'],
  ['passRestV1Registry', './src/core/catalogs/index.ts'],
  ['vimondRegistry', './src/core/catalogs/index.ts'],
] as const;

describe('the built-in registries', () => {
  it('are each locked: every registry the package exports, and a lock for each', () => {
    const exported = Object.entries({ ...rootEntry, ...catalogs })
      .filter(([, value]) => isRegistryView(value))
      .map(([name]) => name);
    const names = BUILT_IN.map(([name]) => name);
    expect([...exported].sort()).toEqual([...names].sort());
    expect(readdirSync(join(root, 'test', 'locks')).sort()).toEqual(names.map((name) => `${name}.lock.json`).sort());
  });

  it.each(BUILT_IN)('%s matches its lock, to the byte', (name, module) => {
    const registry = (require(join(root, module)) as Record<string, RegistryView>)[name] as RegistryView;
    const lockFile = `test/locks/${name}.lock.json`;
    const text = readFileSync(join(root, lockFile), 'utf8');
    const findings = checkRegistry(registry, readLock(text, lockFile));
    if (findings.length > 0) {
      const listed = findings.map((finding) => `  ${finding.severity}: ${describeFinding(finding)}`).join('\n');
      throw new Error(
        `${name} changed since ${lockFile}:\n${listed}\nA deliberate change (see docs/evolution.md)? Update the lock:\n` +
          `  npx tsx src/evolution/cli.ts check ${module}#${name} --lock ${lockFile} --update`,
      );
    }
    expect(lockText(registryLock(registry))).toBe(text);
  });
});
