import type { Action } from '../core/registry/actions';
import type { ReceivedAction } from './types';

/**
 * The spec's categories of remediation: fix the request context (retrying may
 * be enough; and, as the newer specification page files it, `none`, which
 * often means the request itself was wrong), fix the user context within
 * the application, fix the integration context between the application and
 * an identity provider. An action this version does not know is `unknown`,
 * for the set may grow.
 */
export type ActionCategory = 'request-context' | 'user-context' | 'integration-context' | 'unknown';

/** Typed by the server's action set, so that an action added there must be classified here. */
const CATEGORIES: Readonly<Record<Action, ActionCategory>> = {
  retry: 'request-context',
  'retry-after': 'request-context',
  'application-registration': 'user-context',
  authentication: 'user-context',
  authorization: 'user-context',
  configuration: 'integration-context',
  degradation: 'integration-context',
  none: 'request-context',
};

/**
 * The spec's category of an action, `unknown` for one this version does not know.
 *
 * @example
 * classifyAction('authentication'); // 'user-context': send the user to sign in again
 * classifyAction('brand-new-action'); // 'unknown'
 */
export function classifyAction(action: ReceivedAction): ActionCategory {
  return Object.hasOwn(CATEGORIES, action) ? CATEGORIES[action as Action] : 'unknown';
}

/**
 * Only `retry` and `retry-after` say that sending the same request again may succeed.
 *
 * @example
 * if (isRetryableAction(received.action)) await sendAgain();
 */
export function isRetryableAction(action: ReceivedAction): action is 'retry' | 'retry-after' {
  return action === 'retry' || action === 'retry-after';
}
