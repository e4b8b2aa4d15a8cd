import semver from 'semver';
import { CipaError } from '../errors.js';
import { compareSeverity } from '../severity.js';
import type { BundleDiff } from './diff.js';

/**
 * Semantic versioning by decisions: what a new version of a bundle must be called, given what it changes for the
 * people who gate on it. The rules (docs/versioning.md):
 *
 * - major: a control is removed; a control's effective severity rises; enforcement of a control is brought
 *   forward (its enforced_from date was in the future and is now earlier or gone); a decision over the plan corpus
 *   becomes `fail` where it was `pass`, `unknown`, `waived` or absent (a new control's failures included), unless the
 *   control in the new bundle is not yet enforced (enforced_from after today), in which case those failures are
 *   advisory and need only a minor;
 * - minor: a control is added (with or without failures that are advisory);
 * - patch: anything else that changes the bundle's content (metadata, lowered severities, fewer failures, Rego or
 *   data that changes no decision);
 * - none: the same content (only the version, revision or signature differ).
 */
export type BumpLevel = 'major' | 'minor' | 'patch' | 'none';

export interface RequiredBump {
  level: BumpLevel;
  /** Why, one line each, most significant first. Empty when level is none. */
  reasons: string[];
}

const RANK: Record<BumpLevel, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export function maxLevel(a: BumpLevel, b: BumpLevel): BumpLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

export function atLeastLevel(level: BumpLevel, required: BumpLevel): boolean {
  return RANK[level] >= RANK[required];
}

/** The smallest version bump the changes in `diff` need, with the reasons. */
export function requiredBump(diff: BundleDiff): RequiredBump {
  const major: string[] = [];
  const minor: string[] = [];
  const patch: string[] = [];
  for (const c of diff.controls.removed) major.push(`control ${c.id} removed`);
  for (const c of diff.controls.severity) {
    if (compareSeverity(c.to, c.from) < 0) major.push(`control ${c.id} severity raised from ${c.from} to ${c.to}`);
    else patch.push(`control ${c.id} severity lowered from ${c.from} to ${c.to}`);
  }
  for (const c of diff.controls.metadata) {
    if (c.enforcementBroughtForward) {
      major.push(`control ${c.id} enforced from ${c.enforcedFrom.to ?? 'now'} instead of ${c.enforcedFrom.from ?? 'now'}`);
    } else {
      patch.push(`control ${c.id} metadata changed (${c.fields.join(', ')})`);
    }
  }
  for (const c of diff.controls.added) {
    minor.push(`control ${c.id} added${c.enforced_from !== undefined && c.advisory ? ` (enforced from ${c.enforced_from})` : ''}`);
  }
  const tightening = new Map<string, { count: number; advisory: boolean; example: string }>();
  let loosened = 0;
  for (const flip of diff.decisions?.flips ?? []) {
    if (flip.to === 'fail' && flip.from !== 'fail') {
      const entry = tightening.get(flip.control) ?? { count: 0, advisory: flip.advisory, example: `${flip.resource} in ${flip.plan}: ${flip.from} → fail` };
      entry.count++;
      tightening.set(flip.control, entry);
    } else {
      loosened++;
    }
  }
  for (const [control, t] of [...tightening].sort(([a], [b]) => a.localeCompare(b))) {
    const what = `${t.count} decision${t.count === 1 ? ' of ' + control + ' now fails' : 's of ' + control + ' now fail'} (${t.example}${t.count > 1 ? ', …' : ''})`;
    if (t.advisory) minor.push(`${what}, advisory until the control's enforced_from date`);
    else major.push(what);
  }
  if (loosened > 0) patch.push(`${loosened} decision${loosened === 1 ? '' : 's'} changed without a new failure`);
  if (diff.files.added.length + diff.files.removed.length + diff.files.changed.length > 0 && major.length + minor.length + patch.length === 0) {
    const all = [...diff.files.added, ...diff.files.removed, ...diff.files.changed].sort();
    patch.push(`content changed (${all.slice(0, 3).join(', ')}${all.length > 3 ? `, … ${all.length} files` : ''})`);
  }
  const level: BumpLevel = major.length > 0 ? 'major' : minor.length > 0 ? 'minor' : patch.length > 0 ? 'patch' : 'none';
  return { level, reasons: [...major, ...minor, ...patch] };
}

