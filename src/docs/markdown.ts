import type { RegistryView } from '../registry/registry';
import { catalogOf, statusesText } from './catalog-data';

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

/**
 * A GitHub-flavoured Markdown table of every code: code, action, status(es), message (and description when any code has one).
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
    `\`${entry.code}\``,
    `\`${entry.action}\``,
    statusesText(entry.statuses),
    escapeMarkdownCell(entry.message),
    ...(withDescription ? [escapeMarkdownCell(entry.description ?? '')] : []),
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n') + '\n';
}
