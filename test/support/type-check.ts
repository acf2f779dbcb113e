import { resolve } from 'node:path';
import ts from 'typescript';

/** Declaration files (lib, @types, the built package) as parsed, shared by the checks of one test file. */
const declarationFiles = new Map<string, ts.SourceFile>();

/**
 * The errors `tsc <args>` run in `dir` reports, one formatted string each
 * (none: it type-checks), checked in this process: the options and
 * diagnostics of the command, without a node process and a TypeScript load
 * per check, and each declaration file parsed once per test file.
 * `checked` limits the files whose own errors count (all by default), e.g.
 * to one package's declaration files among the many a project reads.
 *
 * @example tscErrors(consumerDir, ['--noEmit', '--strict', 'consumer.ts']) // []
 */
export function tscErrors(dir: string, args: readonly string[], checked: (fileName: string) => boolean = () => true): string[] {
  const { options, fileNames, errors } = ts.parseCommandLine([...args]);
  if (errors.length > 0) throw new Error(`tsc ${args.join(' ')}: ${ts.flattenDiagnosticMessageText(errors[0]?.messageText, '\n')}`);
  const host = ts.createCompilerHost(options);
  host.getCurrentDirectory = () => dir;
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    if (!name.endsWith('.d.ts')) return getSourceFile(name, language, ...rest);
    const key = `${name}\0${JSON.stringify(language)}`;
    let file = declarationFiles.get(key);
    if (file === undefined) {
      file = getSourceFile(name, language, ...rest);
      if (file !== undefined) declarationFiles.set(key, file);
    }
    return file;
  };
  const program = ts.createProgram(
    fileNames.map((name) => resolve(dir, name)),
    options,
    host,
  );
  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  };
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program
      .getSourceFiles()
      .flatMap((file) =>
        checked(file.fileName) ? [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)] : [],
      ),
    ...program.getGlobalDiagnostics(),
  ];
  return ts.sortAndDeduplicateDiagnostics(diagnostics).map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost).trimEnd());
}
