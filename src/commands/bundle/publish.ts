import { Args, Flags } from '@oclif/core';
import { formatFlag, json, todayFlag, trustFlags, trustFromFlags } from '../../release/flags.js';
import { publishBundle } from '../../release/publish.js';
import { renderPublished } from '../../release/render.js';
import { verifyOptions } from '../../release/trust.js';
import { CipaCommand } from '../base.js';

export default class BundlePublish extends CipaCommand {
  static override summary = 'Publish a bundle to a directory registry or an OCI registry, enforcing the semver policy.';
  static override description =
    'Before publishing, the bundle is compared with the highest version of the same bundle name already published ' +
    'below it (directory registry: its index; OCI: the repository\'s semver tags). A version smaller than the changes ' +
    'need (removed controls, raised severities or new failures over --plans need a major, new controls a minor: see ' +
    'docs/versioning.md) is refused with the reasons, exit 2. A published version is never overwritten. With keys, ' +
    'the signature is verified first.';
  static override examples = [
    '<%= config.bin %> bundle publish cipa.tar.gz --to ./registry --channel stable --plans testdata/plans',
    '<%= config.bin %> bundle publish cipa.tar.gz --to oci://127.0.0.1:5000/policy/cipa --channel stable --key release.pub.pem',
  ];
  static override args = {
    file: Args.string({ description: 'the bundle (.tar.gz); its manifest names it and gives its version', required: true }),
  };
  static override flags = {
    to: Flags.string({ description: 'a directory registry path, or oci://host[:port]/repository[:<version>]', required: true }),
    channel: Flags.string({ description: 'point this channel (directory registry) or tag (OCI) at the new version' }),
    plans: Flags.string({ description: 'directory of plan JSON files whose decisions must not newly fail without a major' }),
    today: todayFlag,
    ...trustFlags,
    format: formatFlag,
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(BundlePublish);
    const verify = await verifyOptions(trustFromFlags(flags), false);
    const outcome = await publishBundle({
      file: args.file,
      to: flags.to,
      ...(flags.channel ? { channel: flags.channel } : {}),
      ...(flags.plans ? { plans: flags.plans } : {}),
      ...(flags.today ? { today: flags.today } : {}),
      ...(verify ? { verify } : {}),
    });
    process.stdout.write(flags.format === 'json' ? json(outcome) : renderPublished(outcome));
  }
}
