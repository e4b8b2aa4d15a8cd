import { InputError, UsageError } from '../errors.js';
import type { LoadedBundle } from '../evaluate.js';
import type { DecisionStatus } from '../model.js';
import { Anonymiser, contentName } from './anonymise.js';
import type { Expectation } from './fixtures.js';

/** A plan as `terraform show -json` writes it (only what the fixture builder touches is typed). */
interface Plan {
  format_version?: string;
  terraform_version?: string;
  resource_changes?: ResourceChange[];
  configuration?: { provider_config?: Record<string, ProviderConfig>; root_module?: ModuleConfig };
  prior_state?: { values?: { root_module?: StateModule } };
  [key: string]: unknown;
}

interface ResourceChange {
  address: string;
  mode?: string;
  type: string;
  name: string;
  index?: unknown;
  module_address?: string;
  provider_name?: string;
  change: { actions: string[]; after?: unknown; after_unknown?: unknown; after_sensitive?: unknown; [key: string]: unknown };
  [key: string]: unknown;
}

interface ProviderConfig {
  name?: string;
  full_name?: string;
  alias?: string;
  version_constraint?: string;
  module_address?: string;
  [key: string]: unknown;
}

interface ModuleConfig {
  resources?: ConfigBlock[];
  module_calls?: Record<string, ModuleCall>;
  outputs?: Record<string, { expression?: Expression; sensitive?: boolean; [key: string]: unknown }>;
  variables?: unknown;
  [key: string]: unknown;
}

interface ModuleCall {
  source?: string;
  version?: string;
  version_constraint?: string;
  expressions?: Record<string, Expression>;
  module?: ModuleConfig;
  count_expression?: Expression;
  for_each_expression?: Expression;
  depends_on?: string[];
  [key: string]: unknown;
}

interface ConfigBlock {
  address: string;
  mode?: string;
  type: string;
  name: string;
  provider_config_key?: string;
  expressions?: Record<string, Expression>;
  count_expression?: Expression;
  for_each_expression?: Expression;
  depends_on?: string[];
  schema_version?: number;
  [key: string]: unknown;
}

type Expression = { constant_value?: unknown; references?: string[] } | Expression[] | Record<string, unknown>;

interface StateModule {
  address?: string;
  resources?: Array<{ address: string; mode?: string; type?: string; name?: string; index?: unknown; values?: unknown; sensitive_values?: unknown; [key: string]: unknown }>;
  child_modules?: StateModule[];
}

export interface FixtureOptions {
  control: string;
  /** Keep only this resource (and what it needs); default: every resource the control decides. */
  resource?: string;
  /** The engine that decides (the policy under test). */
  bundle: LoadedBundle;
}

export interface BuiltFixture {
  /** The minimal, anonymised plan. */
  plan: Record<string, unknown>;
  expectation: Expectation;
  /** A stable case name derived from the anonymised content. */
  name: string;
  /** Original address → anonymised address, for the resources kept (never written anywhere by cipa). */
  addresses: Record<string, string>;
  /** Original decisions that the anonymised fixture does not reproduce (empty when the fixture is faithful). */
  changed: Array<{ resource: string; original: DecisionStatus; fixture: DecisionStatus | 'absent' }>;
  /** How many resources the original plan had and the fixture keeps. */
  resources: { original: number; kept: number };
}

/**
 * Turns a real plan into a fixture for one control: keeps the resources the control decides (or `resource`) and
 * the fewest others the decisions need (found by evaluating smaller plans), with the configuration that links
 * them, drops before, prior state (unless a decision needs its data sources), planned values, variables and
 * outputs, anonymises every identifying value (see Anonymiser), and writes the expectation from the current
 * decisions. The anonymised plan is evaluated again: `changed` lists any decision it does not reproduce.
 */
