import { statusesText } from '../docs/catalog-data';
import type { RegistryView } from '../core/registry/registry';
import type { Action, CodeOrigin } from '../core/shared/types';
import { checkedLock, type LockedCode, registryLock, type RegistryLock } from './lock';

/** `breaking`: a client in the field may now do the wrong thing. `compatible`: reported, so that the change is seen. */
export type Severity = 'breaking' | 'compatible';

/** Every kind of change, in the order `checkRegistry` lists a code's findings, with its severity and why. */
export const FINDING_KINDS = {
  'code-removed': {
    severity: 'breaking',
    why: 'Clients that branch on this code never see it again: what it named now arrives under another code, which they may not handle.',
  },
  'action-changed': {
    severity: 'breaking',
    why: 'Clients choose what to do (retry, wait, re-authenticate, fix the configuration) from the action: they would now react otherwise to the same code.',
  },
  'default-status-changed': {
    severity: 'breaking',
    why: 'Errors created without a status now answer with another HTTP status: clients, proxies and retry logic that read the status see another answer.',
  },
  'status-removed': {
    severity: 'breaking',
    why: 'Clients that expect this code with that status never get it again, and routes that create the code with that status now throw.',
  },
  'code-added': {
    severity: 'compatible',
    why: 'A new code: clients treat a code they do not know by its action and status.',
  },
  'status-added': {
    severity: 'compatible',
    why: 'The code may now come with a further status; the statuses clients already see are unchanged.',
  },
  'message-changed': {
    severity: 'compatible',
    why: 'Messages are for people; clients must not branch on them.',
  },
  'origin-changed': {
    severity: 'compatible',
    why: 'The origin is documentation only; it is never sent.',
  },
} as const satisfies Record<string, { readonly severity: Severity; readonly why: string }>;

export type FindingKind = keyof typeof FINDING_KINDS;

/** What `before` and `after` hold for each kind of finding. */
interface FindingValues {
  'code-removed': readonly [before: LockedCode, after: undefined];
  'action-changed': readonly [before: Action, after: Action];
  'default-status-changed': readonly [before: number, after: number];
  'status-removed': readonly [before: readonly number[], after: readonly number[]];
  'code-added': readonly [before: undefined, after: LockedCode];
  'status-added': readonly [before: readonly number[], after: readonly number[]];
  'message-changed': readonly [before: string, after: string];
  'origin-changed': readonly [before: CodeOrigin, after: CodeOrigin];
}

/** One change of a code between the lock (`before`) and the registry (`after`). */
export type RegistryFinding = {
  readonly [K in FindingKind]: {
    readonly code: string;
    readonly kind: K;
    readonly severity: (typeof FINDING_KINDS)[K]['severity'];
    readonly before: FindingValues[K][0];
    readonly after: FindingValues[K][1];
    /** Why a client breaks, or why it does not. */
    readonly why: string;
  };
}[FindingKind];

/**
 * Every change of `registry` since `lock` was written, by code, then in the
 * order of FINDING_KINDS. None when the registry matches its lock. A
 * finding of severity `breaking` may break a client in the field.
 *
 * @example
 * const findings = checkRegistry(registry, readLock(readFileSync('errors.lock.json', 'utf8')));
 * const breaking = findings.filter((finding) => finding.severity === 'breaking');
 */
export function checkRegistry(registry: RegistryView, lock: RegistryLock): RegistryFinding[] {
  const locked = checkedLock(lock, 'checkRegistry: the lock').codes;
  const current = registryLock(registry).codes;
  const findings: RegistryFinding[] = [];
  const report = <K extends FindingKind>(code: string, kind: K, [before, after]: FindingValues[K]) => {
    findings.push({ code, kind, severity: FINDING_KINDS[kind].severity, before, after, why: FINDING_KINDS[kind].why } as RegistryFinding);
  };
  for (const code of [...new Set([...Object.keys(locked), ...Object.keys(current)])].sort()) {
    const before = Object.hasOwn(locked, code) ? locked[code] : undefined;
    const after = Object.hasOwn(current, code) ? current[code] : undefined;
    if (after === undefined) {
      if (before !== undefined) report(code, 'code-removed', [before, undefined]);
      continue;
    }
    if (before === undefined) {
      report(code, 'code-added', [undefined, after]);
      continue;
    }
    if (before.action !== after.action) report(code, 'action-changed', [before.action, after.action]);
    if (before.status !== after.status) report(code, 'default-status-changed', [before.status, after.status]);
    if (before.statuses.some((status) => !after.statuses.includes(status)))
      report(code, 'status-removed', [before.statuses, after.statuses]);
    if (after.statuses.some((status) => !before.statuses.includes(status))) report(code, 'status-added', [before.statuses, after.statuses]);
    if (before.messageSha256 !== after.messageSha256) report(code, 'message-changed', [before.messageSha256, after.messageSha256]);
    if (before.origin !== after.origin) report(code, 'origin-changed', [before.origin, after.origin]);
  }
  return findings;
}

/**
 * A finding in one line: the code, then what it was → what it is.
 *
 * @example
 * describeFinding(finding); // 'too_many_requests: action retry-after → retry'
 */
export function describeFinding(finding: RegistryFinding): string {
  return `${finding.code}: ${changeText(finding)}`;
}

function changeText(finding: RegistryFinding): string {
  switch (finding.kind) {
    case 'code-removed':
      return `${lockedCodeText(finding.before)} → removed`;
    case 'code-added':
      return `absent → ${lockedCodeText(finding.after)}`;
    case 'action-changed':
      return `action ${finding.before} → ${finding.after}`;
    case 'default-status-changed':
      return `default status ${finding.before} → ${finding.after}`;
    case 'status-removed':
      return `${statusesChangeText(finding.before, finding.after)} (${statusesText(difference(finding.before, finding.after))} removed)`;
    case 'status-added':
      return `${statusesChangeText(finding.before, finding.after)} (${statusesText(difference(finding.after, finding.before))} added)`;
    case 'message-changed':
      return `message sha256 ${finding.before.slice(0, 12)}… → ${finding.after.slice(0, 12)}…`;
    case 'origin-changed':
      return `origin ${finding.before} → ${finding.after}`;
  }
}

function lockedCodeText(locked: LockedCode): string {
  const allowed = locked.statuses.length > 1 ? ` (allowed ${statusesText(locked.statuses)})` : '';
  return `action ${locked.action}, status ${locked.status}${allowed}`;
}

function statusesChangeText(before: readonly number[], after: readonly number[]): string {
  return `allowed statuses ${statusesText(before)} → ${statusesText(after)}`;
}

function difference(statuses: readonly number[], without: readonly number[]): number[] {
  return statuses.filter((status) => !without.includes(status));
}
