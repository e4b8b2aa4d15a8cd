import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { readBundleBytes, type Bundle } from './bundle/read.js';
import { verifyBundle, type VerifyOptions, type VerifyResult } from './bundle/verify.js';
import { BundleError, describeFsError, InputError } from './errors.js';
import { WasmEngine } from './engine/wasm.js';
import type { BundleInfo, ControlMeta, Decision, EvalReport, Finding, GateResult, PlanSummary, PolicyReport, Summary } from './model.js';
import { packageRoot } from './paths.js';
import { parsePlanJson } from './plan/parse.js';
import { readPlanSource } from './plan/read.js';
import { slimPlan } from './plan/slim.js';
import { validatePlan, type TerraformPlan } from './plan/validate.js';
import { deepMerge, isPlainObject } from './policy/data.js';
import { atLeast, compareSeverity, SEVERITIES, type Severity } from './severity.js';

export function builtinBundlePath(): string {
  return join(packageRoot(), 'bundles', 'cipa.tar.gz');
}

export interface LoadedBundle {
  engine: WasmEngine;
  info: BundleInfo;
  controls: ControlMeta[];
  verification?: VerifyResult;
  /** The data document the policy sees (data.json with the organisation's settings merged in). */
  data: unknown;
}

export interface LoadBundleOptions {
  /** Verification keys: when set, the bundle must be signed by one of them. */
  verify?: VerifyOptions;
  /** Organisation settings documents, merged in order over data.cipa.settings. */
  settings?: unknown[];
}

/** Loads a bundle from bytes: verifies it when keys are given, reads its catalog, and instantiates policy.wasm. */
export async function loadBundle(bytes: Uint8Array, source: string, options: LoadBundleOptions = {}): Promise<LoadedBundle> {
  const bundle = await readBundleBytes(bytes, source);
  return prepareBundle(bundle, createHash('sha256').update(bytes).digest('hex'), options);
}

export async function loadBundleFile(path: string, options: LoadBundleOptions = {}): Promise<LoadedBundle> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(path, describeFsError(error));
  }
  return loadBundle(bytes, path, options);
}

async function prepareBundle(bundle: Bundle, digest: string, options: LoadBundleOptions): Promise<LoadedBundle> {
  const source = bundle.source;
  let verification: VerifyResult | undefined;
  if (options.verify) verification = await verifyBundle(bundle, options.verify);
  const wasm = bundle.files.get('policy.wasm');
  if (!wasm) throw new BundleError(`${source}: the bundle has no policy.wasm`, 'build it with `cipa bundle build`');
  let data: unknown = {};
  const dataBytes = bundle.files.get('data.json');
  if (dataBytes) {
    try {
      data = JSON.parse(dataBytes.toString('utf8')) as unknown;
    } catch {
      throw new BundleError(`${source}: data.json is not valid JSON`);
    }
  }
  for (const settings of options.settings ?? []) data = deepMerge(data, { cipa: { settings } });
  const catalog = (data as { cipa?: { catalog?: { controls?: Record<string, ControlMeta> } } }).cipa?.catalog?.controls;
  if (!isPlainObject(catalog)) throw new BundleError(`${source}: data.json has no control catalog (cipa.catalog.controls)`, 'build it with `cipa bundle build`');
  const controls = Object.values(catalog).sort((a, b) => a.id.localeCompare(b.id));
  const engine = await WasmEngine.load(wasm, data, source);
  const meta = bundle.manifest.metadata ?? {};
  const info: BundleInfo = {
    name: typeof meta.name === 'string' ? meta.name : 'unnamed',
    version: typeof meta.version === 'string' ? meta.version : '0.0.0',
    revision: bundle.manifest.revision,
    digest: `sha256:${digest}`,
  };
  const loaded: LoadedBundle = { engine, info, controls, data };
  if (verification) loaded.verification = verification;
  return loaded;
}

export interface PlanInput {
  path: string;
  plan: TerraformPlan;
  /** What the policy is given: the plan reduced to what the Rego library reads, as UTF-8 JSON. */
  input: Buffer;
}

/** Reads, checks and slims one plan ("-" is stdin). */
export async function readPlan(path: string, stdin?: NodeJS.ReadableStream): Promise<PlanInput> {
  const source = await readPlanSource(path, stdin);
  const plan = validatePlan(path, parsePlanJson(path, source.bytes));
  return { path, plan, input: Buffer.from(JSON.stringify(slimPlan(plan))) };
}

