import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError } from '../errors.js';
import { packageRoot } from '../paths.js';

let validator: ValidateFunction | undefined;

function planValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'terraform-plan.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  }
  return validator;
}

/** A Terraform plan as far as cipa relies on its shape (see schemas/terraform-plan.schema.json). */
export interface TerraformPlan {
  format_version: string;
  terraform_version?: string;
  resource_changes?: ResourceChange[];
  configuration?: Record<string, unknown>;
  prior_state?: Record<string, unknown>;
  planned_values?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ResourceChange {
  address: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  change: { actions: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** Checks that a parsed document is a Terraform plan cipa can read; throws one actionable line otherwise. */
export function validatePlan(path: string, document: unknown): TerraformPlan {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InputError(path, 'is not a Terraform plan: expected a JSON object', 'run `terraform show -json plan.out > plan.json`');
  }
  const record = document as Record<string, unknown>;
  if (!('format_version' in record)) {
    throw new InputError(path, 'is not a Terraform plan: no format_version', 'run `terraform show -json plan.out > plan.json`');
  }
  const version = record.format_version;
  if (typeof version === 'string' && /^\d+\.\d+$/.test(version) && !/^(0\.[1-9]\d*|1\.\d+)$/.test(version)) {
    throw new InputError(path, `unsupported plan format_version ${version} (cipa reads 0.1 to 1.x)`);
  }
  if (!('resource_changes' in record) && !('planned_values' in record)) {
    const hint = 'values' in record ? 'this looks like a state file; pass a plan: `terraform show -json plan.out`' : 'run `terraform show -json plan.out > plan.json`';
    throw new InputError(path, 'is not a Terraform plan: no resource_changes', hint);
  }
  const validate = planValidator();
  if (!validate(document)) throw new InputError(path, `is not a valid Terraform plan: ${describe(validate.errors?.[0])}`);
  return document as TerraformPlan;
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'unknown schema error';
  const where = error.instancePath === '' ? 'the document' : error.instancePath.slice(1).replace(/\//g, '.');
  return `${where} ${error.message ?? 'is invalid'}`;
}