export function buildFixture(input: unknown, options: FixtureOptions): BuiltFixture {
  if (!isObject(input) || !Array.isArray(input.resource_changes)) throw new InputError('plan', 'has no resource_changes: is it `terraform show -json` output?');
  const plan = input as Plan;
  const known = options.bundle.controls.find((c) => c.id === options.control);
  if (!known) throw new UsageError(`control ${options.control} is not in the policy`, `known controls: ${options.bundle.controls.map((c) => c.id).slice(0, 8).join(', ')}…`);

  const decide = (p: Plan): Map<string, DecisionStatus> => {
    const report = options.bundle.engine.evaluate(Buffer.from(JSON.stringify(p)), 'fixture');
    return new Map(report.decisions.filter((d) => d.control === options.control).map((d) => [d.resource, d.status]));
  };
  const original = decide(plan);
  let targets = [...original.keys()].sort();
  if (options.resource !== undefined) {
    if (!original.has(options.resource)) {
      throw new UsageError(`${options.resource} is not decided by ${options.control} in this plan`, targets.length > 0 ? `it decides ${targets.slice(0, 5).join(', ')}${targets.length > 5 ? ', …' : ''}` : 'the control decides no resource in this plan');
    }
    targets = [options.resource];
  }
  if (targets.length === 0) throw new UsageError(`${options.control} decides no resource in this plan`, `its resource types: ${known.resource_types.join(', ')}`);

  // Units that can be dropped: resource changes (managed and data) and prior-state data sources.
  const changes = plan.resource_changes ?? [];
  const stateData = collectStateData(plan.prior_state?.values?.root_module);
  const targetSet = new Set(targets);
  const candidates = [
    ...changes.map((rc) => `rc:${rc.address}`).filter((u) => !targetSet.has(u.slice(3))),
    ...stateData.map((address) => `state:${address}`),
  ];
  const required = changes.map((rc) => `rc:${rc.address}`).filter((u) => targetSet.has(u.slice(3)));
  const same = (p: Plan) => {
    const got = decide(p);
    return targets.every((t) => got.get(t) === original.get(t));
  };
  const prune = (units: Set<string>) => prunePlan(plan, units, targets);
  let kept: string[];
  if (same(prune(new Set(required)))) kept = required;
  else if (!same(prune(new Set([...required, ...candidates])))) kept = [...required, ...candidates];
  else kept = [...required, ...minimalSubset(candidates, (subset) => same(prune(new Set([...required, ...subset]))))];
  const minimal = prune(new Set(kept));

  const a = new Anonymiser();
  primeFromOriginal(plan, a);
  // Twice: the first pass learns every identifying string (names, sensitive values), so the second also replaces
  // them where they appear under a neutral key before the key that identifies them.
  anonymisePlan(minimal, a);
  const anonymised = anonymisePlan(minimal, a);
  // Resource and module addresses are renamed; other decided names (provider.aws) carry no identity.
  const renamed = (t: string) => (changes.some((rc) => rc.address === t) || t.startsWith('module.') ? a.address(t) : t);
  const addresses = Object.fromEntries(targets.map((t) => [t, renamed(t)]));
  const after = decide(anonymised as Plan);
  const changed = targets
    .filter((t) => after.get(addresses[t]!) !== original.get(t))
    .map((t) => ({ resource: addresses[t]!, original: original.get(t)!, fixture: after.get(addresses[t]!) ?? ('absent' as const) }));
  // Exactly the pairs of the control for the fixture: the kept targets, and any other resource it decides there.
  const decisions: Record<string, DecisionStatus> = {};
  for (const t of targets) decisions[addresses[t]!] = original.get(t)!;
  for (const [resource, status] of after) if (!(resource in decisions)) decisions[resource] = status;
  const expectation: Expectation = { control: options.control, decisions: Object.fromEntries(Object.entries(decisions).sort(([x], [y]) => x.localeCompare(y))) };
  return {
    plan: anonymised,
    expectation,
    name: `anon-${contentName(anonymised)}`,
    addresses,
    changed,
    resources: { original: changes.length, kept: (minimal.resource_changes ?? []).length },
  };
}

/**
 * The smallest subset (by greedy search) that keeps `ok` true, assuming adding units never breaks it: finds each
 * needed unit by binary search over the remaining candidates.
 */
function minimalSubset(candidates: string[], ok: (subset: string[]) => boolean): string[] {
  const needed: string[] = [];
  let remaining = candidates;
  for (let guard = 0; guard <= candidates.length && !ok(needed); guard++) {
    let lo = 1;
    let hi = remaining.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ok([...needed, ...remaining.slice(0, mid)])) hi = mid;
      else lo = mid + 1;
    }
    needed.push(remaining[lo - 1]!);
    remaining = remaining.slice(0, lo - 1);
  }
  return needed;
}

