import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocsVimondRow {
  code: string;
  title: string;
  key: string;
  status: number;
  action: string;
}

/** The Vimond table of docs/formats.md: | code | `TITLE` | `key` | status | action |. */
export function docsVimondTable(): DocsVimondRow[] {
  const page = readFileSync(join(__dirname, '..', '..', 'docs', 'formats.md'), 'utf8');
  const rows: DocsVimondRow[] = [];
  for (const line of page.split('\n')) {
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
    const [code = '', title = '', key = '', status = '', action = ''] = cells;
    if (cells.length !== 5 || !/^\d+$/.test(code) || !/^`[a-z0-9_]+_\d+`$/.test(key)) continue;
    rows.push({ code, title: title.replace(/`/g, ''), key: key.replace(/`/g, ''), status: Number(status), action });
  }
  return rows;
}
