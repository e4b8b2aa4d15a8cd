import { bundleRefArg, formatFlag, json, trustFlags, trustFromFlags } from '../../release/flags.js';
import { verifyBundleRef } from '../../release/inspect.js';
import { renderVerified } from '../../release/render.js';
import { verifyOptions } from '../../release/trust.js';
import { CipaCommand } from '../base.js';

export default class BundleVerify extends CipaCommand {
  static override summary = 'Verify a bundle\'s signature with trusted keys: exit 0 when verified, 2 otherwise.';
  static override description =
    'Checks what OPA checks, and more: exactly one JWT, the key chosen by id (--key-id, else the JWT kid) and used with ' +
    'its own algorithm, the scope, every file listed with the right hash and nothing extra or missing, no weak hashes, ' +
    'and the signed {name, version} equal to the manifest\'s. Prints what was verified on stdout; on failure one line ' +
    'on stderr naming the file and the problem.';
  static override examples = [
    '<%= config.bin %> bundle verify cipa.tar.gz --key release.pub.pem',
    '<%= config.bin %> bundle verify ./registry#cipa@stable --keys trusted-keys/ --scope prod -f json',
  ];
  static override args = {
    bundle: bundleRefArg,
  };
  static override flags = { ...trustFlags, format: formatFlag };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(BundleVerify);
    const verified = await verifyBundleRef(args.bundle, await verifyOptions(trustFromFlags(flags), true));
    process.stdout.write(flags.format === 'json' ? json({ verified: true, ...verified }) : renderVerified(verified));
  }
}
