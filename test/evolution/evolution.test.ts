import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type CodeDefinition, createRegistry, genericErrorCodes, type Definitions, type RegistryEntry, type RegistryView } from '../../src';
import {
  checkRegistry,
  describeFinding,
  FINDING_KINDS,
  LOCK_KIND,
  lockText,
  readLock,
  registryLock,
  type RegistryFinding,
  type RegistryLock,
} from '../../src/evolution';
import { videoDefinitions, videoRegistry } from '../fixtures/evolution-registry';

const root = resolve(__dirname, '..', '..');
const fixtureModule = join(root, 'test', 'fixtures', 'evolution-registry.ts');

const { video_login_required: _removed, ...kept } = videoDefinitions;

/** The fixture changed once in every way the check knows, each change on its own code. */
const everyChange: Definitions = {
  ...kept,
  video_rate_limited: { ...videoDefinitions.video_rate_limited, action: 'retry' },
  video_geo_blocked: { ...videoDefinitions.video_geo_blocked, status: [451, 403] },
  video_gone: { ...videoDefinitions.video_gone, status: 404 },
  video_not_found: { ...videoDefinitions.video_not_found, status: [404, 410] },
  video_processing: { ...videoDefinitions.video_processing, message: 'The video is being transcoded.' },
  not_found: { status: 404, action: 'none', message: genericErrorCodes.not_found.message },
  video_drm_failure: { status: 500, action: 'none', message: 'The video could not be decrypted.' },
};

/** Only changes a client does not notice. */
const compatibleChanges: Definitions = {
  ...videoDefinitions,
  video_not_found: { ...videoDefinitions.video_not_found, status: [404, 410] },
  video_drm_failure: { status: 500, action: 'none', message: 'The video could not be decrypted.' },
};

/** The fixture's codes, and the fields of each, in reverse order. */
const reordered: Definitions = Object.fromEntries(
  Object.entries(videoDefinitions)
    .reverse()
    .map(([code, definition]) => [code, Object.fromEntries(Object.entries(definition).reverse()) as unknown as CodeDefinition]),
);

const videoRegistryOf = (definitions: Definitions) => createRegistry(definitions, { name: 'videoRegistry' });

/** SHA-256 by WebCrypto, apart from the node:crypto the library uses. */
async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('hex');
}

describe('registryLock and lockText', () => {
  it('lock every code with its action, statuses, origin and the SHA-256 of its message', async () => {
    const lock = registryLock(videoRegistry);
    expect(lock.kind).toBe('express-enhanced-errors/registry-lock');
    expect(lock.lockfileVersion).toBe(1);
    expect(Object.keys(lock.codes)).toEqual([
      'client_error',
      'not_found',
      'server_error',
      'video_geo_blocked',
      'video_gone',
      'video_login_required',
      'video_not_found',
      'video_processing',
      'video_rate_limited',
    ]);
    expect(lock.codes.video_geo_blocked).toEqual({
      action: 'none',
      status: 403,
      statuses: [403, 451],
      origin: 'catalog',
      messageSha256: await sha256(videoDefinitions.video_geo_blocked.message),
    });
    expect(lock.codes.not_found).toMatchObject({ origin: 'library', status: 404, statuses: [404] });
    expect(lock.codes.client_error?.statuses).toHaveLength(100);
  });

  it('write the same bytes whatever the order of the codes and of their fields: sorted keys, two spaces, a final newline', () => {
    const text = lockText(registryLock(videoRegistry));
    expect(lockText(registryLock(videoRegistryOf(reordered)))).toBe(text);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const keysSorted = (value: unknown): boolean =>
      typeof value !== 'object' || value === null || Array.isArray(value)
        ? true
        : Object.keys(value).join() === Object.keys(value).sort().join() && Object.values(value).every(keysSorted);
    expect(keysSorted(JSON.parse(text))).toBe(true);
    expect(text.startsWith('{\n  "codes": {\n    "client_error": {\n      "action": "none",\n')).toBe(true);
  });

  it('sort keys by UTF-16 code unit even where an object would put an integer-like key first', () => {
    const entries: RegistryEntry[] = ['10', '-x'].map((code) => ({ code, status: 400, statuses: [400], action: 'none', message: code }));
    const byShape: RegistryView = {
      name: 'byShape',
      codes: entries.map(({ code }) => code),
      size: entries.length,
      create: () => {
        throw new Error('not used');
      },
      has: (code) => entries.some((entry) => entry.code === code),
      get: (code) => entries.find((entry) => entry.code === code),
      [Symbol.iterator]: () => entries.values(),
    };
    const text = lockText(registryLock(byShape));
    expect(text.indexOf('"-x"')).toBeLessThan(text.indexOf('"10"'));
  });

  it('refuse what is not a registry', () => {
    expect(() => registryLock({ codes: [] } as unknown as RegistryView)).toThrow('registryLock: expected a registry, got object');
  });
});

