import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..', '..');
const entryFiles = [
  'index.ts',
  'items/index.ts',
  'core/catalogs/index.ts',
  'core/formats/index.ts',
  'docs/index.ts',
  'logging/index.ts',
  'client/index.ts',
  'evolution/index.ts',
].map((file) => join(root, 'src', file));

/** The exported functions and classes of every entry point that lack a JSDoc `@example`. */
function withoutExample(): string[] {
  const program = ts.createProgram(entryFiles, { strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const file of entryFiles) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!);
    for (const exported of checker.getExportsOfModule(module!)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = symbol.declarations?.[0];
      const callable =
        declaration !== undefined &&
        (ts.isFunctionDeclaration(declaration) ||
          ts.isClassDeclaration(declaration) ||
          (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && ts.isArrowFunction(declaration.initializer)));
      if (!callable) continue;
      const host = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
      if (!ts.getJSDocTags(host).some((tag) => tag.tagName.text === 'example'))
        missing.push(`${exported.name} (${file.slice(root.length + 1)})`);
    }
  }
  return missing.sort();
}

describe('the public functions', () => {
  it('each carry a JSDoc @example', () => {
    expect(withoutExample()).toEqual([]);
  }, 60_000);
});