function collectStateData(root: StateModule | undefined): string[] {
  const out: string[] = [];
  const walk = (m: StateModule | undefined) => {
    if (!m) return;
    for (const r of m.resources ?? []) if (r.mode === 'data') out.push(r.address);
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** Un-indexed module path of an address: module.a["x"].module.b[0].aws_s3_bucket.c → module.a.module.b */
function modulePathOf(moduleAddress: string): string {
  return [...moduleAddress.matchAll(/module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\])?/g)].map((m) => `module.${m[1]}`).join('.');
}

/** The plan reduced to the kept units, with the configuration of what remains and of the target module calls. */
function prunePlan(plan: Plan, units: Set<string>, targets: string[]): Plan {
  const changes = (plan.resource_changes ?? []).filter((rc) => units.has(`rc:${rc.address}`));
  // Config keys (module path + block address) that remain, and the module paths that must stay.
  const keys = new Set<string>();
  const modules = new Set<string>(['']);
  const addModule = (path: string) => {
    const parts = path.split('.');
    for (let i = 2; i <= parts.length; i += 2) modules.add(parts.slice(0, i).join('.'));
  };
  for (const rc of changes) {
    const path = modulePathOf(rc.module_address ?? '');
    keys.add(`${path}\u0000${rc.mode === 'data' ? `data.${rc.type}.${rc.name}` : `${rc.type}.${rc.name}`}`);
    if (path) addModule(path);
  }
  const stateKept = (plan.prior_state?.values?.root_module ? [...units].filter((u) => u.startsWith('state:')).map((u) => u.slice(6)) : []);
  for (const address of stateKept) {
    const m = /^(.*?)(?:^|\.)(data\.[^.]+\.[^.[]+)(\[.*\])?$/.exec(address);
    const path = modulePathOf(address.slice(0, address.lastIndexOf('data.')));
    keys.add(`${path}\u0000${m?.[2] ?? address}`);
    if (path) addModule(path);
  }
  const changed = new Set((plan.resource_changes ?? []).map((rc) => rc.address));
  // Targets that are module calls (governance controls decide module paths): their calls stay.
  for (const t of targets) if (!changed.has(t) && t.startsWith('module.')) addModule(modulePathOf(t));

  const out: Plan = { format_version: plan.format_version ?? '1.0' };
  if (plan.terraform_version !== undefined) out.terraform_version = plan.terraform_version;
  out.resource_changes = changes.map((rc) => {
    const kept: ResourceChange = { address: rc.address, mode: rc.mode ?? 'managed', type: rc.type, name: rc.name, change: { actions: rc.change.actions } };
    if (rc.module_address !== undefined) kept.module_address = rc.module_address;
    if (rc.index !== undefined) kept.index = rc.index;
    if (rc.provider_name !== undefined) kept.provider_name = rc.provider_name;
    for (const k of ['after', 'after_unknown', 'after_sensitive'] as const) if (k in rc.change) kept.change[k] = rc.change[k];
    return kept;
  });
  if (plan.configuration) {
    const config: NonNullable<Plan['configuration']> = {};
    if (plan.configuration.provider_config) {
      config.provider_config = Object.fromEntries(
        Object.entries(plan.configuration.provider_config).map(([key, p]) => {
          const kept: ProviderConfig = {};
          for (const k of ['name', 'full_name', 'alias', 'version_constraint', 'module_address'] as const) if (p[k] !== undefined) kept[k] = p[k];
          return [key, kept];
        }),
      );
    }
    if (plan.configuration.root_module) config.root_module = pruneModule(plan.configuration.root_module, '', keys, modules);
    out.configuration = config;
  }
  if (stateKept.length > 0) {
    const keep = new Set(stateKept);
    const walk = (m: StateModule): StateModule => {
      const kept: StateModule = {};
      if (m.address !== undefined) kept.address = m.address;
      kept.resources = (m.resources ?? []).filter((r) => keep.has(r.address)).map((r) => {
        const x: Record<string, unknown> = { address: r.address, mode: r.mode, type: r.type, name: r.name, values: r.values };
        if (r.index !== undefined) x.index = r.index;
        if (r.sensitive_values !== undefined) x.sensitive_values = r.sensitive_values;
        return x as NonNullable<StateModule['resources']>[number];
      });
      const children = (m.child_modules ?? []).map(walk).filter((c) => (c.resources?.length ?? 0) > 0 || (c.child_modules?.length ?? 0) > 0);
      if (children.length > 0) kept.child_modules = children;
      return kept;
    };
    out.prior_state = { values: { root_module: walk(plan.prior_state!.values!.root_module!) } };
  }
  return out;
}

function pruneModule(module: ModuleConfig, path: string, keys: Set<string>, modules: Set<string>): ModuleConfig {
  const out: ModuleConfig = {};
  const resources = (module.resources ?? []).filter((b) => keys.has(`${path}\u0000${b.address}`));
  if (resources.length > 0) out.resources = resources;
  const calls: Record<string, ModuleCall> = {};
  for (const [name, call] of Object.entries(module.module_calls ?? {})) {
    const child = path ? `${path}.module.${name}` : `module.${name}`;
    if (!modules.has(child)) continue;
    const kept: ModuleCall = {};
    for (const k of ['source', 'version', 'version_constraint', 'expressions', 'count_expression', 'for_each_expression', 'depends_on'] as const) if (call[k] !== undefined) (kept as Record<string, unknown>)[k] = call[k];
    kept.module = pruneModule(call.module ?? {}, child, keys, modules);
    calls[name] = kept;
  }
  if (Object.keys(calls).length > 0) out.module_calls = calls;
  // Module outputs carry references across module boundaries; the root module's outputs are never read.
  if (path !== '' && module.outputs) {
    out.outputs = Object.fromEntries(Object.entries(module.outputs).map(([k, o]) => [k, o.expression === undefined ? {} : { expression: o.expression }]));
  }
  return out;
}

// --- Anonymisation of the pruned plan -----------------------------------------------------------------------

function anonymisePlan(plan: Plan, a: Anonymiser): Record<string, unknown> {
  const out: Record<string, unknown> = { format_version: plan.format_version };
  if (plan.terraform_version !== undefined) out.terraform_version = plan.terraform_version;
  out.resource_changes = (plan.resource_changes ?? []).map((rc) => {
    const kept: Record<string, unknown> = { address: a.address(rc.address), mode: rc.mode, type: rc.type, name: a.resourceName(rc.name) };
    if (rc.module_address !== undefined) kept.module_address = a.address(rc.module_address);
    if (rc.index !== undefined) kept.index = typeof rc.index === 'string' ? a.key(rc.index) : rc.index;
    if (rc.provider_name !== undefined) kept.provider_name = rc.provider_name;
    const sensitive = rc.change.after_sensitive;
    const change: Record<string, unknown> = { actions: rc.change.actions };
    if ('after' in rc.change) change.after = anonymiseValues(rc.change.after, sensitive, a);
    if ('after_unknown' in rc.change) change.after_unknown = rc.change.after_unknown;
    if ('after_sensitive' in rc.change) change.after_sensitive = sensitive;
    kept.change = change;
    return kept;
  });
  if (plan.configuration) {
    const config: Record<string, unknown> = {};
    if (plan.configuration.provider_config) {
      config.provider_config = Object.fromEntries(
        Object.entries(plan.configuration.provider_config).map(([key, p]) => {
          const kept: Record<string, unknown> = { ...p };
          if (typeof p.module_address === 'string') kept.module_address = a.address(p.module_address);
          if (typeof p.alias === 'string') kept.alias = a.name(p.alias);
          return [renameProviderKey(key, a), kept];
        }),
      );
    }
    if (plan.configuration.root_module) config.root_module = anonymiseModule(plan.configuration.root_module, a);
    out.configuration = config;
  }
  if (plan.prior_state?.values?.root_module) {
    const walk = (m: StateModule): Record<string, unknown> => {
      const kept: Record<string, unknown> = {};
      if (m.address !== undefined) kept.address = a.address(m.address);
      kept.resources = (m.resources ?? []).map((r) => {
        const x: Record<string, unknown> = { address: a.address(r.address), mode: r.mode, type: r.type, name: r.name === undefined ? undefined : a.resourceName(r.name) };
        if (r.index !== undefined) x.index = typeof r.index === 'string' ? a.key(r.index) : r.index;
        x.values = anonymiseValues(r.values, r.sensitive_values, a);
        if (r.sensitive_values !== undefined) x.sensitive_values = r.sensitive_values;
        return x;
      });
      if (m.child_modules) kept.child_modules = m.child_modules.map(walk);
      return kept;
    };
    out.prior_state = { values: { root_module: walk(plan.prior_state.values.root_module) } };
  }
  return out;
}

/** Resource values: each attribute under its own key, sensitive paths (true in the mask) replaced whole. */
function anonymiseValues(values: unknown, sensitive: unknown, a: Anonymiser): unknown {
  if (sensitive === true) return a.sensitive(values);
  if (!isObject(values)) return a.value(values, undefined, sensitive);
  const mask = isObject(sensitive) ? sensitive : {};
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, a.value(v, k, mask[k])]));
}

