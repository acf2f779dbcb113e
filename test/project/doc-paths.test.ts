import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Every repository path a page of documentation names must be a file or
 * folder of the repository that git does not ignore: a reader who follows it
 * finds it in a checkout. Named are the targets of relative links, and inline
 * code that reads as a path from the root (`src/…`, `test/…`, `docs/…`,
 * `bench/…`, `examples/…`, `scripts/…`), also inside a command. A name with
 * `*` is a glob, and one cut short after a `-` a prefix (jest's path
 * patterns): each must match a file. Placeholders (`docs/<feature>.md`) are not
 * paths and are passed over.
 */
const root = resolve(__dirname, '..', '..');

const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

const ROOT_FOLDERS = ['src', 'test', 'docs', 'bench', 'examples', 'scripts'];
const PATH_IN_CODE = new RegExp(`^(?:${ROOT_FOLDERS.join('|')})/[\\w./*-]*$`);

export interface NamedPath {
  page: string;
  line: number;
  /** As written. */
  named: string;
  /** From the repository's root: a file, a folder or a glob. */
  path: string;
}

/** The paths a page names, outside its fenced code blocks (samples, whose paths are the reader's own). */
export function pathsNamedIn(page: string, text: string): NamedPath[] {
  const found: NamedPath[] = [];
  let fenced = false;
  text.split('\n').forEach((content, index) => {
    if (/^\s*```/.test(content)) fenced = !fenced;
    if (fenced) return;
    const line = index + 1;
    for (const [, target] of content.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const file = (target as string).split('#')[0] as string;
      // Other sites, and anchors in the page itself.
      if (file === '' || /^[a-z][a-z0-9+.-]*:/i.test(file)) continue;
      found.push({ page, line, named: target as string, path: relative(root, resolve(root, dirname(page), file)) });
    }
    const withoutLinks = content.replace(/\]\([^)]*\)/g, '');
    for (const [, code] of withoutLinks.matchAll(/`([^`]+)`/g)) {
      for (const word of (code as string).split(/\s+/)) {
        const named = word.replace(/^['"]|['",;:.)]+$/g, '');
        // A name cut short (`npx jest test/fuzz-`) is a pattern: the files it starts.
        if (PATH_IN_CODE.test(named)) found.push({ page, line, named, path: named.replace(/\/$/, '').replace(/-$/, '-*') });
      }
    }
  });
  return found;
}

/** The files git knows or would add: tracked, and untracked but not ignored. */
function repositoryFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)));
}

/** `*` within a name, `**` across folders. */
function globPattern(glob: string): RegExp {
  const source = glob
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) =>
      part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/** Why a named path is not one of the repository's, or undefined when it is. */
export function problemWith(named: NamedPath, files: readonly string[]): string | undefined {
  const { path } = named;
  if (path.startsWith('..')) return 'is outside the repository';
  const matches = path.includes('*')
    ? files.some((file) => globPattern(path).test(file))
    : files.includes(path) || files.some((file) => file.startsWith(`${path}/`));
  if (matches) return undefined;
  return existsSync(join(root, path)) ? 'is ignored by git' : 'does not exist';
}

function problems(pages: readonly { page: string; text: string }[], files: readonly string[]): string[] {
  return pages
    .flatMap(({ page, text }) => pathsNamedIn(page, text))
    .flatMap((named) => {
      const problem = problemWith(named, files);
      return problem === undefined ? [] : [`${named.page}:${named.line}: ${named.named} ${problem}`];
    });
}

describe('the paths the documentation names', () => {
  const files = repositoryFiles();
  const pages = PAGES.map((page) => ({ page, text: readFileSync(join(root, page), 'utf8') }));

  it('finds them in links and in code, the README and CONTRIBUTING among the pages', () => {
    const named = pages.flatMap(({ page, text }) => pathsNamedIn(page, text));
    expect(named.length).toBeGreaterThan(40);
    expect(named.some(({ page, path }) => page === 'README.md' && path === 'docs/rate-limit.md')).toBe(true);
    expect(named.some(({ page, path }) => page === 'CONTRIBUTING.md' && path === 'test/project/package.test.ts')).toBe(true);
  });

  it('are files or folders of the repository that git does not ignore', () => {
    expect(problems(pages, files)).toEqual([]);
  });

  it('catches a path that is missing, ignored, outside the repository, or a glob that matches nothing (the check itself works)', () => {
    const page = [
      'See [the guide](guide.md), [the README](../README.md#install), [home](https://example.com/x.md) and [a dependency](../node_modules/typescript/package.json).',
      'Figures in `bench/results/latest.md`; run `npx jest test/no-such.test.ts`; the tests `test/**/fuzz-*.test.ts`, `npx jest test/core/answer/fuzz-`, `test/nothing-*.ts` and `npx jest test/nothing-`.',
      '[Up](../../outside.md) and `src/core/registry/` and `scripts/ensure-redis.sh`.',
      '```sh',
      'cat test/inside-a-sample.ts',
      '```',
    ].join('\n');
    expect(problems([{ page: 'docs/page.md', text: page }], files)).toEqual([
      'docs/page.md:1: guide.md does not exist',
      'docs/page.md:1: ../node_modules/typescript/package.json is ignored by git',
      // Ignored too, once a benchmark has run here.
      expect.stringMatching(/^docs\/page\.md:2: bench\/results\/latest\.md (does not exist|is ignored by git)$/),
      'docs/page.md:2: test/no-such.test.ts does not exist',
      'docs/page.md:2: test/nothing-*.ts does not exist',
      'docs/page.md:2: test/nothing- does not exist',
      'docs/page.md:3: ../../outside.md is outside the repository',
    ]);
  });
});
