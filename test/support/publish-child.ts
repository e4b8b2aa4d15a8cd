/**
 * A publisher process for the registry concurrency and crash tests.
 * usage: publish-child <root> <name> <version> <bundle-file> [--channel c] [--pause-at stage]
 * With --pause-at, prints "STAGE <stage>" when publication reaches that step and then waits to be killed.
 * Prints "OK <digest>" on success; on a CipaError prints "ERR <one line>" and exits 2.
 */
import { readFileSync } from 'node:fs';
import { DirectoryRegistry, type PublishStage } from '../../src/registry/directory.js';
import { CipaError } from '../../src/errors.js';

const [root, name, version, file, ...rest] = process.argv.slice(2);
let channel: string | undefined;
let pauseAt: string | undefined;
for (let i = 0; i < rest.length; i += 2) {
  if (rest[i] === '--channel') channel = rest[i + 1];
  if (rest[i] === '--pause-at') pauseAt = rest[i + 1];
}
if (!root || !name || !version || !file) {
  process.stderr.write('usage: publish-child <root> <name> <version> <bundle-file> [--channel c] [--pause-at stage]\n');
  process.exit(64);
}
const buffer = readFileSync(file);
const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
const registry = new DirectoryRegistry(root);
try {
  const result = await registry.publish(bytes, { name, version, ...(channel ? { channel } : {}) }, {
    lock: { timeoutMs: 60_000 },
    onStage: async (stage: PublishStage) => {
      if (stage !== pauseAt) return;
      process.stdout.write(`STAGE ${stage}\n`);
      await new Promise(() => setInterval(() => undefined, 1000));
    },
  });
  process.stdout.write(`OK ${result.digest}${result.unchanged ? ' unchanged' : ''}\n`);
} catch (error) {
  if (error instanceof CipaError) {
    process.stdout.write(`ERR ${error.oneLine()}\n`);
    process.exit(2);
  }
  throw error;
}
