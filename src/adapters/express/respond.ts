import type { Answer } from '../../core/answer/answer';
import type { HttpRequest, HttpResponse } from '../http';
import { type ErrorPipeline, safeReport } from './pipeline';

/**
 * After the response is written: telemetry, then onError (or the log) once
 * per error sent. Entries without an error (items that succeeded) are skipped.
 */
export function recordAndReport(pipeline: ErrorPipeline, answer: Answer, req: HttpRequest, res: HttpResponse): void {
  const { sent, scope, requestId, trace } = answer;
  pipeline.recordTelemetry?.(sent, scope);
  const { report } = pipeline;
  if (report === undefined) return;
  for (const { error, envelope } of sent) {
    if (error !== undefined && envelope !== undefined) safeReport(report, error, { req, res, envelope, requestId, trace });
  }
}
