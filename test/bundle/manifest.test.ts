import { describe, expect, it } from 'vitest';
import { BundleError } from '../../src/errors.js';
import {
  bundleIdentity,
  checkManifestFiles,
  effectiveRoots,
  manifestBytes,
  parseManifest,
  requireBundleIdentity,
  rootsContain,
} from '../../src/bundle/manifest.js';
import { enc } from './helpers.js';

const parse = (value: unknown) => parseManifest(enc(typeof value === 'string' ? value : JSON.stringify(value)), 'b.tar.gz: .manifest');

describe('parseManifest accepts OPA manifests', () => {
  it.each([
    ['empty object (revision defaults to "")', {}, { revision: '' }],
    ['revision only', { revision: 'abc' }, { revision: 'abc' }],
    [
      'everything',
      {
        revision: 'r',
        roots: ['cipa', 'other/x'],
        wasm: [{ entrypoint: 'cipa/main/report', module: '/policy.wasm', annotations: [] }],
        rego_version: 1,
        file_rego_versions: { '/legacy/*.rego': 0 },
        metadata: { name: 'cipa', version: '1.0.0-rc.1', anything: { nested: true } },
      },
      undefined,
    ],
    ['rego v2', { revision: '', rego_version: 2 }, { revision: '', rego_version: 2 }],
    ['root "" alone', { revision: '', roots: [''] }, { revision: '', roots: [''] }],
  ])('%s', (_name, input, want) => {
    expect(parse(input)).toEqual(want ?? input);
  });

  it('rejects a UTF-8 BOM, as OPA\'s manifest decoder does', () => {
    expect(() => parse('\ufeff{"revision":"x"}')).toThrow(/byte order mark/);
  });
});

describe('parseManifest rejects unknown-shaped manifests with one clear line', () => {
  it.each([
    ['not JSON', '{revision: 1}', /invalid JSON/],
    ['an array', '[]', /manifest must be object/],
    ['unknown top-level field', { revision: 'x', version: '1.0.0' }, /unknown field 'version' \(custom fields belong under metadata\)/],
    ['revision not a string', { revision: 3 }, /manifest\.revision must be string/],
    ['roots not strings', { roots: [1] }, /manifest\.roots\.0 must be string/],
    ['rego_version 3', { rego_version: 3 }, /manifest\.rego_version must be one of \[0,1,2\]/],
    ['wasm without module', { wasm: [{ entrypoint: 'a' }] }, /must have required property 'module'/],
    ['wasm with extra field', { wasm: [{ entrypoint: 'a', module: '/policy.wasm', x: 1 }] }, /unknown field 'x'/],
    ['metadata not an object', { metadata: 'x' }, /manifest\.metadata must be object/],
    ['overlapping roots', { roots: ['a/b', 'a'] }, /overlapped roots: 'a\/b' and 'a'/],
    ['"" overlaps all', { roots: ['', 'a'] }, /overlapped roots/],
    ['root with leading slash', { roots: ['/a'] }, /not a clean slash-separated path/],
    ['root with ..', { roots: ['a/../b'] }, /not a clean/],
    ['entrypoint outside roots', { roots: ['a'], wasm: [{ entrypoint: 'b/allow', module: '/policy.wasm' }] }, /do not permit wasm entrypoint 'b\/allow'/],
    ['entrypoint twice', { wasm: [{ entrypoint: 'a', module: '/policy.wasm' }, { entrypoint: 'a', module: '/x/policy.wasm' }] }, /declared more than once/],
    ['wasm module not policy.wasm', { wasm: [{ entrypoint: 'a', module: '/x.wasm' }] }, /must be a file named policy\.wasm/],
    ['duplicate keys', '{"revision":"a","revision":"b"}', /duplicate key 'revision'/],
    ['bad bundle name', { metadata: { name: 'Cipa Bundle', version: '1.0.0' } }, /metadata\.name must be a lowercase bundle name/],
    ['bad version', { metadata: { name: 'cipa', version: 'v1' } }, /metadata\.version must be a semantic version/],
    ['version without name', { metadata: { version: '1.0.0' } }, /metadata\.name/],
  ])('%s', (_name, input, message) => {
    const run = () => parse(input);
    expect(run).toThrow(BundleError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as BundleError).oneLine()).toMatch(/^b\.tar\.gz: \.manifest: /);
      expect((error as BundleError).oneLine()).not.toContain('\n');
      expect((error as BundleError).exitCode).toBe(2);
    }
  });
});

describe('roots', () => {
  it.each([
    [[''], 'anything/at/all', true],
    [['cipa'], 'cipa/main/report', true],
    [['cipa'], 'cipa', true],
    [['cipa'], 'cipax/main', false],
    [['a/b'], 'a', false],
  ])('%j contains %s → %s', (roots, path, want) => {
    expect(rootsContain(roots, path)).toBe(want);
  });

  it('defaults to [""]', () => {
    expect(effectiveRoots({ revision: '' })).toEqual(['']);
  });
});

describe('identity and files', () => {
  it('reads the cipa identity from metadata', () => {
    const m = parse({ revision: '', metadata: { name: 'cipa/aws', version: '2.0.1' } });
    expect(bundleIdentity(m, 'x')).toEqual({ name: 'cipa/aws', version: '2.0.1' });
    expect(bundleIdentity(parse({}), 'x')).toBeUndefined();
    expect(() => requireBundleIdentity(parse({}), 'x')).toThrow(/no metadata\.name and metadata\.version/);
  });

  it('checks that wasm modules exist', () => {
    const m = parse({ wasm: [{ entrypoint: 'a', module: '/policy.wasm' }] });
    expect(() => checkManifestFiles(m, ['policy.wasm'], 'b')).not.toThrow();
    expect(() => checkManifestFiles(m, ['data.json'], 'b')).toThrow(/references wasm module '\/policy\.wasm' but the module file does not exist/);
  });

  it('writes canonical JSON that parses back to the same manifest', () => {
    const m = { revision: 'r', roots: ['b', 'a'], metadata: { version: '1.0.0', name: 'x' } };
    const bytes = manifestBytes(m);
    expect(bytes.toString()).toBe('{"metadata":{"name":"x","version":"1.0.0"},"revision":"r","roots":["b","a"]}');
    expect(parseManifest(bytes, 'm')).toEqual(m);
  });
});
