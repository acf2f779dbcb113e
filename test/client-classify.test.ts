import { ACTIONS } from '../src';
import { classifyAction, isRetryableAction } from '../src/client';
import { specActionCategories as specCategories } from './support/spec-tables';

describe('classifyAction', () => {
  it('follows the spec\'s three categories for every action it lists', () => {
    const categories = specCategories();
    expect(categories.size).toBe(7);
    for (const [action, category] of categories) expect([action, classifyAction(action)]).toEqual([action, category]);
  });

  it('gives every known action a category, `none` its own, and unknown actions `unknown`', () => {
    const categories = specCategories();
    for (const action of ACTIONS) expect(classifyAction(action)).toBe(categories.get(action) ?? 'none');
    for (const action of ['reauthenticate-device', '', 'toString', '__proto__', 'RETRY']) expect(classifyAction(action)).toBe('unknown');
  });

  it('retries only retry and retry-after', () => {
    expect(ACTIONS.filter(isRetryableAction)).toEqual(['retry', 'retry-after']);
    expect(isRetryableAction('Retry')).toBe(false);
  });
});