/**
 * Learns the identifying strings of the whole original plan (names, ids, sensitive values of every resource, the
 * dropped ones included), so that a kept resource that mentions a dropped one under a neutral attribute (a
 * bucket name as `location`) does not carry the name into the fixture.
 */
function primeFromOriginal(plan: Plan, a: Anonymiser): void {
  for (const rc of plan.resource_changes ?? []) {
    anonymiseValues(rc.change.after, rc.change.after_sensitive, a);
    anonymiseValues(rc.change.before, rc.change.before_sensitive, a);
  }
  const walk = (m: StateModule | undefined) => {
    if (!m) return;
    for (const r of m.resources ?? []) anonymiseValues(r.values, r.sensitive_values, a);
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk(plan.prior_state?.values?.root_module);
  walk((plan.planned_values as { root_module?: StateModule } | undefined)?.root_module);
}

function renameProviderKey(key: string, a: Anonymiser): string {
  // "aws", "aws.east", "module.m:aws", "module.m:aws.east"
  const m = /^(.*):([^:]+)$/.exec(key);
  const [modulePart, provider] = m ? [m[1]!, m[2]!] : ['', key];
  const [name, alias] = provider.split('.', 2) as [string, string | undefined];
  const renamedProvider = alias === undefined ? name : `${name}.${a.name(alias)}`;
  if (!modulePart) return renamedProvider;
  // "module.a.module.b:aws", or the older "a.b:aws" / "a:aws" (module names without the module. prefix)
  const renamedModule = modulePart.startsWith('module.') ? a.address(modulePart) : modulePart.split(/[.:]/).map((m) => a.moduleName(m)).join('.');
  return `${renamedModule}:${renamedProvider}`;
}

function anonymiseModule(module: ModuleConfig, a: Anonymiser): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (module.resources) {
    out.resources = module.resources.map((b) => {
      const kept: Record<string, unknown> = { address: a.address(b.address), mode: b.mode, type: b.type, name: a.resourceName(b.name) };
      if (b.provider_config_key !== undefined) kept.provider_config_key = renameProviderKey(b.provider_config_key, a);
      if (b.expressions) kept.expressions = anonymiseExpressions(b.expressions, a);
      if (b.count_expression) kept.count_expression = anonymiseExpression(b.count_expression, 'count', a);
      if (b.for_each_expression) kept.for_each_expression = anonymiseExpression(b.for_each_expression, 'for_each', a);
      if (b.depends_on) kept.depends_on = b.depends_on.map((r) => a.address(r));
      if (b.schema_version !== undefined) kept.schema_version = b.schema_version;
      return kept;
    });
  }
  if (module.module_calls) {
    out.module_calls = Object.fromEntries(
      Object.entries(module.module_calls).map(([name, call]) => {
        const kept: Record<string, unknown> = {};
        if (typeof call.source === 'string') kept.source = a.moduleSource(call.source);
        if (call.version !== undefined) kept.version = call.version;
        if (call.version_constraint !== undefined) kept.version_constraint = call.version_constraint;
        if (call.expressions) kept.expressions = anonymiseExpressions(call.expressions, a);
        if (call.count_expression) kept.count_expression = anonymiseExpression(call.count_expression, 'count', a);
        if (call.for_each_expression) kept.for_each_expression = anonymiseExpression(call.for_each_expression, 'for_each', a);
        if (call.depends_on) kept.depends_on = call.depends_on.map((r) => a.address(r));
        kept.module = anonymiseModule(call.module ?? {}, a);
        return [a.moduleName(name), kept];
      }),
    );
  }
  if (module.outputs) {
    out.outputs = Object.fromEntries(Object.entries(module.outputs).map(([k, o]) => [k, o.expression === undefined ? {} : { expression: anonymiseExpression(o.expression, k, a) }]));
  }
  return out;
}

