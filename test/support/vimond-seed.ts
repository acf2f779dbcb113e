import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project's source documents live beside the repository, in ../shared. */
const SEEDS = join(__dirname, '..', '..', '..', 'shared', 'seeds');

export interface VimondSeedRow {
  code: string;
  title: string;
  description: string;
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
 * Splits one table row of the seed, where the page's cells run together:
 * the code's digits, then the UPPER_SNAKE title, then the description.
 */
export function splitVimondRow(line: string): VimondSeedRow {
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

/** Every row of the Vimond seed's code tables, in the seed's order. */
export function vimondSeedRows(): VimondSeedRow[] {
  const file = readdirSync(SEEDS).find((name) => name.startsWith('004_'));
  if (file === undefined) throw new Error(`no 004_ seed in ${SEEDS}`);
  return readFileSync(join(SEEDS, file), 'utf8')
    .split('\n')
    .filter((line) => /^\d/.test(line))
    .map((line) => splitVimondRow(line.trimEnd()));
}
