#!/usr/bin/env node
/**
 * The `express-enhanced-errors` command: `lock` writes a registry's lock,
 * `check` compares a registry with its lock. Exit codes in EXIT; every
 * failure to run is one line on stderr.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { isRegistryView, type RegistryView } from '../core/registry/registry';
import { checkRegistry, describeFinding, type RegistryFinding } from './check';
import { LOCK_KIND, lockText, readLock, registryLock } from './lock';

const EXIT = {
  /** Lock written, or no breaking change (or breaking changes accepted with --update). */
  ok: 0,
  /** `check` found breaking changes. */
  breaking: 1,
  /** The command could not run: usage, module, registry or lock file. */
  badInput: 2,
} as const;

const COMMAND = 'express-enhanced-errors';

const USAGE = `Usage:
  ${COMMAND} lock <module>[#export] [--out <file>]
  ${COMMAND} check <module>[#export] --lock <file> [--update]

lock    writes the registry's lock: every code with its statuses, action, origin and message hash
        (to stdout without --out).
check   lists every change of the registry since its lock; --update rewrites the lock.

<module> is a path relative to the current directory, or a package name, loaded with require.
#export names the registry among its exports; without it, the default export or the only registry
exported. A TypeScript module needs a loader: set NODE_OPTIONS=--import=tsx (with tsx installed),
or name the compiled .js.

Exit codes: ${EXIT.ok} no breaking change, ${EXIT.breaking} breaking changes, ${EXIT.badInput} bad input (usage, module, lock file).
`;

/** A mistake in the command line: its message is followed by a pointer to --help. */
class UsageError extends Error {}

/** The options each command takes: a file, or a flag. */
const OPTIONS = {
  lock: { out: 'file' },
  check: { lock: 'file', update: 'flag' },
} as const satisfies Record<string, Record<string, 'file' | 'flag'>>;

type CommandName = keyof typeof OPTIONS;

interface CommandLine {
  readonly command: CommandName;
  readonly module: string;
  readonly options: Readonly<Record<string, string | true>>;
}

function parseCommandLine(args: readonly string[]): CommandLine {
  const [command, ...rest] = args;
  if (command !== 'lock' && command !== 'check') {
    throw new UsageError(command === undefined ? 'no command: lock or check' : `unknown command "${command}": lock or check`);
  }
  const allowed: Readonly<Record<string, 'file' | 'flag'>> = OPTIONS[command];
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] as string;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const [flag = arg, inline] = arg.split(/=(.*)/s, 2);
    const name = flag.replace(/^--/, '');
    const takes = flag.startsWith('--') && Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (takes === undefined) throw new UsageError(`unknown option ${flag} for ${command}`);
    if (takes === 'flag') {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      options[name] = true;
      continue;
    }
    const value = inline ?? rest[++index];
    if (value === undefined || value === '' || value.startsWith('-')) throw new UsageError(`${flag} needs a file name`);
    options[name] = value;
  }
  if (positionals.length !== 1) throw new UsageError(`${command} takes one module, got ${positionals.length}`);
  if (command === 'check' && options.lock === undefined) throw new UsageError('check needs --lock <file>');
  return { command, module: positionals[0] as string, options };
}

/** The registry `specifier` (`<module>[#export]`) names, loaded with require from `cwd`. */
function loadRegistry(specifier: string, cwd: string): RegistryView {
  const hash = specifier.lastIndexOf('#');
  const module = hash === -1 ? specifier : specifier.slice(0, hash);
  const exportName = hash === -1 ? undefined : specifier.slice(hash + 1);
  if (module === '' || exportName === '') throw new UsageError(`expected <module>[#export], got "${specifier}"`);
  const requireFromCwd = createRequire(join(cwd, 'noop.js'));
  let path: string;
  try {
    // A path without ./ (dist/errors.js) is that file when there is one, else a package name.
    path = requireFromCwd.resolve(existsSync(resolve(cwd, module)) ? resolve(cwd, module) : module);
  } catch {
    throw new Error(`cannot find module ${module} (from ${cwd})`);
  }
  let loaded: unknown;
  try {
    loaded = requireFromCwd(path);
  } catch (error) {
    const typeScript = /\.[cm]?tsx?$/.test(path)
      ? ' (a TypeScript module needs a loader: NODE_OPTIONS=--import=tsx, or name the compiled .js)'
      : '';
    throw new Error(`cannot load ${module}${typeScript}: ${messageOf(error)}`);
  }
  return pickRegistry(loaded, module, exportName);
}

