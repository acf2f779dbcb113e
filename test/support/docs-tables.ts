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

export interface DocsRegistryRow {
  name: string;
  /** The codes of the list the registry holds. */
  listed: number;
  /** Its `size`, this library's codes included. */
  size: number;
}

/** The registries table of docs/errors-and-handler.md: | `name` | source | listed | size (…) |. */
export function docsRegistryTable(): DocsRegistryRow[] {
  const page = readFileSync(join(__dirname, '..', '..', 'docs', 'errors-and-handler.md'), 'utf8');
  const rows: DocsRegistryRow[] = [];
  for (const line of page.split('\n')) {
    const match = /^\| `(\w+Registry)` \|[^|]*\| (\d+) \| (\d+)\b/.exec(line);
    if (match !== null) rows.push({ name: match[1] as string, listed: Number(match[2]), size: Number(match[3]) });
  }
  return rows;
}