describe('readLock', () => {
  const text = lockText(registryLock(videoRegistry));
  const edited = (edit: (lock: Record<string, any>) => void) => {
    const lock = JSON.parse(text);
    edit(lock);
    return JSON.stringify(lock);
  };

  it('reads back what lockText wrote', () => {
    expect(readLock(text)).toEqual(registryLock(videoRegistry));
  });

  it.each([
    ['text that is not JSON', '{"codes": ', /^errors\.lock\.json is not JSON: /],
    [
      'a foreign JSON file',
      '{"name": "app", "version": "1.0.0"}',
      `errors.lock.json is not a registry lock: it lacks "kind": "${LOCK_KIND}"`,
    ],
    ['an array', '[]', 'errors.lock.json is not a registry lock'],
    [
      'another lockfileVersion',
      edited((lock) => (lock.lockfileVersion = 2)),
      'errors.lock.json: lockfileVersion 2 is not supported (this version reads 1)',
    ],
    ['a missing field', edited((lock) => delete lock.codes.video_gone.origin), 'errors.lock.json: codes.video_gone: missing "origin"'],
    ['an unknown field', edited((lock) => (lock.codes.video_gone.retryAfter = 3)), 'codes.video_gone: unknown field "retryAfter"'],
    ['codes that are not an object', edited((lock) => (lock.codes = [])), 'errors.lock.json: "codes" must be an object'],
    [
      'a status that is not one',
      edited((lock) => (lock.codes.video_gone.status = '404')),
      'codes.video_gone.status must be a 4xx/5xx status, got "404"',
    ],
    ['statuses out of order', edited((lock) => (lock.codes.video_gone.statuses = [410, 404])), 'codes.video_gone.statuses must be 4xx/5xx'],
    ['a default status not allowed', edited((lock) => (lock.codes.video_gone.status = 500)), 'the default status among them'],
    ['an unknown action', edited((lock) => (lock.codes.video_gone.action = 'reboot')), 'codes.video_gone.action must be one of none, '],
    [
      'an unknown origin',
      edited((lock) => (lock.codes.video_gone.origin = 'spec')),
      'codes.video_gone.origin must be "catalog" or "library"',
    ],
    ['a hash that is not one', edited((lock) => (lock.codes.video_gone.messageSha256 = 'abc')), 'messageSha256 must be a SHA-256'],
  ])('refuses %s, naming the file and the fault', (_case, input, message) => {
    expect(() => readLock(input, 'errors.lock.json')).toThrow(message);
  });
});

