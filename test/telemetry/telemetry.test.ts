import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { builtPackage } from '../support/built-package';
import { tscErrors } from '../support/type-check';
import { xmlObject } from '../support/xml';

const run = promisify(execFile);
const root = resolve(__dirname, '..', '..');

interface FixtureResponse {
  name: string;
  traceId: string | undefined;
  status: number;
  contentType: string;
  body: string;
}
type Attributes = Record<string, string | number | boolean | undefined>;
interface ExportedSpan {
  name: string;
  traceId: string;
  server: boolean;
  status: { code: number; message?: string };
  attributes: Attributes;
  events: { name: string; attributes?: Attributes }[];
}
interface Point {
  scope: string;
  name: string;
  attributes: Attributes;
  value: number;
}
interface FixtureOutput {
  responses: FixtureResponse[];
  spans: ExportedSpan[];
  points: Point[];
  logLines: (Record<string, unknown> & { level: number; msg: string })[];
  openTelemetryLoaded: boolean;
}

const SPAN_STATUS = { UNSET: 0, ERROR: 2 } as const;
const TRACE_ID = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The package as built, in a directory of its own whose node_modules links
 * every installed package except, for the runs without OpenTelemetry, any
 * `@opentelemetry/*`; `express` links the Express major under test.
 * `--preserve-symlinks` keeps the path `.../node_modules/express`, by which the
 * Express instrumentation recognizes Express 4 (installed here as `express4`).
 */
async function runFixture(
  base: string,
  name: string,
  options: { openTelemetry: boolean; express: 'express' | 'express4' },
): Promise<FixtureOutput> {
  const dir = join(base, name);
  const modules = join(dir, 'node_modules');
  await mkdir(modules, { recursive: true });
  for (const entry of await readdir(join(root, 'node_modules'))) {
    if (['.bin', 'express', 'express-enhanced-errors'].includes(entry)) continue;
    if (entry === '@opentelemetry' && !options.openTelemetry) continue;
    await symlink(join(root, 'node_modules', entry), join(modules, entry), 'dir');
  }
  await symlink(join(root, 'node_modules', options.express), join(modules, 'express'), 'dir');
  await cp(join(base, 'package'), join(modules, 'express-enhanced-errors'), { recursive: true });
  await copyFile(join(__dirname, '..', 'fixtures', 'telemetry-app.js'), join(dir, 'fixture.js'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, OTEL: options.openTelemetry ? '1' : '0' };
  const { stdout } = await run(process.execPath, ['--preserve-symlinks', 'fixture.js'], { cwd: dir, env });
  return JSON.parse(stdout) as FixtureOutput;
}

const variants = [
  ['express 5', 'express'],
  ['express 4', 'express4'],
] as const;

let base: string;
const outputs = new Map<string, FixtureOutput>();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'eee-telemetry-'));
  await cp(await builtPackage(), join(base, 'package', 'dist'), { recursive: true });
  await copyFile(join(root, 'package.json'), join(base, 'package', 'package.json'));
  // One after the other: the machine's cores are shared. The Express instrumentation tells the majors apart; without
  // OpenTelemetry nothing depends on the major, so that run is Express 5's only.
  for (const [label, express] of variants) {
    outputs.set(`${label} otel`, await runFixture(base, `${express}-otel`, { openTelemetry: true, express }));
  }
  outputs.set('express 5 bare', await runFixture(base, 'express-bare', { openTelemetry: false, express: 'express' }));
}, 240_000);
afterAll(() => (base === undefined ? undefined : rm(base, { recursive: true, force: true })));

function output(key: string): FixtureOutput {
  const found = outputs.get(key);
  if (found === undefined) throw new Error(`no fixture output for ${key}`);
  return found;
}

function response(out: FixtureOutput, name: string): FixtureResponse {
  const found = out.responses.find((each) => each.name === name);
  if (found === undefined) throw new Error(`no response ${name}`);
  return found;
}

function serverSpanOf(out: FixtureOutput, traceId: string): ExportedSpan {
  const found = out.spans.filter((span) => span.server && span.traceId === traceId);
  expect(found).toHaveLength(1);
  return found[0] as ExportedSpan;
}

function exceptionMessages(span: ExportedSpan): unknown[] {
  return span.events.filter((event) => event.name === 'exception').map((event) => event.attributes?.['exception.message']);
}

