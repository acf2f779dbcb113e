/**
 * `express-enhanced-errors/evolution`: a registry's lock (every code with
 * what clients rely on) and the check of a registry against it, so that a
 * code is never removed nor its action or status changed by accident. The
 * `express-enhanced-errors` command (lock, check) runs them from CI.
 */
export { LOCK_KIND, LOCKFILE_VERSION, lockText, readLock, registryLock, type LockedCode, type RegistryLock } from './lock';
export { checkRegistry, describeFinding, FINDING_KINDS, type FindingKind, type RegistryFinding, type Severity } from './check';
