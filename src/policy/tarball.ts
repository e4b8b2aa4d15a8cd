import { Parser, type ReadEntry } from 'tar';
import { CompileError } from '../errors.js';

/**
 * Extracts one file from a gzip tar that opa itself just wrote (a trusted, local build output; untrusted
 * bundles go through src/bundle/read.ts with its limits).
 */
export async function extractFile(gz: Buffer, name: string): Promise<Buffer> {
  const wanted = name.replace(/^\/+/, '');
  return new Promise((resolve, reject) => {
    let found: Buffer | undefined;
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        if (entry.path.replace(/^\/+/, '') !== wanted) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          found = Buffer.concat(chunks);
        });
      },
    });
    parser.on('error', (e: Error) => reject(new CompileError(`cannot read opa build output: ${e.message}`)));
    parser.on('end', () => (found ? resolve(found) : reject(new CompileError(`opa build output has no ${wanted}`))));
    parser.end(gz);
  });
}
