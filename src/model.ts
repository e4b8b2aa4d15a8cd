import type { Severity } from './severity.js';

/** Three-valued decision for one (control, resource in scope) pair. */
export type DecisionStatus = 'pass' | 'fail' | 'unknown';

/** Control metadata, taken from the control's METADATA annotations (the single source). */
export interface ControlMeta {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  /** e.g. { "cis-aws-1.4": ["2.1.1"] } */
  frameworks: Record<string, string[]>;
  /** Peers' ids for the same check, e.g. CKV_AWS_19, AVD-AWS-0088. */
  aliases: string[];
  /** What to change in Terraform, with a snippet. */
  remediation: string;
  resource_types: string[];
  /** Rego package path below data, e.g. "cipa.controls.aws.s3_public_access". */
  package: string;
  /** Source file of the control, relative to the policy root. */
  file: string;
  /** ISO date (YYYY-MM-DD) before which failures are reported as warnings. */
  enforced_from?: string;
}

/** One decision as the policy returns it (`data.cipa.main.report.decisions[_]`). */
export interface Decision {
  control: string;
  resource: string;
  resource_type: string;
  module: string;
  status: DecisionStatus;
  severity: Severity;
  messages: string[];
  /** A live exception shipped in the bundle's data that waives this failing or unknown decision. */
  exception?: Exception;
  exception_index?: number;
}

/** Raw policy output for one plan: identical from the Wasm path and from native OPA. */
export interface PolicyReport {
  decisions: Decision[];
  resources: number;
  /** The bundle's own exceptions that ran out, or that waive nothing in this plan. */
  exceptions?: { expired: Exception[]; stale: Exception[] };
}

export interface Exception {
  control: string;
  resource: string;
  owner: string;
  reason: string;
  expires: string;
  ticket?: string;
}

export type FindingStatus = 'fail' | 'unknown' | 'waived';

export interface Finding {
  control: string;
  severity: Severity;
  title: string;
  resource: string;
  resource_type: string;
  module: string;
  plan: string;
  status: FindingStatus;
  message: string;
  remediation: string;
  frameworks: Record<string, string[]>;
  /** Set when a control's failures are not yet enforced (enforced_from in the future): reported, never fails. */
  advisory?: boolean;
  exception?: Exception;
}

export interface BundleInfo {
  name: string;
  version: string;
  revision: string;
  digest: string;
}

export interface PlanSummary {
  path: string;
  terraform_version: string;
  resources: number;
}

export type GateResult = 'pass' | 'warn' | 'fail';

export interface Summary {
  result: GateResult;
  fail_on: Severity;
  warn_on: Severity;
  counts: Record<Severity, number>;
  passed: number;
  failed: number;
  unknown: number;
  waived: number;
}

/** The result of `cipa eval`: what every renderer draws from. Its JSON form is schemas/eval-report.schema.json. */
export interface EvalReport {
  schema: 'cipa.eval/v1';
  bundle: BundleInfo;
  plans: PlanSummary[];
  summary: Summary;
  findings: Finding[];
  /** Every decision, passes included, for renderers that list passes (JUnit). */
  decisions: Array<Decision & { plan: string }>;
  controls: ControlMeta[];
}
