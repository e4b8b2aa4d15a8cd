import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { MANIFEST_PATH, SIGNATURES_PATH, type Manifest } from '../bundle/manifest.js';
import { readBundleBytes } from '../bundle/read.js';
import { describeFsError, InputError, UsageError } from '../errors.js';
import { evaluatePlan, loadBundle, readPlan, type LoadedBundle, type LoadBundleOptions, type PlanInput } from '../evaluate.js';
import type { ControlMeta, DecisionStatus } from '../model.js';
import { isSeverity, type Severity } from '../severity.js';
import { requiredBump, type RequiredBump } from './semver-policy.js';

/**
 * What changes between two versions of a bundle: its controls (added, removed, severity, metadata), its files, and
 * — over a corpus of plans evaluated with both bundles through the Wasm path — every (plan, control, resource)
 * whose decision differs. The semver policy (semver-policy.ts) reads nothing else.
 */

/** One side of a comparison: the loaded (Wasm) bundle and its raw files. */
export interface DiffSide {
  bundle: LoadedBundle;
  files: ReadonlyMap<string, Uint8Array>;
  manifest: Manifest;
  source: string;
}

export interface SideSummary {
  name: string;
  version: string;
  digest: string;
  source: string;
  controls: number;
}

export interface ControlSummary {
  id: string;
  title: string;
  severity: Severity;
  enforced_from?: string;
  /** Not yet enforced on the day of the comparison (enforced_from after today). */
  advisory: boolean;
}

export interface SeverityChange {
  id: string;
  from: Severity;
  to: Severity;
}

export interface MetadataChange {
  id: string;
  /** Changed METADATA fields other than severity, e.g. ["title", "remediation"]. */
  fields: string[];
  enforcedFrom: { from?: string; to?: string };
  /** The control was not enforced yet and now is enforced earlier (or at once). */
  enforcementBroughtForward: boolean;
}

/**
 * A decision's effective status: `waived` when an exception shipped in the bundle's settings waives a failing or
 * unknown decision (it never fails the gate); `absent` when that version did not decide the resource (out of
 * scope, or no such control).
 */
export type FlipStatus = DecisionStatus | 'waived' | 'absent';

export interface DecisionFlip {
  /** The plan, relative to the corpus directory. */
  plan: string;
  control: string;
  resource: string;
  from: FlipStatus;
  to: FlipStatus;
  /** The new failure is advisory: the control in the new bundle is not enforced yet. */
  advisory: boolean;
}

export interface BundleDiff {
  schema: 'cipa.bundle-diff/v1';
  /** The day enforced_from dates were compared with (YYYY-MM-DD, UTC). */
  today: string;
  old: SideSummary;
  new: SideSummary;
  controls: {
    added: ControlSummary[];
    removed: ControlSummary[];
    severity: SeverityChange[];
    metadata: MetadataChange[];
  };
  /** Bundle files added, removed or changed (.signatures.json, and the manifest's version and revision, ignored). */
  files: { added: string[]; removed: string[]; changed: string[] };
  /** Present when a plan corpus was given. */
  decisions?: {
    plans: string[];
    /** (plan, control, resource) pairs decided by either version. */
    compared: number;
    flips: DecisionFlip[];
  };
  /** The smallest version bump these changes need (semver-policy.ts). */
  required: RequiredBump;
}

export interface DiffOptions {
  /** Plans (relative paths are shown as given) evaluated with both bundles. */
  plans?: PlanInput[];
  /** Base directory the plan paths are shown relative to. */
  plansRoot?: string;
  /** YYYY-MM-DD (UTC); default today. */
  today?: string;
}

/** Reads a bundle's bytes into a diff side (verifying it first when `options.verify` is given). */
export async function openSide(bytes: Uint8Array, source: string, options: LoadBundleOptions = {}): Promise<DiffSide> {
  const raw = await readBundleBytes(bytes, source);
  const bundle = await loadBundle(bytes, source, options);
  return { bundle, files: raw.files, manifest: raw.manifest, source };
}

/** Every plan JSON below `dir` (recursively, sorted), skipping fixture expectations (*.expect.json). */
export async function listPlanFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    throw new InputError(dir, `cannot read the plan directory: ${describeFsError(error)}`);
  }
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.json') && !e.name.endsWith('.expect.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (files.length === 0) throw new InputError(dir, 'contains no plan JSON files', 'point --plans at a directory of `terraform show -json` outputs');
  return files;
}

/** Reads every plan of a corpus directory. */
export async function readPlanCorpus(dir: string): Promise<PlanInput[]> {
  const plans: PlanInput[] = [];
  for (const file of await listPlanFiles(dir)) plans.push(await readPlan(file));
  return plans;
}

function effectiveSeverities(bundle: LoadedBundle): Map<string, Severity> {
  const overrides = (bundle.data as { cipa?: { settings?: { severity_overrides?: Record<string, unknown> } } }).cipa?.settings?.severity_overrides ?? {};
  const out = new Map<string, Severity>();
  for (const control of bundle.controls) {
    const override = overrides[control.id];
    out.set(control.id, isSeverity(override) ? override : control.severity);
  }
  return out;
}

const METADATA_FIELDS = ['title', 'description', 'frameworks', 'aliases', 'remediation', 'resource_types', 'package', 'file', 'enforced_from'] as const;

function summary(control: ControlMeta, severity: Severity, today: string): ControlSummary {
  const out: ControlSummary = { id: control.id, title: control.title, severity, advisory: control.enforced_from !== undefined && control.enforced_from > today };
  if (control.enforced_from !== undefined) out.enforced_from = control.enforced_from;
  return out;
}

