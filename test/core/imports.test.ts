import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { WORKERD_BUILD } from '../support/workerd-build';
import ts from 'typescript';

const srcDir = resolve(__dirname, '..', '..', 'src');
const coreDir = join(srcDir, 'core');

/** Packages the core may import: they need no Node module (negotiator's one dependency, content-type, neither). */
const EDGE_SAFE: ReadonlySet<string> = new Set(['negotiator']);

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
      .filter(([name]) => !EDGE_SAFE.has(name))
      .map(([name, importers]) => `${name}${isNodeBuiltin(name) ? ' (Node built-in)' : ''} ← ${importers.join(', ')}`);
    expect(offending).toEqual([]);
  });

  it('imports, outside its own files, negotiator alone', () => {
    expect([...external.keys()]).toEqual([...EDGE_SAFE]);
  });

  it('finds a Node import (the check itself works)', () => {
    expect(isNodeBuiltin('node:http')).toBe(true);
    expect(isNodeBuiltin('util')).toBe(true);
    expect(isNodeBuiltin('negotiator')).toBe(false);
  });
});

/** esbuild as a workerd project's bundler runs it: no Node built-in resolves, nothing is left external. */
async function bundleForWorkerd(entry: { entryPoints: string[] } | { stdin: { contents: string; resolveDir: string } }) {
  return build({ ...WORKERD_BUILD, ...entry, metafile: true });
}

describe('the core bundled for workerd (esbuild, platform neutral, nothing external)', () => {
  it.each([
    ['core/formats/index.ts', { entryPoints: [join(srcDir, 'core/formats/index.ts')] }],
    ['core/answer/answer.ts', { entryPoints: [join(srcDir, 'core/answer/answer.ts')] }],
    // Every file resolved, what the two entries leave out (the HTML page) included.
    [
      'every file of src/core',
      {
        stdin: {
          contents: filesUnder(coreDir)
            .map((file) => `import ${JSON.stringify(file)};`)
            .join('\n'),
          resolveDir: srcDir,
        },
      },
    ],
  ])('bundles %s with only negotiator from node_modules', async (_entry, entry) => {
    const result = await bundleForWorkerd(entry);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const packages = new Set(
      Object.keys(result.metafile.inputs).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.slice(1, 2) ?? []),
    );
    // negotiator and its one dependency, content-type: neither imports a Node module.
    expect([...packages].filter((name) => name !== 'negotiator' && name !== 'content-type')).toEqual([]);
  });
});
