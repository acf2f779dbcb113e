import { type Action, ACTIONS, isAction } from './actions';
import { isCode, isErrorStatus, isHelpUrl, isNonEmptyString, isRetryAfter } from './validate';
import { EnhancedError, type ErrorHeaders, describe } from '../error/enhanced-error';
import type { FieldError } from '../error/field-errors';
import { attachLocaleTable, createLocaleTable, type LocalizedMessages, toCanonicalLocale } from '../locale/messages';

/** One status, or the list of allowed statuses with the default first. */
export type StatusSpec = number | readonly [number, ...number[]];

export interface CodeDefinition {
  readonly status: StatusSpec;
  readonly action: Action;
  /** Human-readable; may be shown to end users. */
  readonly message: string;
  /** Longer text for documentation pages; never sent in an envelope. */
  readonly description?: string;
  /** Default Retry-After seconds for `retry-after` codes. */
  readonly retryAfter?: number;
  readonly helpUrl?: string;
}

export type Definitions = { readonly [code: string]: CodeDefinition };

export type CodeOf<D extends Definitions> = Extract<keyof D, string>;

/** The statuses a definition allows, as a union of number literals. */
export type StatusOf<Def extends CodeDefinition> = Def['status'] extends readonly (infer S extends number)[]
  ? S
  : Extract<Def['status'], number>;

/** A validated definition, with its statuses spelled out. */
export interface RegistryEntry<C extends string = string> {
  readonly code: C;
  /** The default status: the first allowed one. */
  readonly status: number;
  readonly statuses: readonly number[];
  readonly action: Action;
  readonly message: string;
  readonly description?: string;
  readonly retryAfter?: number;
  readonly helpUrl?: string;
}

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
}

const DEFINITION_FIELDS: ReadonlySet<string> = new Set(['status', 'action', 'message', 'description', 'retryAfter', 'helpUrl']);

/**
 * Validates every definition now, so that a bad catalog fails at start-up and
 * never at request time.
 */
export function createRegistry<const D extends Definitions>(definitions: D, options: RegistryOptions<CodeOf<D>> = {}): Registry<D> {
  const name = options.name ?? 'registry';
  if (typeof definitions !== 'object' || definitions === null || Array.isArray(definitions)) {
    throw new TypeError(`createRegistry(${name}): definitions must be an object keyed by code`);
  }
  const entries = new Map<string, RegistryEntry<CodeOf<D>>>();
  for (const code of Object.keys(definitions)) {
    entries.set(code, toEntry(name, code as CodeOf<D>, definitions[code]));
  }
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
    create<C extends CodeOf<D>>(code: C, init: CreateInit<StatusOf<D[C]>> = {}): EnhancedError<C> {
      const entry = lookup(code) as RegistryEntry<C> | undefined;
      if (entry === undefined) throw new TypeError(`${name}.create: unknown code ${describe(code)}`);
      const status = init.status ?? entry.status;
      if (!entry.statuses.includes(status)) {
        throw new TypeError(
          `${name}.create(${code}): status ${describe(status)} is not allowed; allowed: ${entry.statuses.join(', ')}`,
        );
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

function toEntry<C extends string>(registry: string, code: C, definition: CodeDefinition | undefined): RegistryEntry<C> {
  const where = `createRegistry(${registry}): code ${describe(code)}`;
  if (!isCode(code)) throw new TypeError(`${where} must be a non-empty snake_case string`);
  if (typeof definition !== 'object' || definition === null) throw new TypeError(`${where}: definition must be an object`);
  for (const field of Object.keys(definition)) {
    if (!DEFINITION_FIELDS.has(field)) throw new TypeError(`${where}: unknown field ${describe(field)}`);
  }
  const { status, action, message, description, retryAfter, helpUrl } = definition;
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
  const entry: RegistryEntry<C> = {
    code,
    status: statuses[0] as number,
    statuses: Object.freeze([...(statuses as number[])]),
    action,
    message,
    ...(description !== undefined && { description }),
    ...(retryAfter !== undefined && { retryAfter }),
    ...(helpUrl !== undefined && { helpUrl }),
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
