import type { FormatName } from '../config/formats.js';
import type { EvalReport } from '../model.js';
import { rendererFor, RENDERERS } from './index.js';
import { renderJson } from './json.js';
import { renderText } from './text.js';
import type { RenderOptions } from './types.js';

RENDERERS.text = renderText;
RENDERERS.json = renderJson;

/** Renders the report in one of the formats `-f` accepts. */
export function renderReport(format: FormatName, report: EvalReport, options: RenderOptions): string {
  return rendererFor(format)(report, options);
}
