import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFsError, InputError } from '../errors.js';
import type { DecisionStatus } from '../model.js';

/** `<case>.expect.json`: exactly the (resource → status) pairs of one control for the plan `<case>.json`. */
export interface Expectation {
  control: string;
  decisions: Record<string, DecisionStatus>;
}

export interface FixtureCase {
  /** <control dir>/<case> */
  name: string;
  plan: string;
  expectationFile: string;
  settingsFile?: string;
}

export interface DiscoveredFixtures {
  cases: FixtureCase[];
  /** Plans without an expectation file. */
  withoutExpectation: string[];
}

const STATUSES = new Set(['pass', 'fail', 'unknown']);

/** Lists testdata/controls/<dir>/<case>.json that have a <case>.expect.json (sorted, stable). */
export function discoverFixtures(fixturesDir: string | undefined): DiscoveredFixtures {
  const cases: FixtureCase[] = [];
  const withoutExpectation: string[] = [];
  if (!fixturesDir || !existsSync(fixturesDir)) return { cases, withoutExpectation };
  for (const dir of readdirSync(fixturesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(fixturesDir, dir.name)).sort()) {
      if (!file.endsWith('.json') || /\.(expect|data)\.json$/.test(file)) continue;
      const base = join(fixturesDir, dir.name, file.replace(/\.json$/, ''));
      if (!existsSync(`${base}.expect.json`)) {
        withoutExpectation.push(`${base}.json`);
        continue;
      }
      const c: FixtureCase = { name: `${dir.name}/${file.replace(/\.json$/, '')}`, plan: `${base}.json`, expectationFile: `${base}.expect.json` };
      if (existsSync(`${base}.data.json`)) c.settingsFile = `${base}.data.json`;
      cases.push(c);
    }
  }
  return { cases, withoutExpectation };
}

/** Reads and checks an expectation file; an InputError names the file and the problem. */
export function readExpectation(file: string): Expectation {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new InputError(file, error instanceof SyntaxError ? `is not valid JSON: ${error.message}` : describeFsError(error));
  }
  const v = value as Partial<Expectation> | null;
  if (!v || typeof v !== 'object' || typeof v.control !== 'string' || !v.decisions || typeof v.decisions !== 'object' || Array.isArray(v.decisions)) {
    throw new InputError(file, 'is not an expectation: want {"control": "<id>", "decisions": {"<address>": "pass|fail|unknown"}}');
  }
  for (const [address, status] of Object.entries(v.decisions)) {
    if (!STATUSES.has(status as string)) throw new InputError(file, `${address}: status ${JSON.stringify(status)} is not pass, fail or unknown`);
  }
  return v as Expectation;
}

/** The line of an expectation file where a resource address is listed (1 when absent). */
export function lineOf(file: string, needle: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 1;
  }
  const quoted = JSON.stringify(needle);
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes(quoted));
  return index >= 0 ? index + 1 : 1;
}
