import { ACTIONS, isAction } from './actions';
import { isCode, isErrorStatus, isHelpUrl, isNonEmptyString, isRetryAfter } from './validate';
import { describe } from '../shared/describe';
import { EnhancedError } from '../error/enhanced-error';
import type { FieldError } from '../error/field-errors';
import type { CodeDefinition, CodeOf, Definitions, ErrorHeaders, RegistryEntry, StatusOf } from '../shared/types';

export type { CodeDefinition, CodeOf, CodeOrigin, Definitions, RegistryEntry, StatusOf, StatusSpec } from '../shared/types';
import { attachLocaleTable, createLocaleTable, type LocalizedMessages, toCanonicalLocale } from '../locale/messages';

/** What a route may choose when it creates an error from a registry code. */
export interface CreateInit<S extends number = number> {
  /** One of the code's allowed statuses; the first one by default. */
  status?: S;
  /** Replaces the registry message for this one error. */
  message?: string;
  details?: string;
  helpUrl?: string;
  retryAfter?: number | Date;
  headers?: ErrorHeaders;
  /** The request's fields that failed validation; see EnhancedErrorOptions.fields. */
  fields?: readonly FieldError[];
  /** Field errors left out beyond those in `fields`. */
  omittedFields?: number;
  cause?: unknown;
}

/** What the handler and other consumers need of any registry, whatever its codes. */
export interface RegistryView extends Iterable<RegistryEntry> {
  readonly name: string;
  readonly codes: readonly string[];
  readonly size: number;
  create(code: string, init?: CreateInit): EnhancedError;
  has(code: unknown): boolean;
  get(code: string): RegistryEntry | undefined;
  /** HTTP status → the code a thrown error that carries only that status gets. */
  readonly statusCodes?: StatusCodeMap;
  /** The codes for 4xx and 5xx statuses that `statusCodes` does not map. */
  readonly fallbacks?: StatusFallbacks;
}

/**
 * Whether `value` has a registry's shape. By shape, not `instanceof`: a
 * registry built by another copy of the package (or by hand) is one too.
 */
export function isRegistryView(value: unknown): value is RegistryView {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof RegistryView | typeof Symbol.iterator, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    Array.isArray(candidate.codes) &&
    typeof candidate.get === 'function' &&
    typeof candidate.has === 'function' &&
    typeof candidate.create === 'function' &&
    typeof candidate[Symbol.iterator] === 'function'
  );
}

/** Maps an HTTP status found on a thrown error to a registry code. */
export type StatusCodeMap = Readonly<Record<number, string>>;

/**
 * The codes an error that carries only an unmapped status gets, by class.
 * Each must allow every status of its class (400–499, 500–599), so that the
 * thrown status is the one sent.
 */
export interface StatusFallbacks<C extends string = string> {
  readonly clientError: C;
  readonly serverError: C;
}

export interface Registry<D extends Definitions = Definitions> extends RegistryView {
  readonly name: string;
  [Symbol.iterator](): Iterator<RegistryEntry<CodeOf<D>>>;
  /** The definitions as given, to spread into a service's own registry. */
  readonly definitions: D;
  readonly codes: readonly CodeOf<D>[];
  readonly size: number;
  create<C extends CodeOf<D>>(code: C, init?: CreateInit<StatusOf<D[C]>>): EnhancedError<C>;
  has(code: unknown): code is CodeOf<D>;
  get<C extends CodeOf<D>>(code: C): RegistryEntry<C>;
  get(code: string): RegistryEntry<CodeOf<D>> | undefined;
  /** The locale of the definitions' messages. */
  readonly locale: string;
  /** Every locale with messages: the default one first. */
  readonly locales: readonly string[];
  /** The code's message in `locale` (default: the registry's), or undefined when that locale has none. */
  message(code: CodeOf<D>, locale?: string): string | undefined;
}

export interface RegistryOptions<C extends string = string> {
  /** Used in error messages only. */
  name?: string;
  /** The language of the definitions' messages (BCP 47). Default: `en`. */
  locale?: string;
  /** Translated messages per locale; codes are never translated. Checked against the codes now. */
  messages?: LocalizedMessages<C>;
  /**
   * Which errors `create` captures a stack trace for. A 4xx is an expected
   * answer to a client, not a failure of the service, and capturing its stack
   * costs more than the rest of the error path: by default only 5xx get one.
   * `'all'` keeps stacks for 4xx too (e.g. while debugging).
   */
  stackTraces?: 'server-errors' | 'all';
  /**
   * HTTP status → code, for thrown errors that carry only a status (an
   * http-errors error, say). Each code must allow its status.
   */
  statusCodes?: Readonly<Partial<Record<number, C>>>;
  /**
   * The codes for every other 4xx and 5xx status; each must allow every
   * status of its class (see `statusRange`). Default: the registry's
   * `client_error` and `server_error` when they do (spread
   * `genericErrorCodes` into the definitions). Without fallbacks the error
   * handler refuses the registry unless its `statusCodes` option maps every status.
   */
  fallbacks?: StatusFallbacks<C>;
  /**
   * The page that documents the registry's codes (an absolute http(s) URL):
   * the helpUrl of every code that has none of its own, except the codes
   * marked `origin: 'library'` (genericErrorCodes and the other additions),
   * which that page does not document.
   */
  helpUrl?: string;
}

