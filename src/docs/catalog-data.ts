import type { Action } from '../core/registry/actions';
import type { RegistryView } from '../core/registry/registry';
import { createLocaleTable, type LocaleTable, localeTableOf } from '../core/locale/messages';

/** One code as the documentation shows it: its definition, with the message in the page's locale. */
export interface CatalogCode {
  readonly code: string;
  readonly action: Action;
  /** The default status. */
  readonly status: number;
  readonly statuses: readonly number[];
  readonly message: string;
  /** The locale of `message`: the page's, or the registry's default when the page's has none for this code. */
  readonly messageLocale: string;
  readonly description?: string;
  readonly retryAfter?: number;
  readonly helpUrl?: string;
  /** `'library'` for a code this library adds to a published catalog. */
  readonly origin?: 'library';
}

/** A registry in one locale: what the HTML page, its JSON twin and the Markdown table show. */
export interface Catalog {
  readonly registry: string;
  readonly locale: string;
  /** Every locale the registry has messages in: the default one first. */
  readonly locales: readonly string[];
  readonly codes: readonly CatalogCode[];
}

/** The registry's locale table; a registry not made by createRegistry has its messages in the default locale only. */
export function localeTableFor(registry: RegistryView): LocaleTable {
  return localeTableOf(registry) ?? createLocaleTable(registry.name, undefined, undefined, [...registry]);
}

/** The registry in `locale` (one of its locales; default: its default one). */
export function catalogOf(registry: RegistryView, locale?: string): Catalog {
  const table = localeTableFor(registry);
  const chosen = locale !== undefined && table.locales.includes(locale) ? locale : table.defaultLocale;
  const codes = [...registry].map((entry): CatalogCode => {
    const translated = table.messageIn(entry.code, chosen);
    return {
      code: entry.code,
      action: entry.action,
      status: entry.status,
      statuses: entry.statuses,
      message: translated ?? entry.message,
      messageLocale: translated === undefined ? table.defaultLocale : chosen,
      ...(entry.description !== undefined && { description: entry.description }),
      ...(entry.retryAfter !== undefined && { retryAfter: entry.retryAfter }),
      ...(entry.helpUrl !== undefined && { helpUrl: entry.helpUrl }),
      ...(entry.origin === 'library' && { origin: entry.origin }),
    };
  });
  return { registry: registry.name, locale: chosen, locales: table.locales, codes };
}

/** Statuses as the documentation shows them: a run of three or more as a range (`400–499`). */
export function statusesText(statuses: readonly number[]): string {
  const parts: string[] = [];
  for (let start = 0; start < statuses.length;) {
    let end = start;
    while (end + 1 < statuses.length && statuses[end + 1] === (statuses[end] as number) + 1) end += 1;
    parts.push(end - start >= 2 ? `${statuses[start]}–${statuses[end]}` : statuses.slice(start, end + 1).join(', '));
    start = end + 1;
  }
  return parts.join(', ');
}

/** How the documentation marks a code this library adds to a published catalog. */
export const LIBRARY_ADDITION_NOTE = "This library's addition: not a code of the published catalog.";