export interface GateOptions {
  failOn: Severity;
  warnOn: Severity;
  /** Only resources being created, updated or replaced. */
  changedOnly?: boolean;
  /** Which controls to report (from --only/--skip, see config/merge controlSelector); default all. */
  select?: (id: string) => boolean;
  /** Today (YYYY-MM-DD, UTC) for enforced_from dates; defaults to now. */
  today?: string;
}

export interface PlanDecisions {
  plan: PlanInput;
  report: PolicyReport;
}

export function evaluatePlan(bundle: LoadedBundle, plan: PlanInput): PlanDecisions {
  return { plan, report: bundle.engine.evaluate(plan.input, plan.path) };
}

/** Turns the policy's decisions for every plan into the report every renderer draws from. */
export function buildReport(bundle: LoadedBundle, evaluated: PlanDecisions[], options: GateOptions): EvalReport {
  const byId = new Map(bundle.controls.map((c) => [c.id, c]));
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const selected = options.select ?? (() => true);
  const decisions: Array<Decision & { plan: string }> = [];
  const plans: PlanSummary[] = [];
  for (const { plan, report } of evaluated) {
    const changing = options.changedOnly ? changingAddresses(plan.plan) : undefined;
    plans.push({ path: plan.path, terraform_version: plan.plan.terraform_version ?? 'unknown', resources: report.resources });
    for (const decision of report.decisions) {
      if (!selected(decision.control)) continue;
      if (changing && !changing.has(decision.resource)) continue;
      const { exception_index: _index, ...rest } = decision;
      decisions.push({ ...rest, messages: [...decision.messages].sort(), plan: plan.path });
    }
  }
  decisions.sort((a, b) => a.plan.localeCompare(b.plan) || a.control.localeCompare(b.control) || a.resource.localeCompare(b.resource));

  const findings: Finding[] = [];
  for (const d of decisions) {
    if (d.status === 'pass') continue;
    const control = byId.get(d.control);
    const finding: Finding = {
      control: d.control,
      severity: d.severity,
      title: control?.title ?? d.control,
      resource: d.resource,
      resource_type: d.resource_type,
      module: d.module,
      plan: d.plan,
      status: d.exception ? 'waived' : d.status,
      message: d.messages.join('; ') || (d.status === 'unknown' ? 'cannot be decided at plan time' : 'fails this control'),
      remediation: control?.remediation ?? '',
      frameworks: control?.frameworks ?? {},
    };
    if (d.exception) finding.exception = d.exception;
    if (d.status === 'fail' && control?.enforced_from && control.enforced_from > today) finding.advisory = true;
    findings.push(finding);
  }
  findings.sort((a, b) => compareSeverity(a.severity, b.severity) || a.control.localeCompare(b.control) || a.plan.localeCompare(b.plan) || a.resource.localeCompare(b.resource));

  return {
    schema: 'cipa.eval/v1',
    bundle: bundle.info,
    plans,
    summary: summarize(decisions, findings, options),
    findings,
    decisions,
    controls: bundle.controls,
  };
}

/** Failing findings decide the gate; waived and advisory (not yet enforced) ones never fail it. */
export function summarize(decisions: Decision[], findings: Finding[], options: Pick<GateOptions, 'failOn' | 'warnOn'>): Summary {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let result: GateResult = 'pass';
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    counts[f.severity]++;
    if (!f.advisory && atLeast(f.severity, options.failOn)) result = 'fail';
    else if (result === 'pass' && atLeast(f.severity, options.warnOn)) result = 'warn';
  }
  if (result === 'pass' && findings.some((f) => (f.status === 'unknown' || f.advisory) && atLeast(f.severity, options.warnOn))) result = 'warn';
  return {
    result,
    fail_on: options.failOn,
    warn_on: options.warnOn,
    counts,
    passed: decisions.filter((d) => d.status === 'pass').length,
    failed: findings.filter((f) => f.status === 'fail').length,
    unknown: findings.filter((f) => f.status === 'unknown').length,
    waived: findings.filter((f) => f.status === 'waived').length,
  };
}

function changingAddresses(plan: TerraformPlan): Set<string> {
  const out = new Set<string>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.change.actions.some((a) => a === 'create' || a === 'update')) out.add(rc.address);
  }
  return out;
}