/** The manifest without what every new version changes anyway. */
function comparableManifest(manifest: Manifest): unknown {
  const { revision: _revision, metadata, ...rest } = manifest;
  const { version: _version, ...meta } = metadata ?? {};
  return { ...rest, metadata: meta };
}

function fileChanges(a: DiffSide, b: DiffSide): BundleDiff['files'] {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  const skip = (p: string) => p === SIGNATURES_PATH || p === MANIFEST_PATH;
  for (const [path, bytes] of b.files) {
    if (skip(path)) continue;
    const before = a.files.get(path);
    if (before === undefined) added.push(path);
    else if (!Buffer.from(before).equals(Buffer.from(bytes))) changed.push(path);
  }
  for (const path of a.files.keys()) if (!skip(path) && !b.files.has(path)) removed.push(path);
  if (!isDeepStrictEqual(comparableManifest(a.manifest), comparableManifest(b.manifest))) changed.push(MANIFEST_PATH);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

function sideSummary(side: DiffSide): SideSummary {
  return { name: side.bundle.info.name, version: side.bundle.info.version, digest: side.bundle.info.digest, source: side.source, controls: side.bundle.controls.length };
}

/** Compares two bundles (and, given plans, their decisions); returns the diff with the bump it requires. */
export function diffBundles(oldSide: DiffSide, newSide: DiffSide, options: DiffOptions = {}): BundleDiff {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError(`--today ${today} is not a date like 2026-12-31`);
  const oldControls = new Map(oldSide.bundle.controls.map((c) => [c.id, c]));
  const newControls = new Map(newSide.bundle.controls.map((c) => [c.id, c]));
  const oldSeverity = effectiveSeverities(oldSide.bundle);
  const newSeverity = effectiveSeverities(newSide.bundle);

  const controls: BundleDiff['controls'] = { added: [], removed: [], severity: [], metadata: [] };
  for (const [id, control] of newControls) {
    const before = oldControls.get(id);
    if (before === undefined) {
      controls.added.push(summary(control, newSeverity.get(id)!, today));
      continue;
    }
    const from = oldSeverity.get(id)!;
    const to = newSeverity.get(id)!;
    if (from !== to) controls.severity.push({ id, from, to });
    const fields = METADATA_FIELDS.filter((f) => !isDeepStrictEqual(before[f], control[f]));
    if (fields.length > 0) {
      const wasFuture = before.enforced_from !== undefined && before.enforced_from > today;
      const broughtForward = wasFuture && (control.enforced_from === undefined || control.enforced_from < before.enforced_from!);
      const enforcedFrom: MetadataChange['enforcedFrom'] = {};
      if (before.enforced_from !== undefined) enforcedFrom.from = before.enforced_from;
      if (control.enforced_from !== undefined) enforcedFrom.to = control.enforced_from;
      controls.metadata.push({ id, fields, enforcedFrom, enforcementBroughtForward: broughtForward });
    }
  }
  for (const [id, control] of oldControls) {
    if (!newControls.has(id)) controls.removed.push(summary(control, oldSeverity.get(id)!, today));
  }
  controls.added.sort((a, b) => a.id.localeCompare(b.id));
  controls.removed.sort((a, b) => a.id.localeCompare(b.id));
  controls.severity.sort((a, b) => a.id.localeCompare(b.id));
  controls.metadata.sort((a, b) => a.id.localeCompare(b.id));

  const diff: Omit<BundleDiff, 'required'> = {
    schema: 'cipa.bundle-diff/v1',
    today,
    old: sideSummary(oldSide),
    new: sideSummary(newSide),
    controls,
    files: fileChanges(oldSide, newSide),
  };
  if (options.plans !== undefined) {
    const shown = (path: string) => (options.plansRoot === undefined ? path : relative(options.plansRoot, path).split(sep).join('/') || path);
    const flips: DecisionFlip[] = [];
    let compared = 0;
    for (const plan of options.plans) {
      const before = statuses(evaluatePlan(oldSide.bundle, plan).report.decisions);
      const after = statuses(evaluatePlan(newSide.bundle, plan).report.decisions);
      const keys = new Set([...before.keys(), ...after.keys()]);
      compared += keys.size;
      for (const key of keys) {
        const from = before.get(key) ?? 'absent';
        const to = after.get(key) ?? 'absent';
        if (from === to) continue;
        const [control, resource] = JSON.parse(key) as [string, string];
        const enforcedFrom = newControls.get(control)?.enforced_from;
        flips.push({ plan: shown(plan.path), control, resource, from, to, advisory: to === 'fail' && enforcedFrom !== undefined && enforcedFrom > today });
      }
    }
    flips.sort((a, b) => a.plan.localeCompare(b.plan) || a.control.localeCompare(b.control) || a.resource.localeCompare(b.resource));
    diff.decisions = { plans: options.plans.map((p) => shown(p.path)), compared, flips };
  }
  return { ...diff, required: requiredBump(diff as BundleDiff) };
}

function statuses(decisions: Array<{ control: string; resource: string; status: DecisionStatus; exception?: unknown }>): Map<string, FlipStatus> {
  const out = new Map<string, FlipStatus>();
  for (const d of decisions) out.set(JSON.stringify([d.control, d.resource]), d.exception !== undefined && d.exception !== null ? 'waived' : d.status);
  return out;
}