function anonymiseExpressions(expressions: Record<string, Expression>, a: Anonymiser): Record<string, unknown> {
  return Object.fromEntries(Object.entries(expressions).map(([k, e]) => [k, anonymiseExpression(e, k, a)]));
}

/** A configuration expression: constant values anonymised like values, references renamed; nested blocks recurse. */
function anonymiseExpression(expression: Expression, key: string, a: Anonymiser): unknown {
  if (Array.isArray(expression)) return expression.map((e) => anonymiseExpression(e, key, a));
  if (!isObject(expression)) return expression;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(expression)) {
    if (k === 'constant_value') out[k] = a.value(v, key);
    else if (k === 'references' && Array.isArray(v)) out[k] = v.map((r) => (typeof r === 'string' ? a.address(r) : r));
    else if (isObject(v) || Array.isArray(v)) out[k] = anonymiseExpression(v as Expression, k, a);
    else out[k] = typeof v === 'string' ? a.value(v, k) : v;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// --- cipa fixture ------------------------------------------------------------------------------------------------

export interface FixtureFromPlanOptions {
  control: string;
  resource?: string;
  /** A policy repository, definition or directory to build and decide with; default the working directory when it
   * is one, else the built-in bundle. */
  policy?: string;
  /** A built bundle (.tar.gz) to decide with instead. */
  bundle?: string;
  /** Fixtures directory; default the project's testdata/controls (or ./testdata/controls). */
  out?: string;
  /** Case name; default anon-<digest of the anonymised content>. */
  name?: string;
}

export interface WrittenFixture {
  fixture: BuiltFixture;
  plan: string;
  expectation: string;
}

/** Reads a plan, builds the fixture (see buildFixture) and writes <case>.json and <case>.expect.json. Never overwrites. */
export async function fixtureFromPlan(planPath: string, options: FixtureFromPlanOptions): Promise<WrittenFixture> {
  const [{ readPlan, loadBundle, loadBundleFile, builtinBundlePath }, { existsSync }, { join, resolve }, { resolveProject, DEFINITION_NAMES }, { buildBundle }, { writeFileAtomic }] = await Promise.all([
    import('../evaluate.js'),
    import('node:fs'),
    import('node:path'),
    import('./project.js'),
    import('../policy/build.js'),
    import('../io/atomic.js'),
  ]);
  const plan = (await readPlan(planPath)).plan;
  let bundle: LoadedBundle;
  let fixturesDir: string | undefined;
  if (options.bundle !== undefined) {
    bundle = await loadBundleFile(options.bundle);
  } else {
    const candidate = options.policy ?? '.';
    // Without --policy, the working directory counts only when it is plainly a policy repository or directory.
    const looksLikePolicy = options.policy !== undefined || DEFINITION_NAMES.some((n) => existsSync(n)) || existsSync('cipa');
    const project = looksLikePolicy ? await resolveProject(candidate) : undefined;
    if (project) {
      const built = await buildBundle({ definition: project.definition });
      bundle = await loadBundle(built.bytes, project.definition.file);
      fixturesDir = project.fixturesDir ?? join(resolve(candidate), 'testdata', 'controls');
    } else {
      bundle = await loadBundleFile(builtinBundlePath());
    }
  }
  const fixture = buildFixture(plan, { control: options.control, ...(options.resource !== undefined ? { resource: options.resource } : {}), bundle });
  const name = options.name ?? fixture.name;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) || name.endsWith('.expect') || name.endsWith('.data')) throw new UsageError(`case name ${name} is not a plain file name`, 'use letters, digits, dots, dashes and underscores');
  const dir = join(options.out ?? fixturesDir ?? join('testdata', 'controls'), options.control.toLowerCase());
  const planFile = join(dir, `${name}.json`);
  const expectFile = join(dir, `${name}.expect.json`);
  for (const f of [planFile, expectFile]) if (existsSync(f)) throw new InputError(f, 'already exists', 'give another --name');
  await writeFileAtomic(planFile, `${JSON.stringify(fixture.plan, null, 2)}\n`);
  await writeFileAtomic(expectFile, `${JSON.stringify(fixture.expectation, null, 2)}\n`);
  return { fixture, plan: planFile, expectation: expectFile };
}
