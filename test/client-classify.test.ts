import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS } from '../src';
import { classifyAction, isRetryableAction } from '../src/client';

/** The project's source documents live beside the repository, in ../shared. */
const SEEDS = join(__dirname, '..', '..', 'shared', 'seeds');

/** The canonical spec's "three categories" list: "ones which try to fix the <x> context … (action, action)". */
function specCategories(): Map<string, string> {
  const canonical = readdirSync(SEEDS).find((name) => name.startsWith('000_'));
  if (canonical === undefined) throw new Error(`no canonical seed in ${SEEDS}`);
  const text = readFileSync(join(SEEDS, canonical), 'utf8').replace(/\s+/g, ' ');
  const categories = new Map<string, string>();
  for (const [, context, actions] of text.matchAll(/ones which try to fix the (\w+) context[^(]*\(([^)]+)\)/g)) {
    for (const action of (actions ?? '').split(',')) categories.set(action.trim(), `${context}-context`);
  }
  return categories;
}

describe('classifyAction', () => {
  it('follows the spec\'s three categories for every action it lists', () => {
    const categories = specCategories();
    expect(categories.size).toBe(7);
    for (const [action, category] of categories) expect([action, classifyAction(action)]).toEqual([action, category]);
  });

  it('files none under the request context, as the newer specification page does; unknown actions are `unknown`', () => {
    const categories = specCategories();
    // The canonical page lists none under no category; the newer one's action table says "Fix the request context".
    expect(categories.has('none')).toBe(false);
    const latest = readFileSync(join(SEEDS, '..', 'reference', 'enhanced-error-codes-latest.md'), 'utf8');
    expect(latest).toMatch(/\|\s*none\s*\|[^\n]*\|\s*Fix the request context\.\s*\|/);
    for (const action of ACTIONS) expect(classifyAction(action)).toBe(categories.get(action) ?? 'request-context');
    for (const action of ['reauthenticate-device', '', 'toString', '__proto__', 'RETRY']) expect(classifyAction(action)).toBe('unknown');
  });

  it('retries only retry and retry-after', () => {
    expect(ACTIONS.filter(isRetryableAction)).toEqual(['retry', 'retry-after']);
    expect(isRetryableAction('Retry')).toBe(false);
  });
});
