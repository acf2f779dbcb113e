import fc from 'fast-check';
import { EnhancedError, passRegistry, type RegistryEntry, type RegistryView } from '../../src';

/**
 * Markers planted in generated thrown values. SECRET sits where nothing may
 * ever reach the client (stacks, unexposed messages, other properties);
 * PUBLIC where a 4xx may legitimately show it but a 5xx never may.
 */
export const SECRET = 'SECRET';
export const PUBLIC = 'PUBLIC';

/** Pieces that break naive serializers, headers and XML. */
const NASTY_PIECES = [
  '\r\n',
  '\r',
  '\n',
  '\0',
  '\t',
  '\u0001',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  ']]>',
  '</error>',
  '<error>',
  '</message><code>x</code><message>',
  '<![CDATA[',
  '<!-- -->',
  '<?pi x?>',
  '<!DOCTYPE x [<!ENTITY e "x">]>&e;',
  '&amp;',
  '&#xD;',
  '&#0;',
  '"',
  "'",
  '\\',
  '","code":"injected',
  '\r\nX-Injected: 1',
  '\u2028\u2029',
  '\uFEFF',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDFFF',
  '\uDBFF\uDFFF',
  '\uD83D\uDE00',
  '\u0301',
  '%0d%0a',
] as const;

/** Any code point, lone surrogates included (cheaper for fast-check than the `binary` unit). */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((codePoint) => String.fromCodePoint(codePoint));

const nastyPiece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_PIECES) },
  { weight: 3, arbitrary: fc.string({ unit: anyCodePoint, maxLength: 8 }) },
  // Any single UTF-16 unit, lone surrogates and C0/C1 controls included.
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Short hostile text: control characters, NUL, lone surrogates, CR/LF, `]]>`, `</error>`… */
export const nastyText = fc.array(nastyPiece, { maxLength: 10 }).map((parts) => parts.join(''));

/** Text from empty to far past every size limit. */
export function hostileText(maxLength = 12_000): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: nastyText },
    {
      weight: 1,
      arbitrary: fc
        .tuple(nastyText, nastyPiece, fc.integer({ min: 500, max: maxLength }))
        .map(([head, piece, length]) => (head + piece.repeat(Math.ceil(length / Math.max(piece.length, 1)) || 1)).slice(0, length)),
    },
  );
}

const STATUS_LIKE = fc.oneof(
  fc.integer({ min: 400, max: 599 }),
  fc.constantFrom(400, 401, 403, 404, 405, 413, 422, 429, 500, 502, 503, 504, 599),
  fc.integer({ min: 100, max: 399 }),
  fc.constantFrom(0, -1, 600, 999, 1e9, 404.5, Number.NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom('404', '500', ' 404', '4e2', null, true, 404n as unknown, [404], { valueOf: () => 404 }),
);

const BODY_PARSER_TYPES = ['entity.parse.failed', 'entity.too.large', 'charset.unsupported', 'request.aborted', 'toString', '__proto__'];

const HEADER_NAMES = [
  'X-Fuzz',
  'WWW-Authenticate',
  'Location',
  'Content-Type',
  'Content-Length',
  'Set-Cookie',
  'X-Request-Id',
  'Retry-After',
  'Vary',
  'Bad Name',
  'X-Ünicode',
  'X-Split\r\nX-Injected',
  '',
];

/**
 * An error's own `headers`: odd names, values with CR/LF, numbers, objects,
 * very long values. `marker` starts every string value.
 */
function errorHeaders(marker: string) {
  return fc.dictionary(
    fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string({ maxLength: 12 })),
    fc.oneof(
      nastyText.map((text) => `${marker} ${text}`),
      fc.constantFrom(`${marker}\r\nX-Injected: 1`, 42, -1, Number.NaN, Infinity, null, undefined, { toString: () => marker }),
      fc.integer({ min: 9_000, max: 20_000 }).map((length) => `${marker}-${'h'.repeat(length)}`),
    ),
    { maxKeys: 4 },
  );
}

const GETTER_KEYS = ['status', 'statusCode', 'message', 'expose', 'headers', 'type', 'code', 'stack', 'name', 'constructor', 'cause'];

function throwingGetter(reason: unknown) {
  return {
    enumerable: true,
    configurable: true,
    get(): never {
      throw reason;
    },
  };
}

const THROWN_REASONS = fc.constantFrom<unknown>(new Error(`${SECRET} from a getter`), `${SECRET} string`, undefined, null, Symbol(SECRET));

/** What a Proxy around the thrown value does. */
type ProxyMode = 'none' | 'throwing-traps' | 'lying' | 'revoked';

