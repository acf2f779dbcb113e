import { LIBRARY_ADDITION_NOTE, statusesText } from '../../src/docs/catalog-data';
import { LIBRARY_MARK } from '../../src/docs/markdown';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { createRegistry, passRegistry, type RegistryEntry, type RegistryView } from '../../src';
import { passCodes, passMessagesFr, passRestV1Registry } from '../../src/core/catalogs';
import { catalogMarkdown } from '../../src/docs';

/** A Markdown parser that would turn any unescaped markup into something other than plain text. */
const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** The cells of every body row as the reader sees them, with the inline token types each cell became. */
function tableOf(source: string): { header: string[]; rows: string[][]; kinds: Set<string> } {
  const tokens = markdown.parse(source, {});
  const rows: string[][] = [];
  const kinds = new Set<string>();
  let header: string[] = [];
  let current: string[] = [];
  let inBody = false;
  let inRow = false;
  for (const token of tokens) {
    if (token.type === 'tbody_open') inBody = true;
    if (token.type === 'tr_open') [current, inRow] = [[], true];
    if (token.type === 'inline' && inRow) {
      for (const child of token.children ?? []) kinds.add(child.type);
      current.push((token.children ?? []).map((child) => child.content).join(''));
    }
    if (token.type === 'thead_close') header = current;
    if (token.type === 'tr_close') inRow = false;
    if (token.type === 'tr_close' && inBody) rows.push(current);
  }
  return { header, rows, kinds };
}

function expectTableOf(registry: RegistryView, source: string, message: (code: string) => string): void {
  const { header, rows, kinds } = tableOf(source);
  expect(header).toEqual(['Code', 'Action', 'Status', 'Message']);
  // This library's additions are marked, and the mark explained under the table.
  const codeCell = (entry: RegistryEntry) => (entry.origin === 'library' ? `${entry.code} ${LIBRARY_MARK}` : entry.code);
  expect(rows).toEqual([...registry].map((entry) => [codeCell(entry), entry.action, statusesText(entry.statuses), message(entry.code)]));
  expect([...kinds].sort()).toEqual(['code_inline', 'text']);
  expect(source.endsWith(`|\n\n${LIBRARY_MARK} ${LIBRARY_ADDITION_NOTE}\n`)).toBe(
    [...registry].some((entry) => entry.origin === 'library'),
  );
}

describe('catalogMarkdown', () => {
  it.each([
    ['passRegistry', passRegistry],
    ['passRestV1Registry', passRestV1Registry],
  ])('writes every code of %s as one table row, the text intact', (_name, registry) => {
    expectTableOf(registry, catalogMarkdown(registry), (code) => registry.get(code)?.message ?? '');
  });

  it("marks this library's additions: the REST lists' copies of canonical codes too", () => {
    const { rows } = tableOf(catalogMarkdown(passRestV1Registry));
    const marked = rows.filter(([code]) => code?.endsWith(` ${LIBRARY_MARK}`)).map(([code]) => code?.slice(0, -2));
    expect(marked).toEqual(['too_many_requests', 'service_unavailable', 'not_found', 'client_error', 'server_error']);
  });

  it('writes a locale, falling back to the default message', () => {
    const localized = createRegistry(passCodes, { messages: { fr: passMessagesFr } });
    const fr: Record<string, string> = passMessagesFr;
    expectTableOf(localized, catalogMarkdown(localized, { locale: 'fr' }), (code) => fr[code] ?? localized.get(code)?.message ?? '');
  });

  it('refuses a locale the registry has no messages in', () => {
    expect(() => catalogMarkdown(passRegistry, { locale: 'fr' })).toThrow(/passRegistry has no messages in "fr"; locales: en/);
  });

  it('escapes markup, pipes and line breaks', () => {
    const message = 'Use `x` | *not* _this_ [link](http://a.example) <b>bold</b> &amp; ~~gone~~ \\ end\r\nnext line';
    const registry = createRegistry({
      odd_text: { status: 400, action: 'none', message, description: 'Row | with <i>pipe</i>' },
    });
    const source = catalogMarkdown(registry);
    const { header, rows, kinds } = tableOf(source);
    expect(header).toEqual(['Code', 'Action', 'Status', 'Message', 'Description']);
    expect(rows).toEqual([['odd_text', 'none', '400', message.replace('\r\n', ' '), 'Row | with <i>pipe</i>']]);
    // Markup stays text; only the bare URL becomes a link, as GitHub shows one, its text unchanged.
    expect([...kinds].sort()).toEqual(['code_inline', 'link_close', 'link_open', 'text']);
    expect(source.trimEnd().split('\n')).toHaveLength(3);
  });
});

describe('npm run catalog', () => {
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const script = join(__dirname, '..', '..', 'scripts', 'catalog.ts');

  it('writes the table of a named registry to a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-md-'));
    try {
      const out = join(dir, 'codes.md');
      const run = spawnSync(tsx, [script, 'passRestV1Registry', '--out', out], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(catalogMarkdown(passRestV1Registry));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong and fails for an unknown registry', () => {
    const run = spawnSync(tsx, [script, 'noSuchRegistry'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('catalog: noSuchRegistry is not a registry\nusage: npm run catalog');
  });
});
