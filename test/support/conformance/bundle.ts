import { build, type Plugin } from 'esbuild';
import { WORKERD_BUILD } from '../workerd-build';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface AppBundle {
  /** The bundle's file (ESM), for the runtimes that import it. */
  path: string;
  code: string;
  /** Every module the bundle still imports: each a Node built-in, as `node:<name>`. */
  imports: string[];
  gzipBytes: number;
  /** Removes the bundle's temporary folder. */
  remove(): void;
}

const NODE_BUILTINS = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));

/**
 * Keeps Node built-ins out of the bundle as ESM imports of `node:<name>`. Marking
 * them external is not enough: in an ESM bundle a CommonJS `require("path")`
 * becomes esbuild's `__require` shim, which throws on workerd at start.
 */
const nodeBuiltinsAsImports: Plugin = {
  name: 'node-builtins-as-imports',
  setup(bundler) {
    bundler.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, ({ path, namespace }) => {
      const name = path.replace(/^node:/, '');
      if (!NODE_BUILTINS.has(name)) return undefined;
      if (namespace === 'node-builtin') return { path: `node:${name}`, external: true };
      return { path: name, namespace: 'node-builtin' };
    });
    bundler.onLoad({ filter: /.*/, namespace: 'node-builtin' }, ({ path }) => ({
      contents: `export * from "node:${path}"; export { default } from "node:${path}";`,
      loader: 'js',
    }));
  },
};

/** What an ESM bundle imports: static, side-effect and dynamic imports, and any require left. */
export function importsOf(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/\b(?:from\s*|import\s*\(?\s*|require\s*\(\s*)["']([^"']+)["']/g)) found.add(match[1] as string);
  return [...found].sort();
}

/**
 * Bundles a Workers-style module for every Fetch API runtime: minified ESM,
 * platform neutral, with the conditions of workerd and browsers, into a
 * temporary file.
 */
export async function bundleForFetchRuntimes(entry: string): Promise<AppBundle> {
  const result = await build({ ...WORKERD_BUILD, entryPoints: [entry], minify: true, plugins: [nodeBuiltinsAsImports] });
  const code = (result.outputFiles[0] as { text: string }).text;
  const dir = mkdtempSync(join(tmpdir(), 'eee-fetch-app-'));
  const path = join(dir, 'fetch-app.mjs');
  writeFileSync(path, code);
  return {
    path,
    code,
    imports: importsOf(code),
    gzipBytes: gzipSync(code).length,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
