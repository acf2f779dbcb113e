/**
 * Writes the test fixtures that hold the specification's tables as data
 * (test/fixtures/spec-tables.json, test/fixtures/vimond-codes.json).
 *
 * Run once when a source document changes; the tests read only the fixtures.
 *
 *   npx tsx scripts/extract-spec-fixtures.ts [path/to/shared]
 *
 * The default source folder is ../shared beside the repository (seeds/ and reference/).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface TableRow {
  action: string;
  code: string;
  statuses: number[];
  message: string;
}

interface VimondRow {
  code: string;
  title: string;
  description: string;
}

/**
 * Reads a Markdown table whose columns are Action | Code | Status | Message
 * (or Description). The action cell is bold and only set on the first row of
 * each group; codes are italic.
 */
function parseCodeTable(markdown: string): TableRow[] {
  const rows: TableRow[] = [];
  let action = '';
  for (const line of markdown.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) continue;
    const cells = trimmed
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
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

/**
 * Descriptions that open with an upper-case word and a space ("EPG is not
 * enabled…", "A subprofile…"). Glued to the title, that word cannot be told
 * apart by rule (ENABLEDEPG), so it is named here; every other description
 * opens with a capitalised word, whose capital ends the title's letters.
 */
const UPPER_CASE_OPENING_WORDS = ['EPG', 'A'];
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * Splits one table row of the Vimond page, where the cells run together:
 * the code's digits, then the UPPER_SNAKE title, then the description.
 */
function splitVimondRow(line: string): VimondRow {
  const match = /^(\d+)([A-Z][A-Z0-9_]*)(.+)$/.exec(line);
  if (match === null) throw new Error(`not a Vimond row: ${line}`);
  const [, code = '', capitals = '', rest = ''] = match;
  let titleLength: number;
  if (/^[a-z]/.test(rest)) {
    titleLength = capitals.length - 1;
  } else if (rest.startsWith(' ')) {
    const words = UPPER_CASE_OPENING_WORDS.filter((word) => capitals.endsWith(word));
    if (words.length !== 1) throw new Error(`cannot split title from description in: ${line}`);
    titleLength = capitals.length - (words[0] ?? '').length;
  } else {
    throw new Error(`cannot split title from description in: ${line}`);
  }
  const title = capitals.slice(0, titleLength);
  const description = capitals.slice(titleLength) + rest;
  if (!UPPER_SNAKE.test(title)) throw new Error(`title ${title} is not UPPER_SNAKE in: ${line}`);
  return { code, title, description };
}

/** The canonical page's "three categories" list: "ones which try to fix the <x> context … (action, action)". */
function actionCategories(canonical: string): Record<string, string> {
  const text = canonical.replace(/\s+/g, ' ');
  const categories: Record<string, string> = {};
  for (const [, context, actions] of text.matchAll(/ones which try to fix the (\w+) context[^(]*\(([^)]+)\)/g)) {
    for (const action of (actions ?? '').split(',')) categories[action.trim()] = `${context}-context`;
  }
  return categories;
}

/** The newer page's Action table: each action with its category sentence ("Fix the request context."). */
function latestActionCategories(latest: string): Record<string, string> {
  const categories: Record<string, string> = {};
  const table = latest.slice(latest.indexOf('| Action '));
  for (const line of table.split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const [action, , category] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    if (action !== undefined && category !== undefined) categories[action] = category;
  }
  return categories;
}

function seedFile(seeds: string, prefix: string): string {
  const file = readdirSync(seeds).find((name) => name.startsWith(prefix));
  if (file === undefined) throw new Error(`no ${prefix} seed in ${seeds}`);
  return file;
}

const shared = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'shared'));
const seeds = join(shared, 'seeds');
const canonicalFile = seedFile(seeds, '000_');
const vimondFile = seedFile(seeds, '004_');
const canonical = readFileSync(join(seeds, canonicalFile), 'utf8');
const latestFile = join('reference', 'enhanced-error-codes-latest.md');
const latest = readFileSync(join(shared, latestFile), 'utf8');
const vimond = readFileSync(join(seeds, vimondFile), 'utf8');

const passDocument = 'Enhanced Error Codes';
const specTables = {
  canonical: {
    source: { document: passDocument, file: `seeds/${canonicalFile}`, table: 'Error Codes' },
    rows: parseCodeTable(section(canonical, '## Error Codes')),
  },
  restV2: {
    source: { document: `${passDocument} (newer page)`, file: latestFile, table: 'Lists › REST API v2' },
    rows: parseCodeTable(section(latest, '### REST API v2', '### (Legacy) REST API v1')),
  },
  restV1: {
    source: { document: `${passDocument} (newer page)`, file: latestFile, table: '(Legacy) REST API v1' },
    rows: parseCodeTable(section(latest, '### (Legacy) REST API v1', '### (Legacy) SDKs')),
  },
  actionCategories: {
    source: { document: passDocument, file: `seeds/${canonicalFile}`, table: 'Actions and error codes (the three categories of actions)' },
    categories: actionCategories(canonical),
  },
  latestActionCategories: {
    source: {
      document: `${passDocument} (newer page)`,
      file: latestFile,
      table: 'Action: the possible values for the "action" field, with their category',
    },
    categories: latestActionCategories(latest),
  },
};
const vimondCodes = {
  source: { document: 'Vimond: Error response', file: `seeds/${vimondFile}`, table: 'error codes and descriptions' },
  rows: vimond
    .split('\n')
    .filter((line) => /^\d/.test(line))
    .map((line) => splitVimondRow(line.trimEnd())),
};

const fixtures = join(__dirname, '..', 'test', 'fixtures');
writeFileSync(join(fixtures, 'spec-tables.json'), `${JSON.stringify(specTables, null, 2)}\n`);
writeFileSync(join(fixtures, 'vimond-codes.json'), `${JSON.stringify(vimondCodes, null, 2)}\n`);
console.log(
  `spec tables: ${specTables.canonical.rows.length} + ${specTables.restV2.rows.length} + ${specTables.restV1.rows.length} rows; Vimond: ${vimondCodes.rows.length} rows`,
);
