import { existsSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { FORMAT_NAMES } from '../config/formats.js';
import { findConfig, loadConfig } from '../config/load.js';
import { mergeConfig } from '../config/merge.js';
import { trustFlags, trustFromFlags } from '../release/flags.js';
import { UsageError } from '../errors.js';
import { runGate } from '../gate.js';
import { writeFileAtomic } from '../io/atomic.js';
import { palette, useColor } from '../render/color.js';
import { appendStepSummary, renderGithubSummary } from '../render/github.js';
import { createProgress } from '../render/progress.js';
import { renderReport } from '../render/registry.js';
import { SEVERITIES, type Severity } from '../severity.js';
import { CipaCommand } from './base.js';

export default class Eval extends CipaCommand {
  static override summary = 'Evaluate Terraform plans against the controls: the CI gate.';
  static override description = `Reads plan JSON (terraform show -json), evaluates every control of the bundle in WebAssembly, and exits 0 when no failing finding reaches --fail-on, 1 when one does, 2 on an error. Unknown findings (decided only after apply) and failures between --warn-on and --fail-on make the result "warn" without failing. Settings come from cipa.yaml (or --config); flags override it.`;
  static override examples = [
    '<%= config.bin %> eval plan.json',
    'terraform show -json plan.out | <%= config.bin %> eval - --fail-on high -f json',
    '<%= config.bin %> eval plan.json -f text -f sarif=cipa.sarif -f junit=cipa.xml',
    '<%= config.bin %> eval plan.json --bundle oci://127.0.0.1:5000/policy:1.4.2 --key policy-signing.pub.pem',
  ];
  static override strict = false;
  static override args = {
    plans: Args.string({ description: 'plan JSON files, or - for standard input', required: true }),
  };
  static override flags = {
    format: Flags.string({ char: 'f', description: `output format, optionally with its own file: name or name=path (${FORMAT_NAMES.join(', ')}); repeatable`, multiple: true }),
    'output-file': Flags.string({ description: 'write the standard-output format to this file instead' }),
    'fail-on': Flags.string({ description: 'fail (exit 1) on failing findings at or above this severity [default: critical]', options: [...SEVERITIES] }),
    'warn-on': Flags.string({ description: 'warn on failing findings at or above this severity [default: low]', options: [...SEVERITIES] }),
    'changed-only': Flags.boolean({ description: 'only resources being created, updated or replaced (default: the full posture, no-op resources included)' }),
    only: Flags.string({ description: 'only these control ids or globs (comma-separated)' }),
    skip: Flags.string({ description: 'skip these control ids or globs (comma-separated)' }),
    bundle: Flags.string({ description: 'the bundle to evaluate: a .tar.gz file, <dir>#<name>@<version|channel>, an http(s):// URL or an oci:// reference [default: the built-in controls]' }),
    ...trustFlags,
    'allow-downgrade': Flags.boolean({ description: 'accept a signed bundle older than one accepted before' }),
    data: Flags.string({ description: 'organisation settings file (JSON or YAML), merged over data.cipa.settings (repeatable)', multiple: true }),
    config: Flags.string({ description: 'configuration file [default: ./cipa.yaml if present]' }),
    'source-root': Flags.string({ description: 'Terraform sources, to point findings at the .tf file and line' }),
    lockfile: Flags.string({ description: 'pin remote bundle references to their digest in this file [default: ./cipa.lock if present]' }),
  };

  public async run(): Promise<void> {
    const { argv, flags } = await this.parse(Eval);
    const plans = argv as string[];
    if (plans.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
    const configFile = await findConfig(process.cwd(), flags.config);
    const config = mergeConfig(configFile ? await loadConfig(configFile) : undefined, {
      ...(flags.format ? { format: flags.format } : {}),
      ...(flags['fail-on'] ? { 'fail-on': flags['fail-on'] as Severity } : {}),
      ...(flags['warn-on'] ? { 'warn-on': flags['warn-on'] as Severity } : {}),
      ...(flags.only !== undefined ? { only: flags.only } : {}),
      ...(flags.skip !== undefined ? { skip: flags.skip } : {}),
      ...(flags.bundle ? { bundle: flags.bundle } : {}),
      ...(flags.data ? { data: flags.data } : {}),
      ...(flags['source-root'] ? { 'source-root': flags['source-root'] } : {}),
    });
    const lockfile = flags.lockfile ?? (existsSync('cipa.lock') ? 'cipa.lock' : undefined);
    const progress = createProgress({ label: 'evaluating', total: plans.length });
    const outcome = await runGate({
      plans,
      config,
      changedOnly: flags['changed-only'],
      trust: { ...trustFromFlags(flags), allowDowngrade: flags['allow-downgrade'] },
      ...(lockfile ? { lockfile } : {}),
      onPlan: (i, _total, path) => {
        progress.label(`evaluating ${path}`);
        progress.update(i);
      },
    });
    progress.done();
    const options = {
      exceptions: { expired: outcome.expired, stale: outcome.stale },
      toolVersion: this.config.version,
      ...(outcome.locations ? { locations: outcome.locations } : {}),
    };
    for (const spec of config.formats) {
      const path = spec.path ?? flags['output-file'];
      const text = renderReport(spec.format, outcome.report, { ...options, color: path === undefined && useColor(process.stdout) });
      if (path === undefined) process.stdout.write(text);
      else await writeFileAtomic(path, text);
      if (spec.format === 'github') await appendStepSummary(renderGithubSummary(outcome.report, options), process.env);
    }
    if (config.formats.every((s) => (s.path ?? flags['output-file']) !== undefined)) {
      const c = palette(useColor(process.stderr));
      const verdict = outcome.report.summary.result;
      process.stderr.write(`${verdict === 'fail' ? c.red('FAIL') : verdict === 'warn' ? c.yellow('WARN') : c.green('PASS')}: reports written to ${config.formats.map((s) => s.path ?? flags['output-file']).join(', ')}\n`);
    }
    if (outcome.report.summary.result === 'fail') this.exit(1);
  }
}