function pickRegistry(loaded: unknown, module: string, exportName: string | undefined): RegistryView {
  const exported =
    (typeof loaded === 'object' && loaded !== null) || typeof loaded === 'function' ? (loaded as Record<string, unknown>) : {};
  const names = Object.keys(exported).filter((name) => name !== '__esModule');
  const listed = names.length === 0 ? 'none' : names.join(', ');
  if (exportName !== undefined) {
    if (!names.includes(exportName)) throw new Error(`${module} has no export "${exportName}" (its exports: ${listed})`);
    const value = exported[exportName];
    if (!isRegistryView(value)) throw new Error(`${module}#${exportName} is not a registry (${value === null ? 'null' : typeof value})`);
    return value;
  }
  if (isRegistryView(loaded)) return loaded;
  if (isRegistryView(exported.default)) return exported.default;
  const registries = names.filter((name) => isRegistryView(exported[name]));
  const [first] = registries;
  if (first === undefined) throw new Error(`${module} exports no registry (its exports: ${listed})`);
  if (new Set(registries.map((name) => exported[name])).size > 1) {
    throw new Error(`${module} exports several registries (${registries.join(', ')}): name one, e.g. ${module}#${first}`);
  }
  return exported[first] as RegistryView;
}

function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as { code?: unknown }).code === 'ENOENT' ? 'no such file' : messageOf(error)}`);
  }
}

/** Writes a lock, but never over a file that is something else (a mistyped --out). */
function writeLockFile(path: string, text: string): void {
  if (existsSync(path)) {
    let kind: unknown;
    try {
      kind = (JSON.parse(readTextFile(path)) as { kind?: unknown } | null)?.kind;
    } catch {
      kind = undefined;
    }
    if (kind !== LOCK_KIND) throw new Error(`${path} is not a registry lock: not overwritten`);
  }
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new Error(`cannot write ${path}: ${messageOf(error)}`);
  }
}

function lock(registry: RegistryView, out: string | undefined): number {
  const text = lockText(registryLock(registry));
  if (out === undefined) {
    process.stdout.write(text);
  } else {
    writeLockFile(out, text);
    process.stdout.write(`${registry.name}: ${registry.size} codes locked in ${out}\n`);
  }
  return EXIT.ok;
}

function check(registry: RegistryView, lockPath: string, update: boolean): number {
  if (update && !existsSync(lockPath)) {
    writeLockFile(lockPath, lockText(registryLock(registry)));
    process.stdout.write(`${registry.name}: no lock yet; ${lockPath} written: ${registry.size} codes.\n`);
    return EXIT.ok;
  }
  const findings = checkRegistry(registry, readLock(readTextFile(lockPath), lockPath));
  const breaking = findings.filter((finding) => finding.severity === 'breaking');
  const lines = [`${registry.name} against ${lockPath}: ${summary(findings, breaking.length)}`];
  for (const finding of [...breaking, ...findings.filter((each) => each.severity !== 'breaking')]) {
    lines.push(`${finding.severity.padEnd(11)} ${describeFinding(finding)} [${finding.kind}]`, `${''.padEnd(11)} ${finding.why}`);
  }
  if (update) {
    writeLockFile(lockPath, lockText(registryLock(registry)));
    lines.push(`${lockPath} updated: ${registry.size} codes.`);
  } else if (breaking.length > 0) {
    lines.push(
      'Breaking changes fail the check: keep the codes as they were (see "Deprecating a code"), or accept the change with --update.',
    );
  } else if (findings.length > 0) {
    lines.push('No breaking change. Record the changes in the lock with --update.');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return breaking.length > 0 && !update ? EXIT.breaking : EXIT.ok;
}

function summary(findings: readonly RegistryFinding[], breaking: number): string {
  if (findings.length === 0) return 'no change';
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  return `${plural(findings.length, 'change')} (${breaking} breaking, ${findings.length - breaking} compatible)`;
}

/**
 * The first line of an error's message that says something: Node's own
 * messages span several (a module's require stack, a syntax error's excerpt).
 */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? message
  );
}

function main(args: readonly string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  try {
    const { command, module, options } = parseCommandLine(args);
    const registry = loadRegistry(module, process.cwd());
    if (command === 'lock') return lock(registry, options.out as string | undefined);
    return check(registry, options.lock as string, options.update === true);
  } catch (error) {
    const hint = error instanceof UsageError ? ` (see ${COMMAND} --help)` : '';
    process.stderr.write(`${COMMAND}: ${messageOf(error)}${hint}\n`);
    return EXIT.badInput;
  }
}

process.exitCode = main(process.argv.slice(2));
