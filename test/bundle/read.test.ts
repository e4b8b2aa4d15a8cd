import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BundleError, InputError } from '../../src/errors.js';
import { readBundle, readBundleBytes } from '../../src/bundle/read.js';
import { bundleBytes } from '../../src/bundle/write.js';
import { type CraftedEntry, craftTar, craftTarGz, enc, gzip, sampleFiles, tmp } from './helpers.js';

const manifest = { name: '/.manifest', body: '{"revision":"r"}' };

describe('readBundleBytes reads what OPA reads', () => {
  it('returns every regular file by normalised path, the manifest and the signatures', async () => {
    const bytes = craftTarGz([
      manifest,
      { name: '/a/data.json', body: '{"x":1}' },
      { name: './b/policy.rego', body: 'package b' },
      { name: 'c/plain.txt', type: 'OldFile', body: 'legacy typeflag' },
      { name: '/.signatures.json', body: '{"signatures":["a.b.c"]}' },
    ]);
    const bundle = await readBundleBytes(bytes, 'crafted.tar.gz');
    expect([...bundle.files.keys()].sort()).toEqual(['.manifest', '.signatures.json', 'a/data.json', 'b/policy.rego', 'c/plain.txt']);
    expect(bundle.files.get('b/policy.rego')?.toString()).toBe('package b');
    expect(bundle.manifest).toEqual({ revision: 'r' });
    expect(bundle.hasManifest).toBe(true);
    expect(bundle.signatures).toEqual({ signatures: ['a.b.c'] });
  });

  it('skips directory entries (including / and ./)', async () => {
    const bytes = craftTarGz([
      { name: './', type: 'Directory' },
      { name: '/', type: 'Directory' },
      { name: '/a/', type: 'Directory' },
      { name: '/a/data.json', body: '{}' },
    ]);
    const bundle = await readBundleBytes(bytes, 'dirs.tar.gz');
    expect([...bundle.files.keys()]).toEqual(['a/data.json']);
    expect(bundle.hasManifest).toBe(false);
    expect(bundle.manifest).toEqual({ revision: '' });
  });

  it('reads a bundle written by the real opa build', async () => {
    const bundle = await readBundle(join(import.meta.dirname, '../../testdata/bundles/sample.tar.gz'));
    expect(bundle.manifest.metadata).toEqual({ name: 'demo', version: '1.2.3' });
  });

  it('reads concatenated gzip members as one stream, as Go does', async () => {
    const tar = craftTar([manifest, { name: '/x.rego', body: 'package x' }]);
    const a = gzipSync(tar.subarray(0, 700));
    const b = gzipSync(tar.subarray(700));
    const bundle = await readBundleBytes(new Uint8Array(Buffer.concat([a, b] as unknown as Uint8Array[])), 'multi');
    expect([...bundle.files.keys()].sort()).toEqual(['.manifest', 'x.rego']);
  });

  it('uses a pax path record, and checks it like any name', async () => {
    const ok = await readBundleBytes(craftTarGz([{ name: 'short', body: 'x', pax: { path: '/long/name/from/pax.rego' } }]), 'pax');
    expect([...ok.files.keys()]).toEqual(['long/name/from/pax.rego']);
    await expect(readBundleBytes(craftTarGz([{ name: 'short', body: 'x', pax: { path: '../escape.rego' } }]), 'pax')).rejects.toThrow(/escapes the bundle/);
  });
});

