import type { EvalReport } from '../model.js';
import type { RenderOptions } from './types.js';

/** The machine report, schema cipa.eval/v1 (schemas/eval-report.schema.json). */
export function renderJson(report: EvalReport, options: RenderOptions = {}): string {
  const document: Record<string, unknown> = {
    schema: report.schema,
    bundle: report.bundle,
    plans: report.plans,
    summary: report.summary,
    findings: report.findings,
  };
  const { expired = [], stale = [] } = options.exceptions ?? {};
  if (expired.length + stale.length > 0) {
    document.exceptions = {
      expired: expired.map((e) => e.exception),
      stale: stale.map((e) => e.exception),
    };
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}
