import { join } from 'node:path';
import { checkNotDowngrade } from './bundle/verify.js';
import { applyExceptions, type ExpiredException, type StaleException } from './config/exceptions.js';
import { controlSelector, type EffectiveConfig } from './config/merge.js';
import { InputError, UsageError } from './errors.js';
import { buildReport, builtinBundlePath, evaluatePlan, loadBundle, readPlan, summarize, type LoadedBundle, type PlanDecisions } from './evaluate.js';
import type { EvalReport } from './model.js';
import { readSettingsFile } from './policy/settings.js';
import { verifyOptions, type TrustFlags } from './release/trust.js';
import { defaultCacheDir } from './registry/cache.js';
import { resolveBundleRef } from './registry/resolve.js';
import { locateResources } from './render/tf-locate.js';
import type { SourceLocation } from './render/types.js';

/** Trusted keys (as the release commands take them) plus rollback protection. */
export interface TrustOptions extends TrustFlags {
  allowDowngrade?: boolean;
  /** Where accepted versions are remembered for rollback protection. */
  stateFile?: string;
}

export interface GateRequest {
  plans: string[];
  config: EffectiveConfig;
  /** Only resources being created, updated or replaced. */
  changedOnly?: boolean;
  trust?: TrustOptions;
  /** cipa.lock: pins remote bundle references to a digest. */
  lockfile?: string;
  today?: Date;
  stdin?: NodeJS.ReadableStream;
  /** Progress callbacks (the command draws them; the library never prints). */
  onPlan?: (index: number, total: number, path: string) => void;
}

export interface GateOutcome {
  report: EvalReport;
  bundle: LoadedBundle;
  expired: ExpiredException[];
  stale: StaleException[];
  locations?: Map<string, SourceLocation>;
}

/** The CI gate: everything `cipa eval` does between parsing flags and rendering. */
export async function runGate(request: GateRequest): Promise<GateOutcome> {
  const { config } = request;
  const bundle = await openBundle(config, request);
  const selector = controlSelector(config.only, config.skip, bundle.controls.map((c) => c.id));
  if (selector.unmatched.length > 0) {
    throw new UsageError(`--only/--skip: no control matches ${selector.unmatched.join(', ')} in this bundle`, 'list them with `cipa controls`');
  }
  const evaluated: PlanDecisions[] = [];
  for (const [i, path] of request.plans.entries()) {
    request.onPlan?.(i, request.plans.length, path);
    evaluated.push(evaluatePlan(bundle, await readPlan(path, request.stdin)));
  }
  const today = request.today ?? new Date();
  const report = buildReport(bundle, evaluated, {
    failOn: config.fail_on,
    warnOn: config.warn_on,
    select: selector.selected,
    changedOnly: request.changedOnly === true,
    today: today.toISOString().slice(0, 10),
  });
  const outcome = applyExceptions(report.findings, config.exceptions, today);
  report.findings = outcome.findings;
  report.summary = summarize(report.decisions, report.findings, { failOn: config.fail_on, warnOn: config.warn_on });
  const shipped = bundleExceptions(evaluated);
  const result: GateOutcome = { report, bundle, expired: [...shipped.expired, ...outcome.expired], stale: [...shipped.stale, ...outcome.stale] };
  if (config.source_root) result.locations = await locateResources(config.source_root, [...new Set(report.decisions.map((d) => d.resource))]);
  return result;
}

/**
 * Exceptions shipped in the bundle's data are decided by the policy itself; it reports those that ran out, and
 * those that waive nothing in a plan (stale only when stale in every plan).
 */
function bundleExceptions(evaluated: PlanDecisions[]): { expired: ExpiredException[]; stale: StaleException[] } {
  const first = evaluated[0]?.report.exceptions;
  if (!first) return { expired: [], stale: [] };
  const key = (e: unknown) => JSON.stringify(e);
  const staleEverywhere = first.stale.filter((e) => evaluated.every((p) => p.report.exceptions?.stale.some((s) => key(s) === key(e))));
  return {
    expired: first.expired.map((exception, index) => ({ exception, index, matched: [] })),
    stale: staleEverywhere.map((exception, index) => ({ exception, index })),
  };
}

async function openBundle(config: EffectiveConfig, request: GateRequest): Promise<LoadedBundle> {
  const settings = await Promise.all(config.data.map((file) => readSettingsFile(file)));
  const ref = config.bundle ?? builtinBundlePath();
  const resolved = await resolveBundleRef(ref, request.lockfile ? { lockfile: request.lockfile } : {});
  if (config.digest && config.digest !== resolved.digest) {
    throw new InputError(config.file ?? 'cipa.yaml', `bundle ${ref} has digest ${resolved.digest}, but the configuration pins ${config.digest}`, 'update the pin only after reviewing the new bundle');
  }
  const trust = request.trust ?? {};
  const verify = await verifyOptions(trust, false);
  const bundle = await loadBundle(resolved.bytes, resolved.source, { ...(verify ? { verify } : {}), settings });
  bundle.info.digest = resolved.digest;
  if (verify) {
    // Only a verified identity is worth remembering: rollback protection for signed bundles.
    await checkNotDowngrade(bundle.info.name, bundle.info.version, trust.stateFile ?? join(defaultCacheDir(), 'accepted-versions.json'), {
      allowDowngrade: trust.allowDowngrade === true,
    });
  }
  return bundle;
}

