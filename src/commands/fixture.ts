import { Args, Flags } from '@oclif/core';
import { fixtureFromPlan, type FixtureFromPlanOptions } from '../authoring/fixture.js';
import { displayPath } from '../paths.js';
import { CipaCommand } from './base.js';

export default class Fixture extends CipaCommand {
  static override summary = 'Turn a real plan into a minimal, anonymised fixture for one control, with its expectation.';
  static override description = `Keeps the resources the control decides (or --resource) and the fewest others its decisions need, with the configuration that links them; drops prior state, planned values, variables and outputs; replaces account ids, ARNs, names, IPs and every sensitive value with stable placeholders; and writes <case>.expect.json from the current decisions for you to review. The fixture is evaluated again and any decision it does not reproduce is reported (exit 1). Writes testdata/controls/<id>/<case>.json; never overwrites.`;
  static override examples = [
    '<%= config.bin %> fixture plan.json --control CIPA-AWS-S3-01',
    '<%= config.bin %> fixture plan.json --control ACME-S3-01 --resource module.web.aws_s3_bucket.site --name public_site',
  ];
  static override args = {
    plan: Args.string({ description: 'plan JSON (terraform show -json)', required: true }),
  };
  static override flags = {
    control: Flags.string({ char: 'c', description: 'the control id', required: true }),
    resource: Flags.string({ char: 'r', description: 'keep only this resource address (and what its decision needs)' }),
    policy: Flags.string({ description: 'policy repository, bundle definition or policy directory to decide with [default: . when it is one, else the built-in controls]' }),
    bundle: Flags.string({ description: 'a built bundle (.tar.gz) to decide with instead' }),
    out: Flags.string({ description: 'fixtures directory [default: the project\'s testdata/controls]' }),
    name: Flags.string({ description: 'case name [default: anon-<digest>]' }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Fixture);
    const options: FixtureFromPlanOptions = { control: flags.control };
    if (flags.resource !== undefined) options.resource = flags.resource;
    if (flags.policy !== undefined) options.policy = flags.policy;
    if (flags.bundle !== undefined) options.bundle = flags.bundle;
    if (flags.out !== undefined) options.out = flags.out;
    if (flags.name !== undefined) options.name = flags.name;
    const written = await fixtureFromPlan(args.plan, options);
    const f = written.fixture;
    const rel = (file: string) => displayPath(file);
    process.stdout.write(`created ${rel(written.plan)}\ncreated ${rel(written.expectation)}\n`);
    process.stderr.write(`kept ${f.resources.kept} of ${f.resources.original} resources; ${Object.keys(f.expectation.decisions).length} decision(s) of ${f.expectation.control}: review ${rel(written.expectation)}\n`);
    if (f.changed.length > 0) {
      for (const c of f.changed) process.stderr.write(`warning: ${c.resource}: the plan decides ${c.original}, the anonymised fixture ${c.fixture}\n`);
      this.exit(1);
    }
  }
}
