import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project's source documents live beside the repository, in ../shared. */
export const SHARED = join(__dirname, '..', '..', '..', 'shared');

export interface TableRow {
  action: string;
  code: string;
  statuses: number[];
  message: string;
}

/**
 * Reads a Markdown table whose columns are Action | Code | Status | Message
 * (or Description). The action cell is bold and only set on the first row of
 * each group; codes are italic.
 */
export function parseCodeTable(markdown: string): TableRow[] {
  const rows: TableRow[] = [];
  let action = '';
  for (const line of markdown.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) continue;
    const cells = trimmed.slice(1, -1).split('|').map((cell) => cell.trim());
    if (cells.length !== 4) continue;
    const [actionCell = '', codeCell = '', statusCell = '', message = ''] = cells;
    const bold = /^\*\*(.+)\*\*$/.exec(actionCell);
    if (bold?.[1]) action = bold[1].trim();
    const italic = /^\*(.+)\*$/.exec(codeCell);
    if (!italic?.[1]) continue;
    rows.push({
      action,
      code: italic[1].trim().replace(/\\_/g, '_'),
      statuses: statusCell.split(',').map((status) => Number(status.trim())),
      message,
    });
  }
  return rows;
}

function section(text: string, from: string, to?: string): string {
  const start = text.indexOf(from);
  if (start < 0) throw new Error(`section ${from} not found`);
  const end = to === undefined ? text.length : text.indexOf(to, start);
  return text.slice(start, end < 0 ? text.length : end);
}

export function canonicalTable(): TableRow[] {
  const seed = readFileSync(join(SHARED, 'seeds', '000_2fc48d9216d5e141.txt'), 'utf8');
  return parseCodeTable(section(seed, '## Error Codes'));
}

function latest(): string {
  return readFileSync(join(SHARED, 'reference', 'enhanced-error-codes-latest.md'), 'utf8');
}

export function restV2Table(): TableRow[] {
  return parseCodeTable(section(latest(), '### REST API v2', '### (Legacy) REST API v1'));
}

export function restV1Table(): TableRow[] {
  return parseCodeTable(section(latest(), '### (Legacy) REST API v1', '### (Legacy) SDKs'));
}