/**
 * The bump a version change makes, read the way npm's caret ranges read it (so that `^previous` never picks up a
 * breaking change): in 1.0.0 and above, major.minor.patch as usual; in 0.y.z a y bump is a major and a z bump a
 * minor; in 0.0.z every bump is a major. Prerelease and build parts are ignored ('none' when the cores are equal).
 */
export function providedBump(previous: string, next: string): BumpLevel {
  const a = semver.parse(previous);
  const b = semver.parse(next);
  if (a === null || b === null) throw new CipaError('usage', `${a === null ? previous : next} is not a semantic version`);
  if (b.major !== a.major) return 'major';
  if (a.major === 0 && b.minor !== a.minor) return 'major';
  if (a.major === 0 && a.minor === 0 && b.patch !== a.patch) return 'major';
  if (b.minor !== a.minor) return 'minor';
  if (b.patch !== a.patch) return a.major === 0 ? 'minor' : 'patch';
  return 'none';
}

/** A version that is too small for the changes it carries. Exit code 2; the reasons are in the message. */
export class VersionPolicyError extends CipaError {
  readonly required: RequiredBump;

  constructor(message: string, required: RequiredBump, hint?: string) {
    super('registry', message, hint === undefined ? {} : { hint });
    this.name = 'VersionPolicyError';
    this.required = required;
  }
}

export interface VersionCheck {
  previous: string;
  version: string;
  required: BumpLevel;
  provided: BumpLevel;
}

/** The smallest version of each level after `previous`, for hints. */
export function nextVersions(previous: string): Record<'major' | 'minor' | 'patch', string> {
  const v = semver.parse(previous)!;
  const core = `${v.major}.${v.minor}.${v.patch}`;
  if (v.major === 0) {
    return {
      major: v.minor === 0 ? semver.inc(core, 'patch')! : semver.inc(core, 'minor')!,
      minor: semver.inc(core, 'patch')!,
      patch: semver.inc(core, 'patch')!,
    };
  }
  return { major: semver.inc(core, 'major')!, minor: semver.inc(core, 'minor')!, patch: semver.inc(core, 'patch')! };
}

/**
 * Refuses `version` when it is not greater than `previous` or when it bumps less than `required` demands; the
 * error names the bump needed and every reason.
 */
export function checkVersion(previous: string, version: string, required: RequiredBump, name = 'bundle'): VersionCheck {
  if (semver.valid(previous) === null || semver.valid(version) === null) {
    throw new CipaError('usage', `${semver.valid(version) === null ? version : previous} is not a semantic version`);
  }
  const provided = providedBump(previous, version);
  if (!semver.gt(version, previous)) {
    throw new VersionPolicyError(`${name}@${version} is not newer than ${previous}`, required, 'publish a higher version');
  }
  const sameCore = (a: string, b: string) => semver.major(a) === semver.major(b) && semver.minor(a) === semver.minor(b) && semver.patch(a) === semver.patch(b);
  // A prerelease promises nothing (SemVer §9): its release, or a later prerelease of the same version, may differ in any way.
  const fromPrerelease = semver.prerelease(previous) !== null && sameCore(previous, version);
  if (!fromPrerelease && required.level !== 'none' && !atLeastLevel(provided, required.level)) {
    const needed = nextVersions(previous)[required.level];
    throw new VersionPolicyError(
      `${name}@${version} is a ${provided === 'none' ? 'prerelease-only' : provided} bump from ${previous}, but the changes need a ${required.level} (at least ${needed}): ${required.reasons.join('; ')}`,
      required,
      'see docs/versioning.md',
    );
  }
  return { previous, version, required: required.level, provided };
}
