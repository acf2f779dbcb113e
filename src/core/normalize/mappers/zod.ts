import type { FieldError } from '../../error/field-errors';
import { readFieldErrors, safeFieldMessage, toPointer, validationErrorBuilder } from './field-messages';
import type { ErrorMapperFactory } from './types';

interface ZodIssueShape {
  code?: unknown;
  path?: unknown;
  message?: unknown;
  /** zod 3 (`invalid_enum_value`, `invalid_literal`…): the value sent. */
  received?: unknown;
  /** zod 4 with `reportInput`: the value sent. */
  input?: unknown;
  /** `unrecognized_keys`: keys the client sent. */
  keys?: unknown;
}

/** zod 3 and zod 4 both throw `ZodError` (name) with an `issues` array. */
function zodIssuesOf(thrown: unknown): readonly ZodIssueShape[] | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { name, issues } = thrown as { name?: unknown; issues?: unknown };
  // zod/mini throws a $ZodError.
  if ((name !== 'ZodError' && name !== '$ZodError') || !Array.isArray(issues)) return undefined;
  return issues.every((issue) => typeof issue === 'object' && issue !== null && Array.isArray((issue as ZodIssueShape).path))
    ? (issues as ZodIssueShape[])
    : undefined;
}

function toFieldError(issue: ZodIssueShape): FieldError {
  const path = issue.path as readonly unknown[];
  return {
    pointer: toPointer(path),
    message: safeFieldMessage(issue.message, [issue.received, issue.input, issue.keys]),
    ...(typeof issue.code === 'string' && { code: issue.code }),
  };
}

/**
 * A `ZodError` (zod 3 or 4) is a validation failure: one field error per
 * issue, its `pointer` into the value that was parsed (usually the body).
 *
 * @example
 * app.post('/users', (req, res) => { UserSchema.parse(req.body); res.sendStatus(201); });
 */
export const zodMapper: ErrorMapperFactory = (registry, normalize) => {
  const validationError = validationErrorBuilder(registry, normalize);
  return (thrown) => {
    const issues = zodIssuesOf(thrown);
    if (issues === undefined) return undefined;
    const { fields, omitted } = readFieldErrors(issues, toFieldError);
    return validationError(fields, omitted, thrown);
  };
};