function proxied(target: object, mode: ProxyMode, reason: unknown): unknown {
  if (mode === 'none') return target;
  if (mode === 'revoked') {
    const { proxy, revoke } = Proxy.revocable(target, {});
    revoke();
    return proxy;
  }
  if (mode === 'throwing-traps') {
    const trap = (): never => {
      throw reason;
    };
    return new Proxy(target, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
  }
  // A different answer on every read: valid at first, then not.
  let reads = 0;
  const answers: unknown[] = [404, 'x', 200, undefined, `${SECRET} lie`, 500, {}];
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'string' && ['status', 'statusCode', 'message', 'expose', 'headers', 'code'].includes(key)) {
        reads += 1;
        return answers[reads % answers.length];
      }
      return Reflect.get(object, key, receiver);
    },
  });
}

/**
 * Generated values are recipes: the value itself is made fresh for each
 * request, since Proxies and throwing getters would trip fast-check's own
 * inspection of generated values, and since some of them count their reads.
 */
interface Recipe {
  make(): unknown;
  /** What fast-check prints for a counterexample. */
  [fc.toStringMethod](): string;
}

function recipe<S>(spec: S, make: (spec: S) => unknown): Recipe {
  return { make: () => make(spec), [fc.toStringMethod]: () => fc.stringify(spec) };
}

/** A value thrown by code that is not this library: primitives, Errors, error-like objects, Proxies. */
export interface ForeignThrown extends Recipe {
  kind: 'foreign';
  /**
   * The statuses the response may have, worked out from the recipe: its own
   * 4xx status (`status` first, then `statusCode`) when nothing in the way
   * throws, a 5xx of its own or 500 for a server error, else 500. Undefined
   * when a lying Proxy makes the status unknowable.
   */
  expectedStatuses: readonly number[] | undefined;
}

const isErrorStatusLike = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;

/** What the response's status must be for an error-like recipe; see ForeignThrown.expectedStatuses. */
function expectedStatusesOf(spec: {
  statusKeys: string;
  status: unknown;
  statusCode: unknown;
  throwingGetters: string[];
  proxy: ProxyMode;
}): readonly number[] | undefined {
  if (spec.proxy === 'lying') return undefined;
  if (spec.proxy !== 'none') return [500];
  const status = spec.statusKeys === 'status' || spec.statusKeys === 'both' ? spec.status : undefined;
  const statusCode = spec.statusKeys === 'statusCode' || spec.statusKeys === 'both' ? spec.statusCode : undefined;
  const own = isErrorStatusLike(status) ? status : isErrorStatusLike(statusCode) ? statusCode : undefined;
  if (own === undefined) return [500];
  // A getter that throws while the error is read makes it an unknown error: 500.
  const mayThrow = spec.throwingGetters.length > 0;
  if (own >= 500) return [...new Set([500, own])];
  return mayThrow ? [own, 500] : [own];
}

/** A genuine EnhancedError, untouched or tampered with after construction. */
export interface EnhancedThrown extends Recipe {
  kind: 'enhanced';
  tamper: Tamper;
  /** Status and code of the error before any tampering. */
  status: number;
  code: string;
}

export type Thrown = ForeignThrown | EnhancedThrown | AggregateThrown;

const primitive: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, 0, -0, Number.NaN, '', false, true, 404, 500, 'route', 'router'),
  nastyText.map((text) => `${SECRET} ${text}`),
  fc.double(),
  fc.bigInt(),
  fc.string({ maxLength: 10 }).map((text) => Symbol(`${SECRET} ${text}`)),
  fc.constant(function SECRET_function() {}),
);

