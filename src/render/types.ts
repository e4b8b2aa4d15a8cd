import type { ExpiredException, StaleException } from '../config/exceptions.js';
import type { EvalReport } from '../model.js';

/** Where a resource is declared: a path (relative to where cipa runs, `/`-separated) and a 1-based line. */
export interface SourceLocation {
  file: string;
  line: number;
}

export interface RenderOptions {
  /** Resource address → its block in the .tf sources (from tf-locate's locateResources). Without it, findings point at the plan file. */
  locations?: ReadonlyMap<string, SourceLocation>;
  /** Exceptions that ran out or waive nothing, from applyExceptions, for the formats that have room to say so. */
  exceptions?: { expired: readonly ExpiredException[]; stale: readonly StaleException[] };
  /** cipa's version, for SARIF's tool.driver.version. */
  toolVersion?: string;
  /** ANSI colour for terminal formats (text). */
  color?: boolean;
  /** Markdown: the longest output allowed (PR comments are capped at 65,536 characters). */
  maxLength?: number;
}

/** Every renderer is a pure function of the report (and options) to the file's text. */
export type Renderer = (report: EvalReport, options?: RenderOptions) => string;
