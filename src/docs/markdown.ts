import type { RegistryView } from '../core/registry/registry';
import { catalogOf, LIBRARY_ADDITION_NOTE, statusesText } from './catalog-data';

/**
 * Backslash-escapes what Markdown would read as markup inside a table cell
 * (emphasis, code, links, HTML, entities, the cell separator); line breaks
 * would end the row, so they become spaces.
 */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/[\\`*_[\]<>|&~]/g, '\\$&').replace(/\s*[\r\n]+\s*/g, ' ');
}

export interface CatalogMarkdownOptions {
  /** One of the registry's locales. Default: its default locale. */
  locale?: string;
}

/** How the table marks a code this library adds to a published catalog; a note under the table says what it means. */
export const LIBRARY_MARK = '†';

/**
 * A GitHub-flavoured Markdown table of every code: code, action, status(es), message (and description when any code has one).
 * This library's additions to a published catalog are marked † and explained under the table.
 *
 * @example
 * writeFileSync('docs/errors.md', catalogMarkdown(registry, { locale: 'fr' }));
 */
export function catalogMarkdown(registry: RegistryView, options: CatalogMarkdownOptions = {}): string {
  const catalog = catalogOf(registry, options.locale);
  if (options.locale !== undefined && catalog.locale !== options.locale) {
    throw new TypeError(
      `catalogMarkdown: ${registry.name} has no messages in ${JSON.stringify(options.locale)}; locales: ${catalog.locales.join(', ')}`,
    );
  }
  const withDescription = catalog.codes.some((entry) => entry.description !== undefined);
  const header = ['Code', 'Action', 'Status', 'Message', ...(withDescription ? ['Description'] : [])];
  const rows = catalog.codes.map((entry) => [
    entry.origin === 'library' ? `\`${entry.code}\` ${LIBRARY_MARK}` : `\`${entry.code}\``,
    `\`${entry.action}\``,
    statusesText(entry.statuses),
    escapeMarkdownCell(entry.message),
    ...(withDescription ? [escapeMarkdownCell(entry.description ?? '')] : []),
  ]);
  const table = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n') + '\n';
  return catalog.codes.some((entry) => entry.origin === 'library') ? `${table}\n${LIBRARY_MARK} ${LIBRARY_ADDITION_NOTE}\n` : table;
}