const errorLike: fc.Arbitrary<Omit<ForeignThrown, 'kind'>> = fc
  .record({
    base: fc.constantFrom('plain', 'error', 'type-error', 'null-prototype', 'array', 'date', 'promise'),
    statusKeys: fc.constantFrom('status', 'statusCode', 'both', 'none'),
    status: STATUS_LIKE,
    statusCode: STATUS_LIKE,
    expose: fc.constantFrom<unknown>(true, false, undefined, 'true', 1),
    message: fc.oneof(hostileText(), fc.constantFrom<unknown>(42, null, undefined, { toString: () => SECRET }, Symbol(SECRET))),
    code: fc.oneof(fc.constantFrom<unknown>('internal_error', 'bad_request', 'ECONNREFUSED', 42, {}, null), nastyText),
    type: fc.constantFrom<unknown>(undefined, ...BODY_PARSER_TYPES, 42),
    headers: fc.option(errorHeaders(PUBLIC), { nil: undefined }),
    // Never `length`: defining a string `length` on the array base throws RangeError (a generator bug, not a finding).
    extra: fc.dictionary(
      fc.string({ maxLength: 8 }).filter((key) => key !== 'length'),
      nastyText.map((text) => `${SECRET} ${text}`),
      { maxKeys: 3 },
    ),
    throwingGetters: fc.subarray(GETTER_KEYS, { maxLength: 3 }),
    reason: THROWN_REASONS,
    circular: fc.boolean(),
    frozen: fc.boolean(),
    proxy: fc.constantFrom<ProxyMode>('none', 'none', 'none', 'throwing-traps', 'lying', 'revoked'),
  })
  .map((generated) => ({
    expectedStatuses: expectedStatusesOf(generated),
    ...recipe(generated, (spec) => {
      const target = baseObject(spec.base);
      // The stack first: replacing it after a non-string message would make V8 format the old one and throw.
      const fields: Record<string, unknown> = { stack: `${SECRET} stack\n    at secret (/srv/secret.js:1:1)` };
      Object.assign(fields, spec.extra, { code: spec.code, type: spec.type, expose: spec.expose });
      if (spec.statusKeys === 'status' || spec.statusKeys === 'both') fields.status = spec.status;
      if (spec.statusKeys === 'statusCode' || spec.statusKeys === 'both') fields.statusCode = spec.statusCode;
      // Only an error that says so may show its message, and then only on a 4xx.
      fields.message = typeof spec.message === 'string' ? `${spec.expose === true ? PUBLIC : SECRET} ${spec.message}` : spec.message;
      if (spec.headers !== undefined) fields.headers = spec.headers;
      for (const [key, value] of Object.entries(fields)) {
        Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      }
      for (const key of spec.throwingGetters) Object.defineProperty(target, key, throwingGetter(spec.reason));
      if (spec.circular) {
        for (const [key, value] of Object.entries({ self: target, cause: target, errors: [target] })) {
          Object.defineProperty(target, key, { value, enumerable: true, configurable: true });
        }
      }
      if (spec.frozen) Object.freeze(target);
      return proxied(target, spec.proxy, spec.reason);
    }),
  }));

function baseObject(base: string): object {
  switch (base) {
    case 'error':
      return new Error(`${SECRET} constructor message`);
    case 'type-error':
      return new TypeError(`${SECRET} constructor message`);
    case 'null-prototype':
      return Object.create(null) as object;
    case 'array':
      return [SECRET];
    case 'date':
      return new Date(Number.NaN);
    case 'promise': {
      const promise = Promise.resolve(SECRET);
      return promise;
    }
    default:
      return {};
  }
}

export const foreignThrown: fc.Arbitrary<ForeignThrown> = fc
  .oneof(
    { weight: 1, arbitrary: primitive.map((value) => ({ expectedStatuses: [500], ...recipe(value, (same) => same) })) },
    { weight: 4, arbitrary: errorLike },
  )
  .map((made) => ({ kind: 'foreign', ...made }));

const ENTRIES: readonly RegistryEntry[] = [...passRegistry];

const TAMPERS = [
  'none',
  'none',
  'frozen',
  'status-replaced',
  'throwing-getter',
  'flipping-getter',
  'headers-proxy',
  'headers-getter',
  'retry-after-replaced',
  'proxy-wrapped',
  'fake-instance',
] as const;
type Tamper = (typeof TAMPERS)[number];

const ENHANCED_KEYS = ['status', 'code', 'action', 'message', 'details', 'helpUrl', 'retryAfter', 'headers', 'entry', 'expose'];

/** A value that reads as valid the first time and throws every time after. */
function flippingGetter(first: unknown, reason: unknown) {
  let reads = 0;
  return {
    enumerable: true,
    configurable: true,
    get(): unknown {
      reads += 1;
      if (reads > 1) throw reason;
      return first;
    },
  };
}

export const enhancedThrown: fc.Arbitrary<EnhancedThrown> = fc
  .record({
    entry: fc.constantFrom(...ENTRIES),
    statusPick: fc.nat(),
    message: fc.option(
      hostileText().filter((text) => text.length > 0),
      { nil: undefined },
    ),
    details: fc.option(hostileText(), { nil: undefined }),
    helpUrl: fc.option(fc.oneof(fc.webUrl(), nastyText), { nil: undefined }),
    retryAfter: fc.option(fc.oneof(fc.nat(), fc.date({ noInvalidDate: true })), { nil: undefined }),
    // A route's own error shows its headers even on a 5xx.
    headers: fc.option(errorHeaders('OWN'), { nil: undefined }),
    tamper: fc.constantFrom(...TAMPERS),
    key: fc.constantFrom(...ENHANCED_KEYS),
    replacement: fc.oneof(STATUS_LIKE, nastyText, fc.constantFrom<unknown>(undefined, null, {}, new Date(Number.NaN), -5)),
    reason: THROWN_REASONS,
  })
  .map((generated): EnhancedThrown => {
    const status = generated.entry.statuses[generated.statusPick % generated.entry.statuses.length] as number;
    const made = recipe(generated, (spec) => {
      const error = (passRegistry as RegistryView).create(spec.entry.code, {
        status,
        message: spec.message,
        details: spec.details,
        helpUrl: spec.helpUrl,
        retryAfter: spec.retryAfter,
        headers: spec.headers as Record<string, string | number> | undefined,
      });
      return tamper(error, spec);
    });
    return { kind: 'enhanced', tamper: generated.tamper, status, code: generated.entry.code, ...made };
  });

