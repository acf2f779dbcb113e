import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..', '..');
const srcDir = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

/** Every relative import of src, type-only ones included: a type import pointing the wrong way is still a wrong layer. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(srcDir)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => resolveImport(file, fileName) ?? `${file} → unresolved ${fileName}`);
    graph.set(file, targets);
  }
  return graph;
}

function cyclesOf(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles.map((cycle) => cycle.map((file) => relative(srcDir, file)));
}

const FEATURES = ['items', 'overload', 'telemetry', 'integrations', 'client', 'docs', 'evolution'];
/** The core's folders, as CONTRIBUTING's layer table lists them. */
const CORE = ['core'];

/** The top folder of src a file is in (`core`, `adapters/node`, `overload`, …), or its name for a file at the top. */
function layerOf(file: string): string {
  const [top, second] = relative(srcDir, file).split('/');
  return top === 'adapters' ? `adapters/${second}` : (top as string);
}

/**
 * Imports that point the wrong way: the core's folders into an adapter or a feature,
 * an adapter into a feature other than telemetry.
 */
function layerViolations(graph: Map<string, string[]>): string[] {
  const violations: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    for (const target of targets) {
      const to = layerOf(target);
      const wrong =
        (CORE.includes(from) && (to.startsWith('adapters/') || FEATURES.includes(to))) ||
        (from.startsWith('adapters/') && FEATURES.includes(to) && to !== 'telemetry');
      if (wrong) violations.push(`${relative(srcDir, file)} → ${relative(srcDir, target)}`);
    }
  }
  return violations;
}

describe('the import graph of src', () => {
  const graph = importGraph();

  it('resolves every relative import', () => {
    expect([...graph.values()].flat().filter((target) => target.includes('unresolved'))).toEqual([]);
  });

  it('has no cycle, type-only imports included', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const a = join(srcDir, 'a.ts');
    const b = join(srcDir, 'b.ts');
    expect(
      cyclesOf(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });

  it('keeps the layers: the core (src/core) imports no adapter and no feature; adapters import no feature but telemetry', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('finds an import across the layers when there is one (the check itself works)', () => {
    const core = join(srcDir, 'core', 'answer', 'answer.ts');
    const adapter = join(srcDir, 'adapters', 'express', 'handler.ts');
    expect(
      layerViolations(
        new Map([
          [core, [adapter]],
          [adapter, [join(srcDir, 'overload', 'index.ts'), join(srcDir, 'telemetry', 'index.ts')]],
        ]),
      ),
    ).toEqual(['core/answer/answer.ts → adapters/express/handler.ts', 'adapters/express/handler.ts → overload/index.ts']);
  });

  it('keeps the shared types module free of imports', () => {
    expect(graph.get(join(srcDir, 'core', 'shared', 'types.ts'))).toEqual([]);
  });

  it('builds only the Pass registry when the root entry or the handler loads', () => {
    const reachable = new Set<string>();
    const queue = [join(srcDir, 'index.ts')];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      if (reachable.has(file)) continue;
      reachable.add(file);
      queue.push(...(graph.get(file) ?? []));
    }
    expect(reachable.has(join(srcDir, 'core', 'catalogs', 'index.ts'))).toBe(false);
    expect(reachable.has(join(srcDir, 'adapters', 'express', 'handler.ts'))).toBe(true);
  });
});