describe('readBundleBytes rejects hostile or ambiguous archives', () => {
  const cases: Array<[string, CraftedEntry[], RegExp]> = [
    ['a symlink', [{ name: '/link.rego', type: 'SymbolicLink', linkpath: '/etc/passwd' }], /entry '\/link\.rego' is a symbolic link/],
    ['a hard link', [manifest, { name: '/hard.rego', type: 'Link', linkpath: '/.manifest' }], /is a hard link/],
    ['a character device', [{ name: '/dev', type: 'CharacterDevice' }], /is a device/],
    ['a block device', [{ name: '/blk', type: 'BlockDevice' }], /is a device/],
    ['a FIFO', [{ name: '/fifo', type: 'FIFO' }], /is a FIFO/],
    ['a contiguous file (OPA ignores type 7)', [{ name: '/c.rego', type: 'ContiguousFile', body: 'x' }], /unsupported tar entry type \(ContiguousFile\)/],
    ['a .. path', [{ name: '/a/../../etc/passwd', body: 'x' }], /escapes the bundle with \.\./],
    ['a bare ..', [{ name: '../x', body: 'x' }], /escapes the bundle/],
    ['an absolute path after normalising', [{ name: '//etc/passwd', body: 'x' }], /is an absolute path/],
    ['a ./ then absolute', [{ name: './/x', body: 'x' }], /is an absolute path/],
    ['an empty segment', [{ name: '/a//b', body: 'x' }], /empty or \. path segment/],
    ['a . segment', [{ name: '/a/./b', body: 'x' }], /empty or \. path segment/],
    ['a backslash', [{ name: '/a\\..\\b', body: 'x' }], /backslash/],
    ['a directory entry escaping the bundle', [{ name: '/../up/', type: 'Directory' }], /escapes the bundle/],
    ['a duplicate name', [{ name: '/a.rego', body: 'x' }, { name: '/a.rego', body: 'y' }], /duplicate entry 'a\.rego'/],
    ['a duplicate after normalising / and no slash', [{ name: '/a.rego', body: 'x' }, { name: 'a.rego', body: 'y' }], /duplicate entry 'a\.rego'/],
    ['a duplicate after normalising ./', [{ name: './a.rego', body: 'x' }, { name: '/a.rego', body: 'y' }], /duplicate entry 'a\.rego'/],
    ['a nested manifest (OPA matches *.manifest anywhere)', [{ name: '/x/evil.manifest', body: '{}' }], /would be read by OPA as the manifest/],
    ['a nested signatures file', [{ name: '/x/.signatures.json', body: '{}' }], /would be read by OPA as a signatures file/],
    ['a suffix-matching signatures file', [{ name: '/xsignatures.json', body: '{}' }], /as a signatures file/],
    ['a delta bundle', [{ name: '/patch.json', body: '{"data":[]}' }], /delta bundles \(patch\.json\) are not supported/],
    ['a wasm module named in the manifest but missing', [{ name: '/.manifest', body: '{"wasm":[{"entrypoint":"a","module":"/policy.wasm"}]}' }], /references wasm module/],
    ['an invalid manifest', [{ name: '/.manifest', body: '{"revision":1}' }], /manifest\.revision must be string/],
    ['an invalid signatures file', [{ name: '/.signatures.json', body: '{"signatures":"x"}' }], /signatures must be an array of strings/],
  ];
  it.each(cases)('%s', async (_name, entries, message) => {
    const attempt = readBundleBytes(craftTarGz(entries), 'evil.tar.gz');
    await expect(attempt).rejects.toThrow(BundleError);
    await expect(readBundleBytes(craftTarGz(entries), 'evil.tar.gz')).rejects.toThrow(message);
    await expect(readBundleBytes(craftTarGz(entries), 'evil.tar.gz')).rejects.toThrow(/^evil\.tar\.gz: /);
  });

  it('rejects data that is not gzip', async () => {
    await expect(readBundleBytes(craftTar([manifest]), 'plain.tar')).rejects.toThrow(/plain\.tar: not a gzip file/);
  });

  it('rejects corrupt gzip data', async () => {
    const gz = Buffer.from(gzip(craftTar([manifest])));
    gz[20] = gz[20]! ^ 0xff;
    await expect(readBundleBytes(new Uint8Array(gz), 'corrupt')).rejects.toThrow(/corrupt gzip data|not a valid tar/);
  });

  it('rejects a gzip stream that is not a tar', async () => {
    await expect(readBundleBytes(gzip(enc('hello, this is not a tar archive'.repeat(40))), 'nottar')).rejects.toThrow(BundleError);
  });

  it('rejects a header with a bad checksum (node-tar in strict mode, like Go)', async () => {
    const tar = Buffer.from(craftTar([manifest, { name: '/x.rego', body: 'x' }]));
    tar[1024 + 10] = 0x41; // second header's name, checksum no longer matches
    await expect(readBundleBytes(gzip(new Uint8Array(tar)), 'cksum')).rejects.toThrow(/checksum/);
  });

  it('rejects a truncated archive', async () => {
    const tar = craftTar([manifest, { name: '/big.rego', body: 'x'.repeat(5000) }], { end: false });
    await expect(readBundleBytes(gzip(tar.subarray(0, 3000)), 'trunc')).rejects.toThrow(/truncated|Truncated/);
  });

  it('rejects an archive without the end-of-archive marker', async () => {
    await expect(readBundleBytes(craftTarGz([manifest], { end: false }), 'noend')).rejects.toThrow(/no end-of-archive marker/);
  });

  it('rejects garbage after the gzip stream (opa 1.22.4 ignores it; cipa is stricter)', async () => {
    const good = Buffer.from(craftTarGz([manifest]));
    const trailing = new Uint8Array(Buffer.concat([good, Buffer.from('GARBAGE-TRAILER')] as unknown as Uint8Array[]));
    await expect(readBundleBytes(trailing, 'trailer')).rejects.toThrow(/trailer: corrupt gzip data/);
  });

  it('rejects an oversized pax record instead of silently dropping it (Go would apply it)', async () => {
    const entries: CraftedEntry[] = [{ name: 'short.rego', body: 'x', pax: { path: 'p.rego', comment: 'x'.repeat(70 * 1024) } }];
    await expect(readBundleBytes(craftTarGz(entries), 'bigpax')).rejects.toThrow(/tar metadata record .* is larger than 65536 bytes/);
  });

  it('rejects a gzip inside the gzip', async () => {
    await expect(readBundleBytes(gzip(craftTarGz([manifest])), 'double')).rejects.toThrow(/compressed archive inside/);
  });
});

