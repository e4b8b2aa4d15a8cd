import { Args, Flags } from '@oclif/core';
import { newControl, type NewControlOptions } from '../../authoring/scaffold.js';
import { CipaCommand } from '../base.js';

export default class NewControl extends CipaCommand {
  static override summary = 'Add a control: METADATA, Rego, unit tests, a failing and a passing fixture.';
  static override description = `Writes cipa/controls/<namespace>/<name>/ in the policy directory (in a repository made by cipa init, its policy/; the namespace is the one already there) and testdata/controls/<id>/failing|passing.json with expectations, ready for \`cipa test\`. Never overwrites.`;
  static override examples = ['<%= config.bin %> new control ACME-S3-02 --provider aws --service s3', '<%= config.bin %> new control ACME-GCS-01 --provider gcp --service storage --name gcs_owner_label'];
  static override args = {
    id: Args.string({ description: 'control id, e.g. ACME-S3-02', required: true }),
  };
  static override flags = {
    provider: Flags.string({ description: 'cloud provider', options: ['aws', 'azure', 'gcp'], default: 'aws' }),
    service: Flags.string({ description: 'service whose main resource type the example checks (s3, ec2, rds, storage, compute, …)' }),
    'resource-type': Flags.string({ description: 'the Terraform resource type to check (default: from --provider and --service)' }),
    name: Flags.string({ description: 'control name, the package\'s last segment [default: from the id]' }),
    namespace: Flags.string({ description: 'package segment under cipa.controls [default: the organisation\'s, or the provider]' }),
    dir: Flags.string({ description: 'policy repository or directory [default: .]' }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(NewControl);
    const options: NewControlOptions = { id: args.id, provider: flags.provider };
    if (flags.service !== undefined) options.service = flags.service;
    if (flags['resource-type'] !== undefined) options.resourceType = flags['resource-type'];
    if (flags.name !== undefined) options.name = flags.name;
    if (flags.namespace !== undefined) options.namespace = flags.namespace;
    if (flags.dir !== undefined) options.dir = flags.dir;
    const result = await newControl(options);
    for (const file of result.files) process.stdout.write(`created ${file}\n`);
    process.stderr.write(`package ${result.package ?? ''}: edit the rule, then run cipa test\n`);
  }
}