/**
 * Every status from `first` to `last`, for a definition that allows a whole
 * class: `status: statusRange(500, 599)`.
 *
 * @example
 * createRegistry({ server_error: { status: statusRange(500, 599), action: 'none', message: 'Server error.' } });
 */
export function statusRange(first: number, last: number): readonly [number, ...number[]] {
  if (!isErrorStatus(first) || !isErrorStatus(last) || last < first) {
    throw new TypeError(`statusRange: expected two 4xx/5xx statuses in order, got ${describe(first)} and ${describe(last)}`);
  }
  return Object.freeze(Array.from({ length: last - first + 1 }, (_, index) => first + index)) as unknown as readonly [number, ...number[]];
}

const DEFINITION_FIELDS: ReadonlySet<string> = new Set(['status', 'action', 'message', 'description', 'retryAfter', 'helpUrl', 'origin']);

/**
 * Validates every definition now, so that a bad catalog fails at start-up and
 * never at request time.
 *
 * @example
 * const errors = createRegistry({
 *   ...passRegistry.definitions,
 *   video_not_found: { status: 404, action: 'none', message: 'The video does not exist.' },
 * });
 * throw errors.create('video_not_found', { details: 'No video 42.' });
 */
export function createRegistry<const D extends Definitions>(definitions: D, options: RegistryOptions<CodeOf<D>> = {}): Registry<D> {
  const name = options.name ?? 'registry';
  if (typeof definitions !== 'object' || definitions === null || Array.isArray(definitions)) {
    throw new TypeError(`createRegistry(${name}): definitions must be an object keyed by code`);
  }
  const registryHelpUrl = options.helpUrl;
  if (registryHelpUrl !== undefined && !isHelpUrl(registryHelpUrl)) {
    throw new TypeError(`createRegistry(${name}): helpUrl must be an absolute http(s) URL, got ${describe(registryHelpUrl)}`);
  }
  const entries = new Map<string, RegistryEntry<CodeOf<D>>>();
  for (const code of Object.keys(definitions)) {
    entries.set(code, toEntry(name, code as CodeOf<D>, definitions[code], registryHelpUrl));
  }
  const statusCodes = checkStatusCodes(name, entries, options.statusCodes);
  const fallbacks = checkFallbacks(name, entries, options.fallbacks);
  const codes = Object.freeze([...entries.keys()]) as readonly CodeOf<D>[];
  const localeTable = createLocaleTable(name, options.locale, options.messages, [...entries.values()]);
  const stackTraces = options.stackTraces ?? 'server-errors';
  if (stackTraces !== 'server-errors' && stackTraces !== 'all') {
    throw new TypeError(`createRegistry(${name}): stackTraces must be 'server-errors' or 'all', got ${describe(stackTraces)}`);
  }

  function lookup(code: string): RegistryEntry<CodeOf<D>> | undefined {
    return typeof code === 'string' ? entries.get(code) : undefined;
  }

  const registry: Registry<D> = Object.freeze({
    name,
    locale: localeTable.defaultLocale,
    locales: localeTable.locales,
    message(code: string, locale?: string) {
      const tag = locale === undefined ? localeTable.defaultLocale : toCanonicalLocale(locale);
      return tag === undefined ? undefined : localeTable.messageIn(code, tag);
    },
    definitions,
    codes,
    size: entries.size,
    statusCodes,
    ...(fallbacks !== undefined && { fallbacks }),
    create<C extends CodeOf<D>>(code: C, init: CreateInit<StatusOf<D[C]>> = {}): EnhancedError<C> {
      const entry = lookup(code) as RegistryEntry<C> | undefined;
      if (entry === undefined) throw new TypeError(`${name}.create: unknown code ${describe(code)}`);
      const status = init.status ?? entry.status;
      if (!entry.statuses.includes(status)) {
        throw new TypeError(`${name}.create(${code}): status ${describe(status)} is not allowed; allowed: ${entry.statuses.join(', ')}`);
      }
      const fields = {
        code,
        status,
        action: entry.action,
        message: init.message ?? entry.message,
        details: init.details,
        helpUrl: init.helpUrl,
        retryAfter: init.retryAfter,
        headers: init.headers,
        fields: init.fields,
        omittedFields: init.omittedFields,
        cause: init.cause,
      };
      if (status >= 500 || stackTraces === 'all') return new EnhancedError<C>(fields, entry);
      return withoutStackTrace(() => new EnhancedError<C>(fields, entry));
    },
    has(code: unknown): code is CodeOf<D> {
      return typeof code === 'string' && entries.has(code);
    },
    get: lookup as Registry<D>['get'],
    [Symbol.iterator]() {
      return entries.values();
    },
  });
  attachLocaleTable(localeTable, registry, entries.values());
  return registry;
}

