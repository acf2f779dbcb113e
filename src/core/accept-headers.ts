import accepts from 'accepts';

/**
 * `accepts` over request headers alone: it reads nothing else of a request,
 * so the core hands it the headers it negotiates by, not a Node request.
 */
export function acceptsHeaders(headers: Readonly<Record<string, string>>): ReturnType<typeof accepts> {
  return accepts({ headers } as unknown as Parameters<typeof accepts>[0]);
}
