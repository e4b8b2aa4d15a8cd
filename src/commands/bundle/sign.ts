import { Args, Flags } from '@oclif/core';
import { JWS_ALGORITHMS } from '../../bundle/keys.js';
import { formatFlag, json } from '../../release/flags.js';
import { renderSigned } from '../../release/render.js';
import { signBundleFile } from '../../release/sign.js';
import { CipaCommand } from '../base.js';

export default class BundleSign extends CipaCommand {
  static override summary = 'Sign a bundle: write .signatures.json (one JWT over every file\'s hash) into it, as OPA verifies it.';
  static override description =
    'The JWT carries the key id (header kid), the optional scope, and cipa\'s {name, version} claim from the manifest, so ' +
    'the signature cannot be moved onto another bundle or version. The bundle is re-packed reproducibly and replaced ' +
    'atomically (in place unless --out). Sign with a PEM private key (--key; RS*/PS* need RSA ≥ 2048 bits, ES* the ' +
    'matching curve) or an HMAC secret (--hmac-secret; the file\'s exact bytes, as OPA uses them). The key id defaults ' +
    'to the key file\'s name up to its first dot, so release.pem signs as "release" and release.pub.pem verifies it.';
  static override examples = [
    'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out release.pem',
    '<%= config.bin %> bundle sign cipa.tar.gz --key release.pem',
    '<%= config.bin %> bundle sign cipa.tar.gz --key release.pem --key-id release-2026 --scope prod --out signed.tar.gz',
    '<%= config.bin %> bundle sign cipa.tar.gz --hmac-secret ci.hmac --alg HS512',
  ];
  static override args = {
    file: Args.string({ description: 'the bundle (.tar.gz)', required: true }),
  };
  static override flags = {
    key: Flags.string({ description: 'PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted)', exclusive: ['hmac-secret'] }),
    'hmac-secret': Flags.string({ description: 'file holding the HMAC secret (for HS256/384/512)', exclusive: ['key'] }),
    'key-id': Flags.string({ description: 'key id written as the JWT kid [default: the key file name up to its first dot]' }),
    alg: Flags.string({ description: 'signing algorithm [default: from the key: RS256 for RSA, ES256/384/512 by curve, HS256 for a secret]', options: [...JWS_ALGORITHMS] }),
    scope: Flags.string({ description: 'scope claim (OPA compares it with signing.scope)' }),
    out: Flags.string({ char: 'o', description: 'write the signed bundle here instead of replacing the input' }),
    format: formatFlag,
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(BundleSign);
    const result = await signBundleFile({
      input: args.file,
      ...(flags.out ? { out: flags.out } : {}),
      ...(flags.key ? { keyFile: flags.key } : {}),
      ...(flags['hmac-secret'] ? { hmacSecret: flags['hmac-secret'] } : {}),
      ...(flags['key-id'] ? { keyId: flags['key-id'] } : {}),
      ...(flags.alg ? { algorithm: flags.alg } : {}),
      ...(flags.scope !== undefined ? { scope: flags.scope } : {}),
    });
    if (flags.format === 'json') process.stdout.write(json(result));
    else process.stderr.write(renderSigned(result));
  }
}