describe('checkRegistry', () => {
  const lock = registryLock(videoRegistry);

  it('finds nothing when the registry matches its lock, whatever the order of its definitions', () => {
    expect(checkRegistry(videoRegistry, lock)).toEqual([]);
    expect(checkRegistry(videoRegistryOf(reordered), lock)).toEqual([]);
  });

  it('finds every kind of change, by code, with its severity, before and after', () => {
    const changed = registryLock(videoRegistryOf(everyChange)).codes;
    const findings = checkRegistry(videoRegistryOf(everyChange), lock);
    const finding = (code: string, kind: RegistryFinding['kind'], severity: string, before: unknown, after: unknown) => ({
      code,
      kind,
      severity,
      before,
      after,
      why: FINDING_KINDS[kind].why,
    });
    expect(findings).toEqual([
      finding('not_found', 'origin-changed', 'compatible', 'library', 'catalog'),
      finding('video_drm_failure', 'code-added', 'compatible', undefined, changed.video_drm_failure),
      finding('video_geo_blocked', 'default-status-changed', 'breaking', 403, 451),
      finding('video_gone', 'status-removed', 'breaking', [404, 410], [404]),
      finding('video_login_required', 'code-removed', 'breaking', lock.codes.video_login_required, undefined),
      finding('video_not_found', 'status-added', 'compatible', [404], [404, 410]),
      finding(
        'video_processing',
        'message-changed',
        'compatible',
        lock.codes.video_processing?.messageSha256,
        changed.video_processing?.messageSha256,
      ),
      finding('video_rate_limited', 'action-changed', 'breaking', 'retry-after', 'retry'),
    ]);
    expect(findings.map(({ kind }) => kind).sort()).toEqual(Object.keys(FINDING_KINDS).sort());
    expect(findings.map(describeFinding)).toEqual([
      'not_found: origin library → catalog',
      'video_drm_failure: absent → action none, status 500',
      'video_geo_blocked: default status 403 → 451',
      'video_gone: allowed statuses 404, 410 → 404 (410 removed)',
      'video_login_required: action authentication, status 401 → removed',
      'video_not_found: allowed statuses 404 → 404, 410 (410 added)',
      `video_processing: message sha256 ${lock.codes.video_processing?.messageSha256.slice(0, 12)}… → ${changed.video_processing?.messageSha256.slice(0, 12)}…`,
      'video_rate_limited: action retry-after → retry',
    ]);
  });

  it('rates as breaking exactly the changes a client in the field notices', () => {
    const severities = Object.fromEntries(Object.entries(FINDING_KINDS).map(([kind, { severity }]) => [kind, severity]));
    expect(severities).toEqual({
      'code-removed': 'breaking',
      'action-changed': 'breaking',
      'default-status-changed': 'breaking',
      'status-removed': 'breaking',
      'code-added': 'compatible',
      'status-added': 'compatible',
      'message-changed': 'compatible',
      'origin-changed': 'compatible',
    });
  });

  it('checks a lock given as parsed JSON, and refuses a foreign one', () => {
    const parsed = JSON.parse(lockText(lock)) as RegistryLock;
    expect(checkRegistry(videoRegistry, parsed)).toEqual([]);
    expect(() => checkRegistry(videoRegistry, { name: 'app' } as unknown as RegistryLock)).toThrow(
      'checkRegistry: the lock is not a registry lock',
    );
  });
});

/**
 * The command as a user runs it: a node process on src/evolution/cli.ts
 * (tsx compiles it, and the TypeScript fixture it loads), in a directory of
 * its own. The independent runs share one batch; test/project/package.test.ts runs
 * the built bin.
 */
