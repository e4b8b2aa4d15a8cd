import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { writeBundle } from '../../bundle/write.js';
import { packageRoot } from '../../paths.js';
import { buildBundle } from '../../policy/build.js';
import { readBundleDefinition } from '../../policy/definition.js';
import { CipaCommand } from '../base.js';

export default class BundleBuild extends CipaCommand {
  static override summary = 'Build a reproducible OPA bundle (Rego, policy.wasm, data.json, catalog) from a bundle definition.';
  static override examples = [
    '<%= config.bin %> bundle build --out cipa.tar.gz',
    '<%= config.bin %> bundle build bundles/acme.yaml --out dist/acme.tar.gz --version 1.4.2 --data org-settings.yaml',
  ];
  static override args = {
    definition: Args.string({ description: 'bundle definition file (JSON or YAML); default: the built-in bundles/cipa.yaml' }),
  };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'where to write the bundle (.tar.gz)', required: true }),
    version: Flags.string({ description: 'semver version of this build (default: the definition\'s)' }),
    'wasm-resolver': Flags.boolean({ description: 'declare policy.wasm as the entrypoint resolver in the manifest (only for OPA servers built with a Wasm engine)' }),
    data: Flags.string({ description: 'organisation settings file (JSON or YAML), merged over data.cipa.settings; repeatable', multiple: true }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(BundleBuild);
    const definition = await readBundleDefinition(args.definition ?? join(packageRoot(), 'bundles', 'cipa.yaml'));
    const built = await buildBundle({
      definition,
      ...(flags.version ? { version: flags.version } : {}),
      ...(flags.data ? { dataFiles: flags.data } : {}),
      declareWasm: flags['wasm-resolver'],
    });
    await writeBundle(built.files, flags.out);
    process.stderr.write(`built ${definition.name} ${built.manifest.metadata?.version as string} (${built.controls.length} controls, revision ${built.manifest.revision}) → ${flags.out}\n`);
  }
}
