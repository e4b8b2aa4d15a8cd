import type { TerraformPlan } from './validate.js';

/**
 * Keeps only what the Rego library reads (tfplan.rego): resource_changes without `before` (for unchanged
 * resources a second copy of `after`), the configuration, and the data sources of the prior state. planned_values,
 * prior managed state, drift, variables and outputs are dropped: they are most of a plan's bytes, and the
 * differential test proves that dropping them changes no decision.
 */
export function slimPlan(plan: TerraformPlan): Record<string, unknown> {
  const slim: Record<string, unknown> = { format_version: plan.format_version };
  if (plan.terraform_version !== undefined) slim.terraform_version = plan.terraform_version;
  slim.resource_changes = (plan.resource_changes ?? []).map((rc) => {
    const change: Record<string, unknown> = { actions: rc.change.actions };
    for (const key of ['after', 'after_unknown', 'after_sensitive'] as const) {
      if (key in rc.change) change[key] = rc.change[key];
    }
    const kept: Record<string, unknown> = { address: rc.address, mode: rc.mode, type: rc.type, name: rc.name, change };
    if (rc.module_address !== undefined) kept.module_address = rc.module_address;
    if (rc.index !== undefined) kept.index = rc.index;
    if (rc.provider_name !== undefined) kept.provider_name = rc.provider_name;
    return kept;
  });
  if (plan.configuration !== undefined) slim.configuration = plan.configuration;
  const root = (plan.prior_state as { values?: { root_module?: StateModule } } | undefined)?.values?.root_module;
  if (root) slim.prior_state = { values: { root_module: dataOnly(root) } };
  return slim;
}

interface StateModule {
  address?: string;
  resources?: Array<{ mode?: string }>;
  child_modules?: StateModule[];
}

function dataOnly(module: StateModule): StateModule {
  const kept: StateModule = {};
  if (module.address !== undefined) kept.address = module.address;
  kept.resources = (module.resources ?? []).filter((r) => r.mode === 'data');
  if (module.child_modules) kept.child_modules = module.child_modules.map(dataOnly);
  return kept;
}