describe('limits, enforced while streaming', () => {
  it('caps the number of entries', async () => {
    const entries = Array.from({ length: 11 }, (_, i) => ({ name: `/f${i}.rego`, body: 'x' }));
    await expect(readBundleBytes(craftTarGz(entries), 'many', { maxEntries: 10 })).rejects.toThrow(/more than 10 entries/);
    await expect(readBundleBytes(craftTarGz(entries.slice(0, 10)), 'many', { maxEntries: 10 })).resolves.toBeDefined();
  });

  it('caps directory entries too', async () => {
    const entries: CraftedEntry[] = Array.from({ length: 5 }, (_, i) => ({ name: `/d${i}/`, type: 'Directory' }));
    await expect(readBundleBytes(craftTarGz(entries), 'dirs', { maxEntries: 4 })).rejects.toThrow(/more than 4 entries/);
  });

  it('caps a single file by its header size, before reading it', async () => {
    await expect(readBundleBytes(craftTarGz([{ name: '/big.json', body: 'x'.repeat(2000) }]), 'big', { maxFileBytes: 1000 })).rejects.toThrow(
      /file 'big\.json' is 2000 bytes, more than the 1000-byte per-file limit/,
    );
  });

  it('caps the total of file sizes', async () => {
    const entries = Array.from({ length: 4 }, (_, i) => ({ name: `/f${i}.txt`, body: 'x'.repeat(400) }));
    await expect(readBundleBytes(craftTarGz(entries), 'total', { maxTotalBytes: 1500 })).rejects.toThrow(/files add up to more than the 1500-byte limit/);
  });

  it('caps the compressed size', async () => {
    await expect(readBundleBytes(craftTarGz([manifest]), 'c', { maxCompressedBytes: 10 })).rejects.toThrow(/more than the 10-byte limit/);
    const dir = tmp('cipa-read-');
    const path = join(dir, 'b.tar.gz');
    writeFileSync(path, craftTarGz([manifest]));
    await expect(readBundle(path, { maxCompressedBytes: 10 })).rejects.toThrow(`${path}: bundle is`);
  });

  it('stops a gzip bomb (1 GiB of zeros in under 2 MiB) once the decompressed stream passes the cap', async () => {
    // The reader counts every decompressed byte (trailing data after the tar end included) and stops at the cap.
    const header = craftTar([{ name: '/bomb.json', body: '', size: 0 }], { end: false }).subarray(0, 512);
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const member = gzipSync(Buffer.concat([Buffer.from(header) as unknown as Uint8Array, zeros as unknown as Uint8Array]) as unknown as Uint8Array);
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => member) as unknown as Uint8Array[]);
    await expect(readBundleBytes(new Uint8Array(bomb), 'bomb.tar.gz', { maxTotalBytes: 1024 * 1024, maxEntries: 100 })).rejects.toThrow(
      /bomb\.tar\.gz: decompresses to more than \d+ bytes/,
    );
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
  });

  it('stops a file that inflates beyond the per-file cap', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024);
    const bytes = craftTarGz([{ name: '/zeros.json', body: new Uint8Array(body) }]);
    expect(bytes.length).toBeLessThan(64 * 1024);
    await expect(readBundleBytes(bytes, 'zeros', { maxFileBytes: 1024 * 1024 })).rejects.toThrow(/per-file limit/);
  });
});

describe('readBundle', () => {
  it('names the file when it cannot be read', async () => {
    await expect(readBundle('/nonexistent/b.tar.gz')).rejects.toThrow(InputError);
    await expect(readBundle('/nonexistent/b.tar.gz')).rejects.toThrow('/nonexistent/b.tar.gz: cannot read bundle: no such file');
    await expect(readBundle(tmp('cipa-dir-'))).rejects.toThrow(/is a directory/);
  });

  it('property: random bytes never crash the reader with anything but a BundleError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), async (noise, wrap) => {
        const bytes = wrap ? new Uint8Array(gzipSync(noise as unknown as Uint8Array)) : noise;
        try {
          await readBundleBytes(bytes, 'noise');
        } catch (error) {
          expect(error).toBeInstanceOf(BundleError);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('property: flipping any byte of a valid bundle gives the same files or a BundleError, never a crash', async () => {
    const good = bundleBytes(sampleFiles());
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, xor) => {
        const mutated = Buffer.from(good);
        mutated[index] = mutated[index]! ^ xor;
        try {
          await readBundleBytes(new Uint8Array(mutated), 'flip');
        } catch (error) {
          expect(error).toBeInstanceOf(BundleError);
        }
      }),
      { numRuns: 150 },
    );
  });
});
