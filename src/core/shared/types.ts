/**
 * The types every layer shares. This module imports nothing, so that the
 * error, the registry, locales, formats and the client can all depend on it
 * without depending on one another.
 */

/** One of the spec's remediation actions (see `ACTIONS`). */
export type Action =
  'none' | 'configuration' | 'application-registration' | 'authentication' | 'authorization' | 'degradation' | 'retry' | 'retry-after';

/** Extra response headers, http-errors style. Invalid names or values are dropped when sent. */
export type ErrorHeaders = Readonly<Record<string, string | number>>;

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
  /**
   * `'library'` marks a code this library adds to a published catalog (a
   * generic fallback the catalog lacks); catalog pages show it as such.
   */
  readonly origin?: CodeOrigin;
}

/** Where a code comes from: the published catalog, or this library's additions to it. */
export type CodeOrigin = 'catalog' | 'library';

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
  /** The code's own helpUrl, else the registry's `helpUrl` option (never for an `origin: 'library'` code). */
  readonly helpUrl?: string;
  /** Set when the code is one of this library's additions to a published catalog. */
  readonly origin?: CodeOrigin;
}

/**
 * One entry of Vimond's `errors` array. The server always sends `detail`;
 * a client keeps an entry that lacks it.
 */
export interface VimondError {
  readonly title: string;
  readonly code: string;
  readonly detail?: string;
}
