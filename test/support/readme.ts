import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadmeVimondRow {
  code: string;
  title: string;
  key: string;
  status: number;
  action: string;
}

/** The README's Vimond table: | code | `TITLE` | `key` | status | action |. */
export function readmeVimondTable(): ReadmeVimondRow[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows: ReadmeVimondRow[] = [];
  for (const line of readme.split('\n')) {
    const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim());
    const [code = '', title = '', key = '', status = '', action = ''] = cells;
    if (cells.length !== 5 || !/^\d+$/.test(code) || !/^`[a-z0-9_]+_\d+`$/.test(key)) continue;
    rows.push({ code, title: title.replace(/`/g, ''), key: key.replace(/`/g, ''), status: Number(status), action });
  }
  return rows;
}
