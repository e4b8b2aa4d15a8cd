import { appendFile } from 'node:fs/promises';
import { InputError, describeFsError } from '../errors.js';
import type { EvalReport } from '../model.js';
import { renderMarkdown } from './markdown.js';
import { findingLevel, locationOf, sortFindings } from './shared.js';
import type { RenderOptions } from './types.js';

/**
 * GitHub Actions workflow commands: one annotation per finding that counts.
 *
 * - `::error` for failures at or above fail_on (enforced), `::warning` for the rest at or above warn_on and for
 *   unknowns, `::notice` below warn_on. Waived findings are not annotated (the job summary lists them).
 * - Annotations point at the .tf file and line when `locations` are given, else at the plan file (no line: plan JSON is one line).
 * - Escaping follows the runner: in the message `%`, CR and LF are percent-encoded; in properties `:` and `,`
 *   are too, since they delimit the property list.
 */

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub shows at most this many error and this many warning annotations per step. */
export const ANNOTATION_LIMIT = 10;

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

export function renderGithub(report: EvalReport, options: RenderOptions = {}): string {
  const lines: string[] = [];
  for (const f of sortFindings(report.findings)) {
    if (f.status === 'waived') continue;
    const level = findingLevel(f, report.summary);
    const where = locationOf(f, options);
    const title = `${f.control} (${f.severity}): ${f.title}`;
    const prefix = f.status === 'unknown' ? 'cannot be decided from the plan: ' : f.advisory ? 'advisory, not yet enforced: ' : '';
    const message = `${f.resource}: ${prefix}${f.message}${where.inSource ? '' : ` [plan ${f.plan}]`}`;
    const props = [`file=${escapeProperty(where.file)}`, ...(where.inSource ? [`line=${where.line}`] : []), `title=${escapeProperty(title)}`].join(',');
    lines.push(`::${COMMAND[level]} ${props}::${escapeData(message)}`);
  }
  const errors = lines.filter((l) => l.startsWith('::error ')).length;
  const warnings = lines.filter((l) => l.startsWith('::warning ')).length;
  if (errors > ANNOTATION_LIMIT || warnings > ANNOTATION_LIMIT) {
    lines.push(
      `::notice title=${escapeProperty('cipa: more findings than GitHub shows')}::${escapeData(
        `${errors} errors and ${warnings} warnings were annotated; GitHub displays at most ${ANNOTATION_LIMIT} of each per step. The job summary and the SARIF upload list them all.`,
      )}`,
    );
  }
  for (const e of options.exceptions?.expired ?? []) {
    const message = `exception ${e.index + 1} (${e.exception.control} on ${e.exception.resource}, owner ${e.exception.owner}) expired on ${e.exception.expires} and no longer waives ${e.matched.length} finding(s)`;
    lines.push(`::warning title=${escapeProperty('cipa: expired exception')}::${escapeData(message)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The job summary: the same Markdown as the `markdown` format (GitHub caps a step summary at 1 MiB). */
export function renderGithubSummary(report: EvalReport, options: RenderOptions = {}): string {
  return renderMarkdown(report, { ...options, maxLength: options.maxLength ?? 1_000_000 });
}

/**
 * Appends the job summary to `$GITHUB_STEP_SUMMARY` when set (one append call, so concurrent steps do not
 * interleave). Returns the file written, or undefined outside GitHub Actions.
 */
export async function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') return undefined;
  try {
    await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  } catch (error) {
    throw new InputError(file, `cannot append the job summary: ${describeFsError(error)}`, 'GITHUB_STEP_SUMMARY names this file');
  }
  return file;
}
