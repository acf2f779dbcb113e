import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Every ```ts block of README.md and docs/*.md, type-checked against src as
 * a user would import it (`express-enhanced-errors` and its subpaths), so
 * that the documentation cannot drift from the API. Each block is its own
 * module; what a block only alludes to (the `app` being configured, a
 * response at hand) is declared once below.
 */
const root = resolve(__dirname, '..', '..');
const sampleDir = join(root, 'doc-samples');

const CONTEXT = `
import type { Express } from 'express';
import type { RegistryView } from 'express-enhanced-errors';
declare global {
  /** The application a sample configures, and the service's registry. */
  const app: Express;
  const registry: RegistryView;
  /** A URL of the service a client sample calls, and a response it received. */
  const url: string;
  const response: Response;
  const body: { resources: object[] };
  /** The service's own work. */
  function preauthorize(id: unknown): Promise<object>;
  function tooBusy(): boolean;
  /** What the runtimes' samples use of Bun's and Deno's globals. */
  const Bun: { serve(options: { port?: number; fetch(request: Request): Response | Promise<Response> }): unknown };
  const Deno: { serve(options: { port?: number }, handler: (request: Request) => Response | Promise<Response>): unknown };
}
export {};
`;

export interface DocSample {
  page: string;
  line: number;
  code: string;
}

export function docSamples(): DocSample[] {
  const pages = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const samples: DocSample[] = [];
  for (const page of pages) {
    const lines = readFileSync(join(root, page), 'utf8').split('\n');
    let start: number | undefined;
    let indent = '';
    lines.forEach((text, index) => {
      const fence = /^(\s*)```(\w*)\s*$/.exec(text);
      if (fence === null) return;
      if (start === undefined && (fence[2] === 'ts' || fence[2] === 'typescript')) {
        start = index + 1;
        indent = fence[1] ?? '';
      } else if (start !== undefined) {
        const code = lines.slice(start, index).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
        samples.push({ page, line: start + 1, code: `${code.join('\n')}\nexport {};\n` });
        start = undefined;
      }
    });
  }
  return samples;
}

/** Each entry point of package.json's `exports`, resolved to its source: `/mappers` is src/core/normalize/mappers. */
function sourcePaths(): Record<string, string[]> {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string }> };
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(exports)) {
    const types = target.types;
    if (types === undefined) continue;
    paths[`express-enhanced-errors${subpath.slice(1)}`] = [join(root, types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'))];
  }
  return paths;
}

/** Library and src files parsed once, shared by the programs of this file. */
const parsedFiles = new Map<string, ts.SourceFile>();

function typeErrors(samples: readonly DocSample[]): string[] {
  const files = new Map<string, string>([[join(sampleDir, 'context.ts'), CONTEXT]]);
  const nameOf = (sample: DocSample) => join(sampleDir, `${sample.page.replace(/[/.]/g, '_')}_${sample.line}.ts`);
  for (const sample of samples) files.set(nameOf(sample), sample.code);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    // ES modules, so that client samples may await at the top level.
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    skipLibCheck: true,
    // jest's globals too, for the samples that are tests.
    types: ['node', 'jest'],
    paths: sourcePaths(),
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, language);
    const key = `${name}\0${JSON.stringify(language)}`;
    let parsed = parsedFiles.get(key);
    if (parsed === undefined) {
      parsed = getSourceFile(name, language, ...rest);
      if (parsed !== undefined) parsedFiles.set(key, parsed);
    }
    return parsed;
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const where = new Map(samples.map((sample) => [nameOf(sample), sample]));
  // The samples' own diagnostics: src itself is `npm run typecheck`'s to check.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...[...files.keys()].flatMap((name) => {
      const file = program.getSourceFile(name);
      return file === undefined ? [] : [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    }),
    ...program.getGlobalDiagnostics(),
  ];
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const sample = diagnostic.file === undefined ? undefined : where.get(diagnostic.file.fileName);
    if (sample === undefined || diagnostic.file === undefined || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${sample.page}:${sample.line + line}: ${message}`;
  });
}

describe('the code samples of README.md and docs/', () => {
  const samples = docSamples();

  it('finds the samples, the README example among them', () => {
    expect(samples.length).toBeGreaterThan(15);
    expect(samples.some((sample) => sample.page === 'README.md' && sample.code.includes('enhancedErrorHandler('))).toBe(true);
  });

  it('type-check against the package', () => {
    expect(typeErrors(samples)).toEqual([]);
  }, 120_000);

  it('catches a sample that no longer compiles (the check itself works)', () => {
    const broken = { page: 'docs/broken.md', line: 1, code: "import { enhancedErrors } from 'express-enhanced-errors';\nexport {};\n" };
    expect(typeErrors([broken])).toEqual([expect.stringContaining('docs/broken.md:1:')]);
  }, 120_000);
});
