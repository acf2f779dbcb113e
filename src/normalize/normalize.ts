import { STATUS_CODES } from 'node:http';
import { EnhancedError, type ErrorHeaders } from '../error/enhanced-error';
import { isAction } from '../registry/actions';
import { type RegistryView, withoutStackTrace } from '../registry/registry';
import { isCode, isErrorStatus, isNonEmptyString } from '../registry/validate';
import { isBodyParserError } from './mappers/body-parser';
import { copyHeaders, withPlainFields } from './plain-fields';

/** Maps an HTTP status found on a thrown error to a registry code. */
export type StatusCodeMap = Readonly<Record<number, string>>;

export const DEFAULT_STATUS_CODES: StatusCodeMap = Object.freeze({
  400: 'bad_request',
  405: 'invalid_http_method',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
});

export interface NormalizeOptions {
  registry: RegistryView;
  /** Merged over DEFAULT_STATUS_CODES; every code named here must exist in the registry. */
  statusCodes?: StatusCodeMap;
}

/** Turns anything thrown into an EnhancedError. Never throws. */
export type Normalize = (thrown: unknown) => EnhancedError;

const INTERNAL_ERROR = {
  code: 'internal_error',
  action: 'none',
  status: 500,
  message: 'The request failed due to an internal server error.',
} as const;

/**
 * Builds the normalizer once, at start-up: the status map is checked against
 * the registry here so that a wrong map fails before the first request.
 */
export function createNormalizer(options: NormalizeOptions): Normalize {
  const { registry } = options;
  const byStatus = new Map<number, string>();
  for (const [status, code] of Object.entries(DEFAULT_STATUS_CODES)) {
    if (registry.get(code)?.statuses.includes(Number(status))) byStatus.set(Number(status), code);
  }
  for (const [key, code] of Object.entries(options.statusCodes ?? {})) {
    const status = Number(key);
    const entry = registry.get(code);
    if (!isErrorStatus(status)) throw new TypeError(`statusCodes: ${key} is not a 4xx/5xx status`);
    if (entry === undefined) throw new TypeError(`statusCodes[${key}]: ${registry.name} has no code "${code}"`);
    if (!entry.statuses.includes(status)) {
      throw new TypeError(`statusCodes[${key}]: code "${code}" does not allow status ${key} (allowed: ${entry.statuses.join(', ')})`);
    }
    byStatus.set(status, code);
  }

  function fromStatus(status: number, details: string | undefined, headers: ErrorHeaders | undefined, cause: unknown): EnhancedError {
    const code = byStatus.get(status);
    if (status >= 500) {
      // Server errors carry nothing of the original to the client.
      const serverCode = code ?? byStatus.get(500);
      if (serverCode !== undefined) return registry.create(serverCode, { status: code ? status : 500, cause });
      return new EnhancedError({ ...INTERNAL_ERROR, cause });
    }
    const init = { details, headers, cause };
    if (code !== undefined) return registry.create(code, { ...init, status });
    // Like a registry's 4xx (every unknown route's 404 comes this way): no stack to capture.
    return withoutStackTrace(() => new EnhancedError({ ...clientErrorFor(status), ...init }));
  }

  return function normalize(thrown: unknown): EnhancedError {
    try {
      if (thrown instanceof EnhancedError) {
        const error = withPlainFields(thrown);
        if (isIntact(error)) return error;
      }
      if (typeof thrown === 'object' && thrown !== null) {
        const status = statusOf(thrown);
        if (status !== undefined) {
          return fromStatus(status, exposedDetails(thrown, status), exposedHeaders(thrown, status), thrown);
        }
      }
    } catch {
      // A getter or Proxy trap threw while the error was read: treat it as unknown.
    }
    return fromStatus(500, undefined, undefined, thrown);
  };
}

/** An EnhancedError whose fields were changed after construction may no longer be valid. */
function isIntact(error: EnhancedError): boolean {
  return (
    isErrorStatus(error.status) &&
    isCode(error.code) &&
    isAction(error.action) &&
    isNonEmptyString(error.message) &&
    (error.details === undefined || typeof error.details === 'string') &&
    (error.omittedFields === undefined || (Number.isSafeInteger(error.omittedFields) && error.omittedFields >= 0))
  );
}

/** Like finalhandler: `status` first, then `statusCode`, and only 4xx/5xx count. */
function statusOf(thrown: object): number | undefined {
  const { status, statusCode } = thrown as { status?: unknown; statusCode?: unknown };
  if (isErrorStatus(status)) return status;
  if (isErrorStatus(statusCode)) return statusCode;
  return undefined;
}

/**
 * A 4xx message is meant for the client only when the error says so
 * (http-errors sets `expose`). body-parser's messages quote the body: its
 * mapper gives them a fixed text, and without it they are never shown.
 */
function exposedDetails(thrown: object, status: number): string | undefined {
  if (status >= 500 || isBodyParserError(thrown)) return undefined;
  const { expose, message } = thrown as { expose?: unknown; message?: unknown };
  if (expose !== true || typeof message !== 'string' || message.length === 0) return undefined;
  return message === STATUS_CODES[status] ? undefined : message;
}

function exposedHeaders(thrown: object, status: number): ErrorHeaders | undefined {
  if (status >= 500) return undefined;
  const { headers } = thrown as { headers?: unknown };
  // Copied now, inside normalize's try, so that no getter runs while the response is written.
  return copyHeaders(headers);
}

const clientErrors = new Map<number, { code: string; action: 'none'; status: number; message: string }>();

/** A 4xx that no registry code covers keeps its status, with a code named after it (404 → not_found). */
function clientErrorFor(status: number) {
  let template = clientErrors.get(status);
  if (template === undefined) {
    const phrase = STATUS_CODES[status];
    const code = phrase
      ?.toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    template = {
      code: code && isCode(code) ? code : 'client_error',
      action: 'none',
      status,
      message: phrase ?? 'The request could not be processed.',
    };
    clientErrors.set(status, template);
  }
  return template;
}