function checkStatusCodes(registry: string, entries: ReadonlyMap<string, RegistryEntry>, statusCodes: unknown): StatusCodeMap {
  if (statusCodes === undefined) return Object.freeze({});
  if (typeof statusCodes !== 'object' || statusCodes === null)
    throw new TypeError(`createRegistry(${registry}): statusCodes must be an object`);
  const checked: Record<number, string> = {};
  for (const [key, code] of Object.entries(statusCodes)) {
    const status = Number(key);
    const where = `createRegistry(${registry}): statusCodes[${key}]`;
    if (!isErrorStatus(status)) throw new TypeError(`${where}: not a 4xx/5xx status`);
    const entry = typeof code === 'string' ? entries.get(code) : undefined;
    if (entry === undefined) throw new TypeError(`${where}: no code ${describe(code)}`);
    if (!entry.statuses.includes(status)) throw new TypeError(`${where}: code "${entry.code}" does not allow status ${key}`);
    checked[status] = entry.code;
  }
  return Object.freeze(checked);
}

/** The fallbacks a registry uses unless told otherwise: its `client_error` and `server_error`, when they cover their class. */
const CONVENTIONAL_FALLBACKS: StatusFallbacks = { clientError: 'client_error', serverError: 'server_error' };

function checkFallbacks(registry: string, entries: ReadonlyMap<string, RegistryEntry>, fallbacks: unknown): StatusFallbacks | undefined {
  if (fallbacks === undefined) {
    try {
      return checkFallbacks(registry, entries, CONVENTIONAL_FALLBACKS);
    } catch {
      return undefined;
    }
  }
  if (typeof fallbacks !== 'object' || fallbacks === null) {
    throw new TypeError(`createRegistry(${registry}): fallbacks must be { clientError, serverError }`);
  }
  const { clientError, serverError } = fallbacks as Partial<Record<keyof StatusFallbacks, unknown>>;
  const check = (field: keyof StatusFallbacks, code: unknown, first: number): string => {
    const where = `createRegistry(${registry}): fallbacks.${field}`;
    const entry = typeof code === 'string' ? entries.get(code) : undefined;
    if (entry === undefined) throw new TypeError(`${where}: no code ${describe(code)}`);
    for (let status = first; status < first + 100; status++) {
      if (!entry.statuses.includes(status)) {
        throw new TypeError(
          `${where}: code "${entry.code}" must allow every status from ${first} to ${first + 99} (statusRange); it lacks ${status}`,
        );
      }
    }
    return entry.code;
  };
  return Object.freeze({ clientError: check('clientError', clientError, 400), serverError: check('serverError', serverError, 500) });
}

function toEntry<C extends string>(
  registry: string,
  code: C,
  definition: CodeDefinition | undefined,
  registryHelpUrl: string | undefined,
): RegistryEntry<C> {
  const where = `createRegistry(${registry}): code ${describe(code)}`;
  if (!isCode(code)) throw new TypeError(`${where} must be a non-empty snake_case string`);
  if (typeof definition !== 'object' || definition === null) throw new TypeError(`${where}: definition must be an object`);
  for (const field of Object.keys(definition)) {
    if (!DEFINITION_FIELDS.has(field)) throw new TypeError(`${where}: unknown field ${describe(field)}`);
  }
  const { status, action, message, description, retryAfter, origin } = definition;
  // The registry's page documents its catalog, not this library's additions.
  const helpUrl = definition.helpUrl ?? (origin === 'library' ? undefined : registryHelpUrl);
  const statuses: readonly unknown[] = Array.isArray(status) ? status : [status];
  if (statuses.length === 0 || !statuses.every(isErrorStatus)) {
    throw new TypeError(`${where}: status must be a 4xx/5xx integer or a non-empty list of them, got ${describe(status)}`);
  }
  if (new Set(statuses).size !== statuses.length) throw new TypeError(`${where}: status list has duplicates`);
  if (!isAction(action)) throw new TypeError(`${where}: action must be one of ${ACTIONS.join(', ')}, got ${describe(action)}`);
  if (!isNonEmptyString(message)) throw new TypeError(`${where}: message must be a non-empty string`);
  if (description !== undefined && typeof description !== 'string') throw new TypeError(`${where}: description must be a string`);
  if (retryAfter !== undefined && !(typeof retryAfter === 'number' && isRetryAfter(retryAfter))) {
    throw new TypeError(`${where}: retryAfter must be a non-negative integer of seconds`);
  }
  if (helpUrl !== undefined && !isHelpUrl(helpUrl)) throw new TypeError(`${where}: helpUrl must be an absolute http(s) URL`);
  if (origin !== undefined && origin !== 'catalog' && origin !== 'library') {
    throw new TypeError(`${where}: origin must be 'catalog' or 'library', got ${describe(origin)}`);
  }
  const entry: RegistryEntry<C> = {
    code,
    status: statuses[0] as number,
    statuses: Object.freeze([...(statuses as number[])]),
    action,
    message,
    ...(description !== undefined && { description }),
    ...(retryAfter !== undefined && { retryAfter }),
    ...(helpUrl !== undefined && { helpUrl }),
    ...(origin === 'library' && { origin }),
  };
  return Object.freeze(entry);
}

/** Runs `build` with stack capture off; the limit is global, so it is restored at once. */
export function withoutStackTrace<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
