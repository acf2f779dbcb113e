import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const srcDir = resolve(__dirname, '..', '..', 'src');
const coreDir = join(srcDir, 'core');

/** Packages the core may import: they need no Node module (negotiator's one dependency, content-type, neither). */
const EDGE_SAFE: ReadonlySet<string> = new Set(['negotiator']);

/**
 * Imports of the core's closure that still need Node, each to be removed.
 * The test fails on any other, and on one of these that is gone (so the list
 * only shrinks). Node's Proxy check is installed by the Node adapter
 * (src/adapters/node/proxy-check.ts); what is left here goes with the Fetch-API work.
 */
const PENDING: ReadonlySet<string> = new Set<string>([
  // The mappers and the status fallback make http-errors' errors; it needs Node's util (via depd).
  'http-errors',
  // The XML formats write with xmlbuilder2, which needs Node's events and url.
  'xmlbuilder2',
  'xmlbuilder2/lib/interfaces',
  // The HTML page hashes its style for its Content-Security-Policy.
  'node:crypto',
]);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const found = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
  if (found === undefined) throw new Error(`${relative(srcDir, from)}: unresolved ${specifier}`);
  return found;
}

/** Every file the core reaches through relative imports (type-only ones included), and every other import with who makes it. */
function coreClosure(): { files: Set<string>; external: Map<string, string[]> } {
  const files = new Set<string>();
  const external = new Map<string, string[]>();
  const pending = filesUnder(coreDir);
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    const { importedFiles, typeReferenceDirectives } = ts.preProcessFile(text, true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) pending.push(resolveRelative(file, fileName));
      else external.set(fileName, [...(external.get(fileName) ?? []), relative(srcDir, file)]);
    }
    for (const { fileName } of typeReferenceDirectives) external.set(`@types/${fileName}`, [relative(srcDir, file)]);
  }
  return { files, external };
}

const isNodeBuiltin = (name: string): boolean => name.startsWith('node:') || builtinModules.includes(name.split('/')[0] as string);

describe('the core (src/core and all it imports)', () => {
  const { files, external } = coreClosure();

  it('reaches the answer, the envelope, the formats and normalization', () => {
    const reached = [...files].map((file) => relative(srcDir, file));
    expect(reached).toEqual(
      expect.arrayContaining([
        'core/answer/answer.ts',
        'core/envelope/envelope.ts',
        'core/formats/negotiate.ts',
        'core/normalize/normalize.ts',
      ]),
    );
  });

  it('imports no Node module, no Express, no Node types and no package outside the edge-safe list', () => {
    const offending = [...external.entries()]
      .filter(([name]) => !EDGE_SAFE.has(name) && !PENDING.has(name))
      .map(([name, importers]) => `${name}${isNodeBuiltin(name) ? ' (Node built-in)' : ''} ← ${importers.join(', ')}`);
    expect(offending).toEqual([]);
  });

  it('still needs every pending exception (remove one from the list once it is gone)', () => {
    expect([...PENDING].filter((name) => !external.has(name))).toEqual([]);
  });

  it('finds a Node import (the check itself works)', () => {
    expect(isNodeBuiltin('node:http')).toBe(true);
    expect(isNodeBuiltin('util')).toBe(true);
    expect(isNodeBuiltin('negotiator')).toBe(false);
  });
});
