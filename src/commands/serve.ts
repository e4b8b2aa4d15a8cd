import { Flags } from '@oclif/core';
import { startBundleServer } from '../serve/server.js';
import { CipaCommand } from './base.js';

export default class Serve extends CipaCommand {
  static override summary = 'Serve bundles from a directory registry to OPA servers over HTTP.';
  static override description =
    'GET /bundles/<name>/<version|channel> answers with the bundle and a strong ETag (its sha256 digest) and honours ' +
    'If-None-Match; GET /health reports readiness. Point an OPA `services` entry at the printed URL. Runs until ' +
    'interrupted; one log line per request goes to stderr.';

  static override examples = ['<%= config.bin %> serve --registry ./registry --port 8282'];

  static override flags = {
    registry: Flags.string({ required: true, description: 'root directory of a cipa directory registry' }),
    port: Flags.integer({ default: 8282, min: 0, max: 65535, description: 'port to listen on (0 picks a free one)' }),
    host: Flags.string({ default: '127.0.0.1', description: 'address to bind; loopback unless you mean otherwise' }),
    quiet: Flags.boolean({ default: false, description: 'no per-request log lines' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const log = flags.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
    const server = await startBundleServer({ registry: flags.registry, host: flags.host, port: flags.port, ...(log ? { log } : {}) });
    process.stderr.write(`cipa serve: listening on ${server.url} (registry ${flags.registry})\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
  }
}
