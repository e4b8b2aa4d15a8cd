import { Args, Flags } from '@oclif/core';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { buildReport, builtinBundlePath, evaluatePlan, loadBundleFile, readPlan } from '../evaluate.js';
import { palette, useColor } from '../render/color.js';
import { renderJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import { SEVERITIES, type Severity } from '../severity.js';
import { CipaCommand } from './base.js';

export default class Eval extends CipaCommand {
  static override summary = 'Evaluate Terraform plans against the controls: the CI gate.';
  static override description = `Reads plan JSON (terraform show -json), evaluates every control of the bundle in WebAssembly, and exits 0 when no failing finding reaches --fail-on, 1 when one does, 2 on an error. Unknown findings (decided only after apply) and failures between --warn-on and --fail-on make the result "warn" without failing.`;
  static override examples = [
    '<%= config.bin %> eval plan.json',
    'terraform show -json plan.out | <%= config.bin %> eval - --fail-on high -f json',
    '<%= config.bin %> eval plan.json --bundle policy.tar.gz --key policy-signing.pub.pem',
  ];
  static override strict = false;
  static override args = {
    plans: Args.string({ description: 'plan JSON files, or - for standard input', required: true }),
  };
  static override flags = {
    format: Flags.string({ char: 'f', description: 'output format (text or json)', options: ['text', 'json'], default: 'text' }),
    'output-file': Flags.string({ description: 'write the report to this file instead of standard output' }),
    'fail-on': Flags.string({ description: 'fail (exit 1) on failing findings at or above this severity', options: [...SEVERITIES], default: 'critical' }),
    'warn-on': Flags.string({ description: 'warn on failing findings at or above this severity', options: [...SEVERITIES], default: 'low' }),
    'changed-only': Flags.boolean({ description: 'only resources being created, updated or replaced (default: the full posture, no-op resources included)' }),
    only: Flags.string({ description: 'only these control ids (comma-separated)' }),
    skip: Flags.string({ description: 'skip these control ids (comma-separated)' }),
    bundle: Flags.string({ description: 'evaluate this OPA bundle (.tar.gz) instead of the built-in controls' }),
  };

  public async run(): Promise<void> {
    const { argv, flags } = await this.parse(Eval);
    const paths = argv as string[];
    if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
    const failOn = flags['fail-on'] as Severity;
    const warnOn = flags['warn-on'] as Severity;
    const bundle = await loadBundleFile(flags.bundle ?? builtinBundlePath());
    const known = new Set(bundle.controls.map((c) => c.id));
    const only = splitIds(flags.only, known, '--only');
    const skip = splitIds(flags.skip, known, '--skip');
    const evaluated = [];
    for (const path of paths) evaluated.push(evaluatePlan(bundle, await readPlan(path)));
    const report = buildReport(bundle, evaluated, {
      failOn,
      warnOn,
      changedOnly: flags['changed-only'],
      ...(only ? { only } : {}),
      ...(skip ? { skip } : {}),
    });
    const toFile = flags['output-file'] !== undefined;
    const text =
      flags.format === 'json'
        ? renderJson(report)
        : renderText(report, { color: !toFile && useColor(process.stdout) });
    if (toFile) {
      await writeFileAtomic(flags['output-file']!, text);
      const c = palette(useColor(process.stderr));
      process.stderr.write(`${report.summary.result === 'fail' ? c.red('FAIL') : report.summary.result.toUpperCase()}: report written to ${flags['output-file']}\n`);
    } else {
      process.stdout.write(text);
    }
    if (report.summary.result === 'fail') this.exit(1);
  }
}

function splitIds(value: string | undefined, known: Set<string>, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`${flag}: no control ${unknown.join(', ')} in this bundle`, 'list them with `cipa controls`');
  return ids;
}