function tamper(error: EnhancedError, spec: { tamper: Tamper; key: string; replacement: unknown; reason: unknown }): unknown {
  const target = error as unknown as Record<string, unknown>;
  switch (spec.tamper) {
    case 'frozen':
      return Object.freeze(error);
    case 'status-replaced':
      Object.defineProperty(error, spec.key, { value: spec.replacement, configurable: true, writable: true });
      return error;
    case 'throwing-getter':
      Object.defineProperty(error, spec.key, throwingGetter(spec.reason));
      return error;
    case 'flipping-getter':
      Object.defineProperty(error, spec.key, flippingGetter(target[spec.key], spec.reason));
      return error;
    case 'headers-proxy':
      Object.defineProperty(error, 'headers', { value: proxied({ 'X-Fuzz': 'OWN' }, 'throwing-traps', spec.reason), configurable: true });
      return error;
    case 'headers-getter':
      Object.defineProperty(error, 'headers', {
        value: Object.defineProperty({}, 'X-Fuzz', throwingGetter(spec.reason)),
        configurable: true,
      });
      return error;
    case 'retry-after-replaced':
      Object.defineProperty(error, 'retryAfter', { value: spec.replacement, configurable: true });
      return error;
    case 'proxy-wrapped': {
      let reads = 0;
      return new Proxy(error, {
        get(object, key, receiver) {
          if (key === spec.key && ++reads > 1) throw spec.reason;
          return Reflect.get(object, key, receiver);
        },
      });
    }
    case 'fake-instance':
      return Object.assign(Object.create(EnhancedError.prototype) as object, {
        code: spec.key === 'code' ? spec.replacement : error.code,
        status: spec.key === 'status' ? spec.replacement : error.status,
        action: spec.key === 'action' ? spec.replacement : error.action,
        message: spec.key === 'message' ? spec.replacement : '',
      });
    default:
      return error;
  }
}

/** Several errors at once: all EnhancedErrorHandlerWithItems (answered together), or mixed with others (an ordinary error). */
export interface AggregateThrown extends Recipe {
  kind: 'aggregate';
}

export const aggregateThrown: fc.Arbitrary<AggregateThrown> = fc
  .array(fc.oneof({ weight: 4, arbitrary: enhancedThrown }, { weight: 1, arbitrary: foreignThrown }), { minLength: 1, maxLength: 3 })
  .map((parts) => ({
    kind: 'aggregate',
    ...recipe(
      parts,
      (list) =>
        new AggregateError(
          list.map((part) => part.make()),
          `${SECRET} aggregate`,
        ),
    ),
  }));

export const anyThrown: fc.Arbitrary<Thrown> = fc.oneof(
  { weight: 6, arbitrary: foreignThrown },
  { weight: 4, arbitrary: enhancedThrown },
  { weight: 1, arbitrary: aggregateThrown },
);

/**
 * Cases per property: the base count, times FUZZ_SCALE when set (e.g.
 * `FUZZ_SCALE=10 npx jest test/fuzz-` for a deeper search than CI's).
 */
export function fuzzRuns(base: number): number {
  const scale = Number(process.env.FUZZ_SCALE ?? 1);
  return Number.isFinite(scale) && scale > 0 ? Math.ceil(base * scale) : base;
}

/**
 * fc.assert with a seed that is always printed on failure, even when the
 * generator itself throws (fast-check reports its seed only for a failing
 * predicate). FUZZ_SEED replays a run.
 */
export async function assertProperty<T>(property: fc.IAsyncProperty<T>, params: fc.Parameters<T> = {}): Promise<void> {
  const fromEnv = Number(process.env.FUZZ_SEED);
  const seed = Number.isSafeInteger(fromEnv) ? fromEnv : (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  try {
    await fc.assert(property, { ...params, seed });
  } catch (failure) {
    const replay = `fast-check seed ${seed}: replay with FUZZ_SEED=${seed}`;
    if (failure instanceof Error) {
      failure.message = `${failure.message}\n${replay}`;
      throw failure;
    }
    throw new Error(`${String(failure)}\n${replay}`);
  }
}

/** A property test's timeout: per run, with a floor for the servers' start and a slow (e.g. instrumented) first run. */
export function fuzzTimeout(runs: number, msPerRun: number): number {
  return Math.max(20_000, runs * msPerRun);
}
