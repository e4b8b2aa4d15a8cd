import { ConfigError } from '../errors.js';
import type { Exception, Finding } from '../model.js';
import { compileAddressGlob, compileIdGlob } from './glob.js';

/**
 * Exceptions (waivers) from cipa.yaml.
 *
 * Expiry: `expires: 2026-06-30` means the exception applies through the whole of 30 June 2026 in UTC and stops on
 * 1 July 2026 00:00 UTC. "Today" is always the UTC calendar day, so the answer does not depend on the runner's
 * time zone. An expired exception stops waiving: its findings fail (or warn) again, and it is listed in `expired`
 * so the report can say which exception ran out and who owns it.
 *
 * Matching: `control` is an id or a glob of ids, `resource` an address glob (see glob.ts). Only findings that
 * would count against the gate (status `fail` or `unknown`) are waived. When several live exceptions match a
 * finding, the first in file order wins. A live exception that waives nothing is `stale` (safe to delete, or its
 * pattern is wrong).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** True when the exception no longer applies on `today` (a UTC day YYYY-MM-DD): expiry is inclusive. */
export function isExpired(exception: Pick<Exception, 'expires'>, today: string): boolean {
  return today > exception.expires;
}

export interface ExpiredException {
  exception: Exception;
  /** Position in the configured list, to point back at the file. */
  index: number;
  /** Findings this exception would still waive if it had not expired (they are reported unwaived). */
  matched: Array<Pick<Finding, 'control' | 'resource' | 'plan'>>;
}

export interface StaleException {
  exception: Exception;
  index: number;
}

export interface ExceptionOutcome {
  /** The input findings in the same order; waived ones have `status: "waived"` and `exception`. */
  findings: Finding[];
  expired: ExpiredException[];
  stale: StaleException[];
}

interface Compiled {
  exception: Exception;
  index: number;
  control: (id: string) => boolean;
  resource: (address: string) => boolean;
  live: boolean;
}

/**
 * Applies exceptions to findings. Pure: `today` is a Date (its UTC day is used) or a UTC day `YYYY-MM-DD`.
 * Exceptions are assumed valid (loadConfig validates them; use validateExceptions for other sources).
 */
export function applyExceptions(findings: readonly Finding[], exceptions: readonly Exception[], today: Date | string): ExceptionOutcome {
  const day = typeof today === 'string' ? today : utcDay(today);
  if (!isCalendarDate(day)) throw new ConfigError(`invalid date for exceptions: ${day}`);
  const compiled: Compiled[] = exceptions.map((exception, index) => ({
    exception,
    index,
    control: compileIdGlob(exception.control),
    resource: compileAddressGlob(exception.resource),
    live: !isExpired(exception, day),
  }));
  const used = new Set<number>();
  const expiredMatches = new Map<number, ExpiredException['matched']>();
  const out = findings.map((finding) => {
    if (finding.status !== 'fail' && finding.status !== 'unknown') return finding;
    let waiver: Compiled | undefined;
    for (const c of compiled) {
      if (!c.control(finding.control) || !c.resource(finding.resource)) continue;
      if (c.live) {
        waiver = c;
        break;
      }
      const list = expiredMatches.get(c.index) ?? [];
      list.push({ control: finding.control, resource: finding.resource, plan: finding.plan });
      expiredMatches.set(c.index, list);
    }
    if (waiver === undefined) return finding;
    used.add(waiver.index);
    return { ...finding, status: 'waived' as const, exception: waiver.exception };
  });
  const expired: ExpiredException[] = compiled
    .filter((c) => !c.live)
    .map((c) => ({ exception: c.exception, index: c.index, matched: expiredMatches.get(c.index) ?? [] }));
  const stale: StaleException[] = compiled
    .filter((c) => c.live && !used.has(c.index))
    .map((c) => ({ exception: c.exception, index: c.index }));
  return { findings: out, expired, stale };
}

const REQUIRED = ['control', 'resource', 'owner', 'reason', 'expires'] as const;

/**
 * Validates exceptions that did not come through loadConfig (which reports lines). Throws a ConfigError naming
 * `source`, the index and the key.
 */
export function validateExceptions(value: unknown, source: string): Exception[] {
  if (!Array.isArray(value)) throw new ConfigError(`${source}: exceptions: must be a list`);
  return value.map((item: unknown, i) => {
    const where = `${source}: exceptions[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new ConfigError(`${where}: must be a mapping`);
    const record = item as Record<string, unknown>;
    for (const key of REQUIRED) {
      const v = record[key];
      if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`${where}.${key}: required, a non-empty string`);
    }
    if (record.ticket !== undefined && typeof record.ticket !== 'string') throw new ConfigError(`${where}.ticket: must be a string`);
    const expires = record.expires as string;
    if (!isCalendarDate(expires)) throw new ConfigError(`${where}.expires: must be a date YYYY-MM-DD, got ${JSON.stringify(expires)}`);
    const exception: Exception = {
      control: record.control as string,
      resource: record.resource as string,
      owner: record.owner as string,
      reason: record.reason as string,
      expires,
    };
    if (typeof record.ticket === 'string') exception.ticket = record.ticket;
    return exception;
  });
}
