import { Args, Flags } from '@oclif/core';
import { diffBundles, openSide, readPlanCorpus } from '../../release/diff.js';
import { formatFlag, json, todayFlag, trustFlags, trustFromFlags } from '../../release/flags.js';
import { openBundleRef } from '../../release/inspect.js';
import { renderDiff } from '../../release/render.js';
import { verifyOptions } from '../../release/trust.js';
import { CipaCommand } from '../base.js';

export default class BundleDiff extends CipaCommand {
  static override summary = 'Compare two bundles: controls added, removed, with a new severity or metadata, and decisions that change over a corpus of plans.';
  static override description =
    'With --plans, every plan JSON below the directory is evaluated with both bundles (WebAssembly) and every ' +
    '(plan, control, resource) whose decision differs is listed. The output ends with the version bump the changes ' +
    'need under the semver policy (docs/versioning.md), which `cipa bundle publish` enforces.';
  static override examples = [
    '<%= config.bin %> bundle diff ./registry#cipa@stable cipa.tar.gz --plans testdata/plans',
    '<%= config.bin %> bundle diff old.tar.gz new.tar.gz -f json',
  ];
  static override args = {
    old: Args.string({ description: 'the earlier bundle (file or reference)', required: true }),
    new: Args.string({ description: 'the later bundle (file or reference)', required: true }),
  };
  static override flags = {
    plans: Flags.string({ description: 'directory of plan JSON files (terraform show -json), searched recursively; *.expect.json skipped' }),
    today: todayFlag,
    ...trustFlags,
    format: formatFlag,
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(BundleDiff);
    const verify = await verifyOptions(trustFromFlags(flags), false);
    const sides = [];
    for (const ref of [args.old, args.new]) {
      const opened = await openBundleRef(ref);
      sides.push(await openSide(opened.bytes, opened.source, verify ? { verify } : {}));
    }
    const plans = flags.plans === undefined ? undefined : await readPlanCorpus(flags.plans);
    const diff = diffBundles(sides[0]!, sides[1]!, {
      ...(plans ? { plans, plansRoot: flags.plans! } : {}),
      ...(flags.today ? { today: flags.today } : {}),
    });
    process.stdout.write(flags.format === 'json' ? json(diff) : renderDiff(diff));
  }
}
