import type { ErrorMapperFactory } from '../../core/normalize/mappers/types';

/** What Hono's HTTPException carries, read by shape: the package need not be loaded. */
interface HttpExceptionShape {
  readonly status: number;
  readonly message: string;
  readonly res?: { readonly headers?: { forEach(callback: (value: string, name: string) => void): void } };
  getResponse(): unknown;
}

function isHttpException(thrown: unknown): thrown is HttpExceptionShape {
  return (
    thrown instanceof Error &&
    typeof (thrown as Partial<HttpExceptionShape>).status === 'number' &&
    typeof (thrown as Partial<HttpExceptionShape>).getResponse === 'function'
  );
}

/** The headers of the exception's own response (`WWW-Authenticate` from basicAuth, …); the answer drops those it owns. */
function headersOf(exception: HttpExceptionShape): Record<string, string> | undefined {
  const headers = exception.res?.headers;
  if (headers === undefined || typeof headers.forEach !== 'function') return undefined;
  const copied: Record<string, string> = {};
  headers.forEach((value, name) => {
    copied[name] = value;
  });
  return copied;
}

/**
 * Hono's HTTPException as an http-errors-like error: its status, its
 * headers, and its message shown for a 4xx (Hono sends it as the body), as
 * http-errors' `expose` does.
 */
export const httpExceptionMapper: ErrorMapperFactory = (_registry, normalize) => (thrown) => {
  if (!isHttpException(thrown)) return undefined;
  const { status, message } = thrown;
  return normalize({ status, message, expose: status < 500, headers: headersOf(thrown), cause: thrown });
};
