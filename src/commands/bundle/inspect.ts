import { bundleRefArg, formatFlag, json, trustFlags, trustFromFlags } from '../../release/flags.js';
import { inspectBundleRef } from '../../release/inspect.js';
import { renderInspection } from '../../release/render.js';
import { verifyOptions } from '../../release/trust.js';
import { CipaCommand } from '../base.js';

export default class BundleInspect extends CipaCommand {
  static override summary = 'Show a bundle: manifest, identity, files, controls and signature state.';
  static override description = 'The signature is decoded but not trusted unless keys are given, in which case it must verify (exit 2 otherwise).';
  static override examples = [
    '<%= config.bin %> bundle inspect cipa.tar.gz',
    '<%= config.bin %> bundle inspect ./registry#cipa@stable --key release.pub.pem -f json',
  ];
  static override args = {
    bundle: bundleRefArg,
  };
  static override flags = { ...trustFlags, format: formatFlag };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(BundleInspect);
    const inspection = await inspectBundleRef(args.bundle, await verifyOptions(trustFromFlags(flags), false));
    process.stdout.write(flags.format === 'json' ? json(inspection) : renderInspection(inspection));
  }
}
