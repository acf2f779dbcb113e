import { ACTIONS } from '../../src';
import { classifyAction, isRetryableAction } from '../../src/client';
import { latestActionCategories, specActionCategories as specCategories } from '../support/spec-tables';

describe('classifyAction', () => {
  it("follows the spec's three categories for every action it lists", () => {
    const categories = specCategories();
    expect(categories.size).toBe(7);
    for (const [action, category] of categories) expect([action, classifyAction(action)]).toEqual([action, category]);
  });

  it('files none under the request context, as the newer specification page does; unknown actions are `unknown`', () => {
    const categories = specCategories();
    // The canonical page lists none under no category; the newer one's action table says "Fix the request context".
    expect(categories.has('none')).toBe(false);
    expect(latestActionCategories().get('none')).toBe('Fix the request context.');
    for (const action of ACTIONS) expect(classifyAction(action)).toBe(categories.get(action) ?? 'request-context');
    for (const action of ['reauthenticate-device', '', 'toString', '__proto__', 'RETRY']) expect(classifyAction(action)).toBe('unknown');
  });

  it('retries only retry and retry-after', () => {
    expect(ACTIONS.filter(isRetryableAction)).toEqual(['retry', 'retry-after']);
    expect(isRetryableAction('Retry')).toBe(false);
  });
});
