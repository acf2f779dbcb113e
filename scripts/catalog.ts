/**
 * npm run catalog -- [registry] [--locale <tag>] [--out <file>]
 *
 * Writes the Markdown table of a registry: a built-in one by name
 * (passRegistry, passRestV2Registry, passRestV1Registry) or a service's own,
 * `path/to/module.ts#exportName`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as library from '../src';
import * as catalogs from '../src/core/catalogs';
import { catalogMarkdown } from '../src/docs';
import { isRegistryView } from '../src/core/registry/registry';

const USAGE =
  'usage: npm run catalog -- [passRegistry|passRestV2Registry|passRestV1Registry|<module>#<export>] [--locale <tag>] [--out <file>]';

async function loadRegistry(name: string): Promise<library.RegistryView> {
  const [path, exportName] = name.includes('#') ? name.split('#', 2) : [undefined, name];
  const source: Record<string, unknown> = path === undefined ? { ...library, ...catalogs } : await import(resolve(path));
  const registry = exportName === undefined ? undefined : source[exportName];
  if (!isRegistryView(registry)) throw new Error(`${name} is not a registry`);
  return registry;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { locale: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length > 1) throw new Error('one registry at a time');
  const registry = await loadRegistry(positionals[0] ?? 'passRegistry');
  const markdown = catalogMarkdown(registry, { locale: values.locale });
  if (values.out === undefined) process.stdout.write(markdown);
  else writeFileSync(values.out, markdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`catalog: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = 1;
});
