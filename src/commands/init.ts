import { Args, Flags } from '@oclif/core';
import { initRepository } from '../authoring/scaffold.js';
import { CipaCommand } from './base.js';

export default class Init extends CipaCommand {
  static override summary = 'Create a policy repository for an organisation: built-in controls plus its own.';
  static override description = `Writes bundle.yaml (the built-in controls and policy/), cipa.yaml, settings for approved services and module sources, an example control with unit tests and fixtures, a CI recipe and a README. Refuses to overwrite anything. \`cipa test\` passes in the new repository and \`cipa bundle build bundle.yaml --out …\` builds it.`;
  static override examples = ['<%= config.bin %> init acme-policy --org acme', '<%= config.bin %> init'];
  static override args = {
    dir: Args.string({ description: 'the directory to create or fill [default: .]' }),
  };
  static override flags = {
    org: Flags.string({ description: 'organisation name: Rego package segment (cipa.controls.<org>) and control id prefix [default: from the directory name]' }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    const dir = args.dir ?? '.';
    const result = await initRepository(dir, flags.org === undefined ? {} : { org: flags.org });
    for (const file of result.files) process.stdout.write(`created ${file}\n`);
    process.stderr.write(`next: cd ${dir} && cipa test\n`);
  }
}