/** The body's `trace`, wherever its format puts it; for items, the trace of each failed item. */
function tracesIn(res: FixtureResponse): string[] {
  if (res.contentType.includes('xml')) {
    const parsed = xmlObject(res.body, { arrays: ['item'] }) as {
      error?: { trace: string };
      resources?: { item: { error?: { trace: string } }[] };
    };
    if (parsed.error !== undefined) return [parsed.error.trace];
    return (parsed.resources?.item ?? []).flatMap((item) => (item.error === undefined ? [] : [item.error.trace]));
  }
  const parsed = JSON.parse(res.body) as { trace?: string; errors?: { trace: string }[]; resources?: { error?: { trace: string } }[] };
  if (parsed.resources !== undefined) return parsed.resources.flatMap((item) => (item.error === undefined ? [] : [item.error.trace]));
  if (parsed.errors !== undefined) return parsed.errors.map((error) => error.trace);
  return parsed.trace === undefined ? [] : [parsed.trace];
}

describe.each(variants)('%s with the OpenTelemetry SDK and the HTTP and Express instrumentations', (label) => {
  const out = () => output(`${label} otel`);

  it.each(['json 4xx', 'xml 5xx', 'problem+json 5xx', 'aggregate', 'items json', 'items xml'])(
    '%s: the body trace is the traceparent trace id',
    (name) => {
      const res = response(out(), name);
      const traces = tracesIn(res);
      expect(traces.length).toBeGreaterThan(0);
      for (const trace of traces) expect(trace).toBe(res.traceId);
      expect(serverSpanOf(out(), res.traceId as string).name).toMatch(/^(GET|POST) \//);
    },
  );

  it('without traceparent, the trace is the new server span trace id', () => {
    const [trace] = tracesIn(response(out(), 'no traceparent'));
    expect(trace).toMatch(TRACE_ID);
    serverSpanOf(out(), trace as string);
  });

  it('a 4xx leaves the span status unset and sets code and action, not error.type', () => {
    const span = serverSpanOf(out(), response(out(), 'json 4xx').traceId as string);
    expect(span.status.code).toBe(SPAN_STATUS.UNSET);
    expect(span.attributes).toMatchObject({ 'enhanced_error.code': 'authorization_denied_by_mvpd', 'enhanced_error.action': 'none' });
    expect(span.attributes['error.type']).toBeUndefined();
    expect(exceptionMessages(span)).toEqual([]);
  });

  it('a redacted 5xx sets ERROR and error.type, and records the original exception once, never the redacted copy', () => {
    const res = response(out(), 'xml 5xx');
    expect(res.body).not.toContain('hunter2');
    const span = serverSpanOf(out(), res.traceId as string);
    expect(span.status.code).toBe(SPAN_STATUS.ERROR);
    expect(span.attributes).toMatchObject({
      'enhanced_error.code': 'internal_error',
      'enhanced_error.action': 'none',
      'error.type': 'internal_error',
    });
    expect(exceptionMessages(span)).toEqual(['db password=hunter2']);
    // The Express instrumentation records what the route threw on its own span; nothing records what the client got.
    const { message: redacted } = (xmlObject(res.body, { arrays: ['item'] }) as { error: { message: string } }).error;
    const recorded = out()
      .spans.filter((each) => each.traceId === res.traceId)
      .flatMap(exceptionMessages);
    expect(recorded).toContain('db password=hunter2');
    expect(recorded).not.toContain(redacted);
  });

  it('a 5xx with a cause records the cause', () => {
    const span = serverSpanOf(out(), response(out(), 'problem+json 5xx').traceId as string);
    expect(span.status.code).toBe(SPAN_STATUS.ERROR);
    expect(span.attributes).toMatchObject({
      'enhanced_error.code': 'service_unavailable',
      'enhanced_error.action': 'none',
      'error.type': 'service_unavailable',
    });
    expect(exceptionMessages(span)).toEqual(['upstream timed out']);
  });

  it('two errors of one response sharing their cause record it once', () => {
    const span = serverSpanOf(out(), response(out(), 'aggregate').traceId as string);
    expect(span.status.code).toBe(SPAN_STATUS.ERROR);
    expect(exceptionMessages(span)).toEqual(['shared failure']);
  });

  it('item errors leave the 200 span unset, add one event per failed item, and record a shared original once', () => {
    for (const name of ['items json', 'items xml']) {
      const res = response(out(), name);
      expect(res.status).toBe(200);
      const span = serverSpanOf(out(), res.traceId as string);
      expect(span.status.code).toBe(SPAN_STATUS.UNSET);
      expect(span.attributes['error.type']).toBeUndefined();
      const items = span.events.filter((event) => event.name === 'enhanced_error.item').map((event) => event.attributes);
      expect(items).toEqual([
        { 'enhanced_error.code': 'authorization_denied_by_mvpd', 'enhanced_error.action': 'none', 'http.response.status_code': 403 },
        { 'enhanced_error.code': 'internal_error', 'enhanced_error.action': 'none', 'http.response.status_code': 500 },
        { 'enhanced_error.code': 'internal_error', 'enhanced_error.action': 'none', 'http.response.status_code': 500 },
      ]);
      expect(exceptionMessages(span)).toEqual(['item store password=hunter2']);
    }
  });

  it('counts every error once, top-level and item, by code, action, status and scope', () => {
    const counted = out().points.filter((point) => point.name === 'http.server.enhanced_errors');
    expect(counted.every((point) => point.scope === 'express-enhanced-errors')).toBe(true);
    const key = (attributes: Attributes) =>
      [
        attributes['error.type'],
        attributes['enhanced_error.action'],
        attributes['http.response.status_code'],
        attributes['enhanced_error.scope'],
      ].join(' ');
    const values = Object.fromEntries(counted.map((point) => [key(point.attributes), point.value]));
    expect(values).toEqual({
      // json 4xx and no traceparent
      'authorization_denied_by_mvpd none 403 top-level': 2,
      // xml 5xx and the aggregate's second error
      'internal_error none 500 top-level': 2,
      // problem+json and the aggregate's first error
      'service_unavailable none 503 top-level': 2,
      // two item responses, each with one 403 and two 500 items
      'authorization_denied_by_mvpd none 403 item': 2,
      'internal_error none 500 item': 4,
    });
    for (const point of counted)
      expect(Object.keys(point.attributes).sort()).toEqual([
        'enhanced_error.action',
        'enhanced_error.scope',
        'error.type',
        'http.response.status_code',
      ]);
  });

  it('the pino-http error lines carry the same trace id', () => {
    const lines = out().logLines.filter((line) => typeof line.code === 'string');
    for (const name of ['json 4xx', 'xml 5xx', 'problem+json 5xx']) {
      const { traceId } = response(out(), name);
      const line = lines.find((each) => each.trace === traceId);
      expect(line).toBeDefined();
    }
    const boom = lines.find((line) => line.trace === response(out(), 'xml 5xx').traceId);
    expect(boom).toMatchObject({ level: 50, code: 'internal_error', err: { message: 'db password=hunter2' } });
  });
});

describe('the published types without @opentelemetry/api installed', () => {
  it('compile in a strict project, library files checked too', async () => {
    const dir = join(base, 'express-bare');
    const source = `import { enhancedErrorHandler, type EnhancedErrorHandlerOptions } from 'express-enhanced-errors';
      import { activeTraceId, TELEMETRY_NAMES, type OpenTelemetryOptions } from 'express-enhanced-errors/telemetry';
      const parts: OpenTelemetryOptions = { trace: true, spans: false };
      const options: EnhancedErrorHandlerOptions = { openTelemetry: parts };
      export const handler = enhancedErrorHandler(options);
      export const counter: 'http.server.enhanced_errors' = TELEMETRY_NAMES.counter;
      export const traceId: string | undefined = activeTraceId();\n`;
    await writeFile(join(dir, 'consumer.ts'), source);
    const args = ['--noEmit', '--strict', '--types', 'node', '--target', 'es2022', 'consumer.ts'];
    // Without skipLibCheck; the package's own declaration files are the ones in question (it augments no other module's types).
    const ours = (file: string) =>
      file === join(dir, 'consumer.ts') || file.startsWith(join(dir, 'node_modules', 'express-enhanced-errors') + sep);
    expect(tscErrors(dir, [...args, '--module', 'commonjs', '--moduleResolution', 'node10'], ours)).toEqual([]);
    expect(tscErrors(dir, [...args, '--module', 'nodenext', '--moduleResolution', 'nodenext'], ours)).toEqual([]);
  }, 180_000);
});

describe('express 5 without @opentelemetry/api on the module path', () => {
  const out = () => output('express 5 bare');

  it('answers as before, with a random UUID trace, and loads no OpenTelemetry module', () => {
    // The fixture itself throws unless require.resolve('@opentelemetry/api') fails.
    expect(out().openTelemetryLoaded).toBe(false);
    expect(out().spans).toEqual([]);
    expect(out().responses.map((res) => [res.name, res.status])).toEqual([
      ['json 4xx', 403],
      ['xml 5xx', 500],
      ['problem+json 5xx', 503],
      ['aggregate', 503],
      ['items json', 200],
      ['items xml', 200],
      ['no traceparent', 403],
    ]);
    for (const res of out().responses) {
      const traces = tracesIn(res);
      expect(traces.length).toBeGreaterThan(0);
      for (const trace of traces) expect(trace).toMatch(UUID);
    }
  });
});
