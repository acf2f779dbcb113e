import type { HttpRequest, HttpResponse } from '../adapters/http';
import { type ErrorPipeline, safeReport } from '../adapters/express/pipeline';
import type { SheddingSettings } from './options';
import type { LoadLimitName } from './pressure';
import type { PrebuiltShed } from './shed-response';

/**
 * Everything the load shedder tells the outside, from one place. Shed requests
 * go to onError (or the default log), at most one per reportInterval. The
 * shedder's own faults (its monitor failing, a shed answer that could not be
 * written) have no response to report through onError: one line each on
 * stderr, unless the `log` option is false.
 */
export interface ShedderDiagnostics {
  /** The sampler threw or returned garbage: told once, until it recovers. */
  monitorFailed(): void;
  monitorRecovered(): void;
  /** Writing the shed answer threw. */
  shedFailed(failure: unknown): void;
  /** A request was shed with this answer. */
  shed(
    req: HttpRequest,
    res: HttpResponse,
    answer: PrebuiltShed,
    requestId: string,
    trace: string,
    pressure: number,
    limit: LoadLimitName,
  ): void;
}

export function shedderDiagnostics(pipeline: ErrorPipeline, settings: SheddingSettings): ShedderDiagnostics {
  const { report, registry, tell } = pipeline;
  const { error, reportInterval } = settings;
  let monitorFailureTold = false;
  let lastReportAt = Number.NEGATIVE_INFINITY;
  let unreported = 0;

  return {
    monitorFailed() {
      if (monitorFailureTold) return;
      monitorFailureTold = true;
      tell('the load monitor failed; load shedding by its readings is off until it recovers');
    },
    monitorRecovered() {
      monitorFailureTold = false;
    },
    shedFailed(failure) {
      tell(`shedding a request failed: ${failure instanceof Error ? failure.message : 'non-error thrown'}`);
    },
    // At most one report per reportInterval, so that logging does not add to the load it reports.
    shed:
      report === undefined
        ? () => {}
        : (req, res, answer, requestId, trace, pressure, limit) => {
            const now = Date.now();
            if (now - lastReportAt < reportInterval) {
              unreported++;
              return;
            }
            lastReportAt = now;
            const cause = new LoadShedReason(
              `shed: ${limit} at ${pressure.toFixed(2)}× its limit; ${unreported} more shed since the last report`,
            );
            unreported = 0;
            const reported = registry.create(error.code, { status: 503, cause });
            safeReport(report, reported, { req, res, envelope: { ...answer.envelope, trace }, requestId, trace });
          },
  };
}

/** Why a request was shed: the `cause` of the reported error, with no stack (where it was made says nothing). */
class LoadShedReason extends Error {
  override name = 'LoadShedReason';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
