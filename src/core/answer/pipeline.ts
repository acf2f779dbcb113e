import { passRegistry } from '../catalogs/pass-registry';
import { createEnvelopeBuilder, DEFAULT_RETRY_AFTER, type Envelope, type HelpUrlOption } from '../envelope/envelope';
import type { FieldLimits } from '../envelope/limits';
import type { EnhancedError } from '../error/enhanced-error';
import type { Formatter } from '../formats/formatter';
import { DEFAULT_FORMATTERS } from '../formats/defaults';
import { htmlPageFormatter } from '../formats/html';
import { jsonFormatter } from '../formats/json';
import { assertFormatters, createNegotiator } from '../formats/negotiate';
import { problemJsonFormatter, problemXmlFormatter } from '../formats/problem';
import { xmlFormatter } from '../formats/xml';
import { createNormalizer, type StatusCodeMap, type StrictCodes } from '../normalize/normalize';
import { type MapperOptions, resolveMappers, withMappers } from '../normalize/mappers';
import type { RegistryView } from '../registry/registry';
import { isRetryAfter } from '../registry/validate';
import type { AnswerPipeline } from './answer';
import { type PrebuiltBody, prebuildBody, TRACE_MARK } from './prebuilt';
import { createRequestIdOptions, type RequestView } from './request-view';

/**
 * What every adapter's options share: what to answer and how to write it.
 * `Req` is the adapter's request, as the helpUrl function gets it.
 */
export interface AnswerOptions<Req = unknown> extends MapperOptions {
  /** Where codes for thrown non-EnhancedErrors come from. Default: passRegistry. */
  registry?: RegistryView;
  /** HTTP status → registry code for thrown errors that carry only a status; merged over the defaults. */
  statusCodes?: StatusCodeMap;
  /**
   * An EnhancedError whose code the registry lacks: `'map'` answers the
   * registry's code for its status (told once per code to onError or the
   * log), `'keep'` sends it as it is. Default: `'map'`.
   */
  strictCodes?: StrictCodes;
  /** The wire shapes offered, e.g. add problemJsonFormatter. Default: JSON and XML. */
  formatters?: readonly Formatter[];
  /** The media type answered when Accept is missing, `*\/*` or matches nothing. Default: application/json. */
  defaultType?: string;
  /**
   * A small HTML page for a request whose Accept names text/html and ranks it
   * first among the types offered (a browser's navigation), unless a
   * configured formatter offers text/html. `false`: the normal negotiation
   * only. Default: true.
   */
  htmlPage?: boolean;
  /** Used when the thrown error has no helpUrl of its own, before the registry's. */
  helpUrl?: HelpUrlOption<Req>;
  /** Size limits: message and details are cut, a longer helpUrl is refused. Default: DEFAULT_FIELD_LIMITS. */
  limits?: FieldLimits;
  /** Retry-After seconds for `retry-after` errors that set none. Default: 60. */
  retryAfter?: number;
  /** The request id header, echoed when safe. Default: X-Request-Id; false turns it off. */
  requestIdHeader?: string | false;
  /** Makes the per-response trace. Default: the active OpenTelemetry span's trace id, else a random UUID. */
  generateTrace?: () => string;
}

/**
 * Checks every answering option now, so that a bad configuration fails at
 * start-up, and builds what answering needs. `defaultTrace` is the trace
 * maker used when the options set none (an adapter's telemetry).
 */
export function createAnswerPipeline<Req>(options: AnswerOptions<Req>, defaultTrace?: () => string): AnswerPipeline {
  const registry = options.registry ?? passRegistry;
  const formatters = options.formatters ?? DEFAULT_FORMATTERS;
  const defaultType = options.defaultType ?? 'application/json';
  const defaultRetryAfter = options.retryAfter ?? DEFAULT_RETRY_AFTER;
  const htmlPage = options.htmlPage === undefined ? true : options.htmlPage;
  assertFormatters(formatters);
  if (typeof htmlPage !== 'boolean') throw new TypeError('htmlPage option must be a boolean');
  if (typeof defaultRetryAfter !== 'number' || !isRetryAfter(defaultRetryAfter)) {
    throw new TypeError('retryAfter option must be a non-negative integer of seconds');
  }
  const normalize = createNormalizer({ registry, statusCodes: options.statusCodes, strictCodes: options.strictCodes });
  const extra = htmlPage ? [htmlPageFormatter] : [];
  return {
    registry,
    // Made now, without mappers: the registry's own 500.
    fallbackBody: prebuildFallback(normalize(undefined), defaultType, extra),
    formatters: [...formatters, ...extra],
    defaultType,
    normalize: withMappers(normalize, resolveMappers(registry, normalize, options)),
    buildEnvelope: createEnvelopeBuilder({ helpUrl: options.helpUrl as HelpUrlOption<never> | undefined, limits: options.limits }),
    negotiate: createNegotiator(formatters, defaultType, extra),
    ids: createRequestIdOptions(options.requestIdHeader, options.generateTrace ?? defaultTrace),
    defaultRetryAfter,
  };
}

/** The built-in formats, for the body sent when answering failed: each needs nothing configurable. */
const FALLBACK_FORMATTERS: readonly Formatter[] = [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter];

/**
 * The registry's 500 written now in every built-in format (and the HTML page
 * when offered), and the negotiation that picks one by Accept: answering
 * with it needs no formatter to run, so that it works when one failed.
 */
function prebuildFallback(
  internalError: EnhancedError,
  defaultType: string,
  extra: readonly Formatter[],
): (request: RequestView) => PrebuiltBody {
  const { action, code, message } = internalError;
  const envelope: Envelope = { action, status: 500, code, message, trace: TRACE_MARK };
  const bodies = new Map([...FALLBACK_FORMATTERS, ...extra].map((formatter) => [formatter, prebuildBody(formatter, envelope)]));
  const offered = FALLBACK_FORMATTERS.some((formatter) => formatter.mediaTypes.includes(defaultType)) ? defaultType : 'application/json';
  const negotiate = createNegotiator(FALLBACK_FORMATTERS, offered, extra);
  return (request) => bodies.get(negotiate(request)) as PrebuiltBody;
}
