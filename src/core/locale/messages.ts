import type { RegistryEntry } from '../shared/types';
import { isNonEmptyString } from '../registry/validate';

/** Messages of one locale, keyed by registry code. Codes are never translated; a missing code falls back to the default locale. */
export type MessageCatalog<C extends string = string> = { readonly [K in C]?: string };

/** Message catalogs keyed by locale tag (BCP 47, e.g. `fr`, `fr-CA`). */
export type LocalizedMessages<C extends string = string> = { readonly [locale: string]: MessageCatalog<C> };

/** The language of the definitions' own messages when a registry names none. */
export const DEFAULT_LOCALE = 'en';

/** Which messages a registry has in which locale. Built once, when the registry is created. */
export interface LocaleTable {
  /** The locale of the definitions' own messages. */
  readonly defaultLocale: string;
  /** The default locale first, then every catalog's locale. */
  readonly locales: readonly string[];
  /** The message of `code` in `locale`, if that locale has one. */
  messageIn(code: string, locale: string): string | undefined;
  /** The locales that have a message for `code`: the default one first. */
  localesFor(code: string): readonly string[];
}

/** The canonical form of a BCP 47 tag (`fr-ca` → `fr-CA`), or undefined for anything else. */
export function toCanonicalLocale(tag: unknown): string | undefined {
  if (typeof tag !== 'string' || tag === '*') return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

function canonicalLocale(tag: unknown, where: string): string {
  const canonical = toCanonicalLocale(tag);
  if (canonical === undefined) {
    throw new TypeError(`${where}: ${JSON.stringify(tag) ?? String(tag)} is not a language tag (e.g. "en", "fr-CA")`);
  }
  return canonical;
}

/**
 * Checks every catalog against the registry's codes now, so that a
 * misspelled code or locale fails at start-up and never shows at request time.
 */
export function createLocaleTable(
  registryName: string,
  defaultLocale: unknown,
  messages: LocalizedMessages | undefined,
  entries: readonly RegistryEntry[],
): LocaleTable {
  const where = `createRegistry(${registryName})`;
  const base = canonicalLocale(defaultLocale ?? DEFAULT_LOCALE, `${where}: locale`);
  if (messages !== undefined && (typeof messages !== 'object' || messages === null || Array.isArray(messages))) {
    throw new TypeError(`${where}: messages must be an object keyed by locale`);
  }
  const byCode = new Map<string, Map<string, string>>();
  for (const entry of entries) byCode.set(entry.code, new Map([[base, entry.message]]));

  const locales = [base];
  for (const [tag, catalog] of Object.entries(messages ?? {})) {
    const locale = canonicalLocale(tag, `${where}: messages`);
    if (locales.includes(locale)) throw new TypeError(`${where}: messages: locale ${locale} is given twice or is the default locale`);
    if (typeof catalog !== 'object' || catalog === null || Array.isArray(catalog)) {
      throw new TypeError(`${where}: messages.${tag} must be an object keyed by code`);
    }
    for (const [code, message] of Object.entries(catalog)) {
      const translations = byCode.get(code);
      if (translations === undefined) throw new TypeError(`${where}: messages.${tag} has unknown code ${JSON.stringify(code)}`);
      if (!isNonEmptyString(message)) throw new TypeError(`${where}: messages.${tag}.${code} must be a non-empty string`);
      translations.set(locale, message);
    }
    locales.push(locale);
  }

  const offered = new Map<string, readonly string[]>();
  for (const [code, translations] of byCode) offered.set(code, Object.freeze([...translations.keys()]));
  return Object.freeze({
    defaultLocale: base,
    locales: Object.freeze(locales),
    messageIn: (code: string, locale: string) => byCode.get(code)?.get(locale),
    localesFor: (code: string) => offered.get(code) ?? [],
  });
}

/**
 * Registries and their entries → their locale table. An error carries its
 * registry entry, not its registry, so the handler finds the translations of
 * any registry's error through its entry.
 */
const tables = new WeakMap<object, LocaleTable>();

export function attachLocaleTable(table: LocaleTable, registry: object, entries: Iterable<RegistryEntry>): void {
  tables.set(registry, table);
  for (const entry of entries) tables.set(entry, table);
}

/** The locale table of a registry made by createRegistry, or of one of its entries. */
export function localeTableOf(registryOrEntry: object | undefined): LocaleTable | undefined {
  return registryOrEntry === undefined ? undefined : tables.get(registryOrEntry);
}