describe('the express-enhanced-errors command', () => {
  const run = promisify(execFile);
  const command = [require.resolve('tsx/cjs'), join(root, 'src', 'evolution', 'cli.ts')];
  interface CliRun {
    exit: number;
    stdout: string;
    stderr: string;
  }
  let dir: string;
  const cli = async (...args: string[]): Promise<CliRun> => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--require', ...command, ...args], { cwd: dir });
      return { exit: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: unknown; stdout: string; stderr: string };
      if (typeof failed.code !== 'number') throw error;
      return { exit: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const createRegistryFrom = `require(${JSON.stringify(join(root, 'src', 'core', 'registry', 'registry'))}).createRegistry`;
  const registryModule = (definitions: Definitions) =>
    `module.exports.registry = ${createRegistryFrom}(${JSON.stringify(definitions)}, { name: 'videoRegistry' });\n`;
  const lockOf = (definitions: Definitions) => lockText(registryLock(videoRegistryOf(definitions)));
  const runs = new Map<string, CliRun>();
  const result = (name: string) => runs.get(name) as CliRun;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eee-evolution-'));
    const malformed = JSON.parse(lockOf(videoDefinitions));
    malformed.codes.video_gone.statuses = 'all';
    await Promise.all([
      writeFile(join(dir, 'video.lock.json'), lockOf(videoDefinitions)),
      writeFile(join(dir, 'update.lock.json'), lockOf(videoDefinitions)),
      writeFile(join(dir, 'malformed.lock.json'), JSON.stringify(malformed)),
      writeFile(join(dir, 'package.json'), '{"name": "service", "version": "1.0.0"}\n'),
      writeFile(join(dir, 'every-change.js'), registryModule(everyChange)),
      writeFile(join(dir, 'compatible.js'), registryModule(compatibleChanges)),
      writeFile(join(dir, 'reordered.js'), registryModule(reordered)),
      writeFile(join(dir, 'no-registry.js'), 'module.exports = { answer: 42, definitions: {} };\n'),
      writeFile(
        join(dir, 'two-registries.js'),
        `const codes = ${JSON.stringify(videoDefinitions)};\n` +
          `module.exports = { codes, videos: ${createRegistryFrom}(codes), clips: ${createRegistryFrom}(codes) };\n`,
      ),
    ]);
    const batch: Record<string, string[]> = {
      lockToStdout: ['lock', fixtureModule],
      lockReorderedToFile: ['lock', './reordered.js', '--out', 'reordered.lock.json'],
      unchanged: ['check', `${fixtureModule}#videoRegistry`, '--lock', 'video.lock.json'],
      breaking: ['check', './every-change.js', '--lock', 'video.lock.json'],
      compatible: ['check', './compatible.js', '--lock=video.lock.json'],
      firstLock: ['check', './reordered.js', '--lock', 'first.lock.json', '--update'],
      unknownOption: ['check', './reordered.js', '--lokc', 'video.lock.json'],
      missingModule: ['check', './nowhere.js', '--lock', 'video.lock.json'],
      noRegistry: ['lock', './no-registry.js'],
      severalRegistries: ['lock', './two-registries.js'],
      missingExport: ['lock', './two-registries.js#video'],
      notARegistryExport: ['lock', './two-registries.js#codes'],
      missingLock: ['check', './reordered.js', '--lock', 'absent.lock.json'],
      malformedLock: ['check', './reordered.js', '--lock', 'malformed.lock.json'],
      foreignLock: ['check', './reordered.js', '--lock', 'package.json'],
      foreignOut: ['lock', './reordered.js', '--out', 'package.json'],
    };
    const done = await Promise.all(Object.entries(batch).map(async ([name, args]) => [name, await cli(...args)] as const));
    for (const [name, outcome] of done) runs.set(name, outcome);
    // --update, then check again: in this order.
    runs.set('update', await cli('check', './every-change.js', '--lock', 'update.lock.json', '--update'));
    runs.set('afterUpdate', await cli('check', './every-change.js', '--lock', 'update.lock.json'));
  }, 60_000);
  afterAll(() => (dir === undefined ? undefined : rm(dir, { recursive: true, force: true })));

  it('lock writes the same bytes as lockText, to stdout or to --out, whatever the definition order', async () => {
    expect(result('lockToStdout')).toEqual({ exit: 0, stdout: lockOf(videoDefinitions), stderr: '' });
    expect(result('lockReorderedToFile')).toEqual({
      exit: 0,
      stdout: 'videoRegistry: 9 codes locked in reordered.lock.json\n',
      stderr: '',
    });
    expect(await readFile(join(dir, 'reordered.lock.json'), 'utf8')).toBe(lockOf(videoDefinitions));
  });

  it('check exits 0 when nothing changed', () => {
    expect(result('unchanged')).toEqual({ exit: 0, stdout: 'videoRegistry against video.lock.json: no change\n', stderr: '' });
  });

  it('check exits 1 on breaking changes, naming each code, old → new, and why a client breaks', () => {
    const { exit, stdout, stderr } = result('breaking');
    expect({ exit, stderr }).toEqual({ exit: 1, stderr: '' });
    const findings = checkRegistry(videoRegistryOf(everyChange), registryLock(videoRegistry));
    const breaking = findings.filter((finding) => finding.severity === 'breaking');
    const compatible = findings.filter((finding) => finding.severity === 'compatible');
    const lines = [...breaking, ...compatible].flatMap((finding) => [
      `${finding.severity.padEnd(11)} ${describeFinding(finding)} [${finding.kind}]`,
      `${''.padEnd(11)} ${finding.why}`,
    ]);
    expect(stdout.split('\n')).toEqual([
      'videoRegistry against video.lock.json: 8 changes (4 breaking, 4 compatible)',
      ...lines,
      'Breaking changes fail the check: keep the codes as they were (see "Deprecating a code"), or accept the change with --update.',
      '',
    ]);
    expect(stdout).toContain('breaking    video_rate_limited: action retry-after → retry [action-changed]\n');
    expect(stdout).toContain(`            ${FINDING_KINDS['action-changed'].why}\n`);
  });

  it('check exits 0 on compatible changes only, and says so', () => {
    const { exit, stdout } = result('compatible');
    expect(exit).toBe(0);
    expect(stdout).toMatch(/^videoRegistry against video\.lock\.json: 2 changes \(0 breaking, 2 compatible\)\n/);
    expect(stdout).toContain('compatible  video_drm_failure: absent → action none, status 500 [code-added]\n');
    expect(stdout).toContain('compatible  video_not_found: allowed statuses 404 → 404, 410 (410 added) [status-added]\n');
    expect(stdout.endsWith('No breaking change. Record the changes in the lock with --update.\n')).toBe(true);
  });

  it('check --update reports the changes, rewrites the lock and exits 0; the next check passes', async () => {
    const { exit, stdout } = result('update');
    expect(exit).toBe(0);
    expect(stdout).toContain('breaking    video_login_required: action authentication, status 401 → removed [code-removed]\n');
    expect(stdout.endsWith('update.lock.json updated: 9 codes.\n')).toBe(true);
    expect(await readFile(join(dir, 'update.lock.json'), 'utf8')).toBe(lockOf(everyChange));
    expect(result('afterUpdate')).toEqual({ exit: 0, stdout: 'videoRegistry against update.lock.json: no change\n', stderr: '' });
  });

  it('check --update writes the first lock when there is none', async () => {
    expect(result('firstLock')).toEqual({ exit: 0, stdout: 'videoRegistry: no lock yet; first.lock.json written: 9 codes.\n', stderr: '' });
    expect(await readFile(join(dir, 'first.lock.json'), 'utf8')).toBe(lockOf(videoDefinitions));
  });

  it.each([
    ['unknownOption', 'unknown option --lokc for check (see express-enhanced-errors --help)'],
    ['missingModule', /^cannot find module \.\/nowhere\.js \(from .+\)$/],
    ['noRegistry', './no-registry.js exports no registry (its exports: answer, definitions)'],
    ['severalRegistries', './two-registries.js exports several registries (videos, clips): name one, e.g. ./two-registries.js#videos'],
    ['missingExport', './two-registries.js has no export "video" (its exports: codes, videos, clips)'],
    ['notARegistryExport', './two-registries.js#codes is not a registry (object)'],
    ['missingLock', 'cannot read absent.lock.json: no such file'],
    [
      'malformedLock',
      'malformed.lock.json: codes.video_gone.statuses must be 4xx/5xx statuses in ascending order, the default status among them',
    ],
    ['foreignLock', `package.json is not a registry lock: it lacks "kind": "${LOCK_KIND}"`],
    ['foreignOut', 'package.json is not a registry lock: not overwritten'],
  ])('%s: exits 2 with one line on stderr', (name, message) => {
    const { exit, stdout, stderr } = result(name);
    expect({ exit, stdout }).toEqual({ exit: 2, stdout: '' });
    expect(stderr).toMatch(/^express-enhanced-errors: [^\n]+\n$/);
    const line = stderr.slice('express-enhanced-errors: '.length, -1);
    if (typeof message === 'string') expect(line).toBe(message);
    else expect(line).toMatch(message);
  });

  it('leaves a file it refused to overwrite as it was', async () => {
    expect(await readFile(join(dir, 'package.json'), 'utf8')).toBe('{"name": "service", "version": "1.0.0"}\n');
  });
});
