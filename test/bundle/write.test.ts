import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Parser, type ReadEntry } from 'tar';
import { describe, expect, it } from 'vitest';
import { BundleError, InputError } from '../../src/errors.js';
import { readBundleBytes } from '../../src/bundle/read.js';
import { bundleBytes, tarBytes, writeBundle } from '../../src/bundle/write.js';
import { enc, opa, sampleFiles, tmp } from './helpers.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function listTar(tar: Uint8Array): ReadEntry[] {
  const entries: ReadEntry[] = [];
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    entries.push(entry);
    entry.resume();
  });
  parser.write(Buffer.from(tar) as unknown as Uint8Array);
  parser.end();
  return entries;
}

describe('bundleBytes is byte-for-byte reproducible', () => {
  it('gives the same bytes whatever the insertion order and leading-slash spelling of the paths', () => {
    const files = sampleFiles();
    const reversed = new Map([...files].reverse().map(([k, v]) => [`/${k}`, v]));
    expect(Buffer.from(bundleBytes(files)).equals(Buffer.from(bundleBytes(reversed)))).toBe(true);
  });

  it('matches the committed golden bundle (testdata/bundles/sample.tar.gz)', () => {
    const golden = readFileSync(join(import.meta.dirname, '../../testdata/bundles/sample.tar.gz'));
    const ours = bundleBytes(sampleFiles());
    expect(sha256(gunzipSync(ours) as unknown as Uint8Array)).toBe(sha256(gunzipSync(golden) as unknown as Uint8Array));
    expect(sha256(ours)).toBe(sha256(golden));
  });

  it('writes a fixed gzip header: no name, mtime 0, XFL 2 (level 9), OS 255', () => {
    const gz = bundleBytes(sampleFiles());
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
  });

  it('writes sorted regular files only, named with a leading /, mode 0644, uid/gid 0, mtime 0, no owner names, no pax', () => {
    const tar = tarBytes(sampleFiles());
    const entries = listTar(tar);
    expect(entries.map((e) => e.path)).toEqual(['/.manifest', '/demo/config/data.json', '/demo/policy.rego']);
    for (const entry of entries) {
      expect(entry.type).toBe('File');
      expect(entry.mode).toBe(0o644);
      expect(entry.uid).toBe(0);
      expect(entry.gid).toBe(0);
      expect(entry.mtime?.getTime()).toBe(0);
      expect(entry.uname ?? '').toBe('');
      expect(entry.gname ?? '').toBe('');
      expect(entry.header.atime).toBeUndefined();
    }
    // Every 512-byte header's typeflag is '0': no pax ('x'/'g') or GNU long-name records anywhere.
    const typeflags: string[] = [];
    let offset = 0;
    while (offset < tar.length && tar[offset] !== 0) {
      typeflags.push(String.fromCharCode(tar[offset + 156]!));
      const size = parseInt(Buffer.from(tar.subarray(offset + 124, offset + 136)).toString().replace(/\0.*$/, ''), 8);
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    expect(typeflags).toEqual(['0', '0', '0']);
    // …ending with exactly two zero blocks.
    expect(tar.length).toBe(offset + 1024);
  });

  it('stores a long path in the USTAR prefix field, and reads it back', async () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}/data.json`;
    const bundle = await readBundleBytes(bundleBytes(new Map([[long, enc('{}')]])), 'long');
    expect([...bundle.files.keys()]).toEqual([long]);
  });

  it('property: any set of safe files round-trips through readBundleBytes unchanged', async () => {
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `${parts.join('/')}.txt`);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(path, fc.uint8Array({ maxLength: 2000 }), { minKeys: 1, maxKeys: 8 }), async (record) => {
        const files = new Map(Object.entries(record));
        const bundle = await readBundleBytes(bundleBytes(files), 'prop');
        expect([...bundle.files.keys()].sort()).toEqual([...files.keys()].sort());
        for (const [name, bytes] of files) expect(Buffer.from(bundle.files.get(name)!).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('bundleBytes refuses paths it cannot write safely', () => {
  it.each([
    ['a duplicate after normalising the leading /', new Map([['a.rego', enc('x')], ['/a.rego', enc('y')]]), /duplicate bundle path 'a.rego'/],
    ['..', new Map([['a/../b.rego', enc('x')]]), /escapes the bundle with \.\./],
    ['an absolute path after normalisation', new Map([['//etc/passwd', enc('x')]]), /is an absolute path/],
    ['a backslash', new Map([['a\\b.rego', enc('x')]]), /backslash/],
    ['a non-ASCII name', new Map([['é.rego', enc('x')]]), /printable ASCII/],
    ['a name too long for USTAR', new Map([['x'.repeat(300), enc('x')]]), /too long for a USTAR header/],
    ['an empty name', new Map([['', enc('x')]]), /empty path/],
  ])('%s', (_name, files, message) => {
    expect(() => bundleBytes(files)).toThrow(BundleError);
    expect(() => bundleBytes(files)).toThrow(message);
  });
});

describe('writeBundle', () => {
  it('writes atomically (no temp file left) and the real opa loads the result', () => {
    return (async () => {
      const dir = tmp('cipa-write-');
      const out = join(dir, 'out', 'bundle.tar.gz');
      await writeBundle(sampleFiles(), out);
      expect(readdirSync(join(dir, 'out'))).toEqual(['bundle.tar.gz']);
      const result = opa(['build', '-b', out, '-o', join(dir, 'rebuilt.tar.gz')], dir);
      expect(result.status, result.stderr).toBe(0);
      const evalResult = opa(['eval', '-b', out, '--format', 'raw', 'data.demo.greeting'], dir);
      expect(evalResult.status, evalResult.stderr).toBe(0);
      expect(evalResult.stdout.trim()).toBe('hello');
    })();
  });

  it('reports an unwritable target as an InputError naming the file', async () => {
    const dir = tmp('cipa-write-');
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const target = join(blocker, 'bundle.tar.gz');
    await expect(writeBundle(sampleFiles(), target)).rejects.toThrow(InputError);
    await expect(writeBundle(sampleFiles(), target)).rejects.toThrow(`${target}: cannot write bundle`);
    expect(existsSync(target)).toBe(false);
  });
});
