import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BundleError } from '../../src/errors.js';
import {
  HASH_ALGORITHMS,
  JsonNumber,
  canonicalJson,
  goJsonString,
  hashBundleFile,
  isStructuredFile,
  parseStructured,
  type HashAlgorithm,
} from '../../src/bundle/hash.js';
import { readBundle } from '../../src/bundle/read.js';
import { decodeJws, enc, opa, tmp, writeTree } from './helpers.js';

describe('hashBundleFile: the digests OPA asserts (TestVerifyBundleFileHash and TestReadWithSignatures)', () => {
  const cases: Array<[string, string, HashAlgorithm, string]> = [
    ['/.manifest', '{"revision": "quickbrownfaux"}', 'MD5', 'a005c38a509dc2d5a7407b9494efb2ad'],
    ['/a/b/c/data.json', '[1,2,3]', 'SHA-512', '60f7b5dc86ded48785436192a08dbfd04894d7f1b417c4f8d3714679a7f78cb3c833f16a8559a1cf1f32968747dc1d95ef34826263dacf125ded8f5c374be4c0'],
    ['/a/b/d/data.json', 'true', 'MD5', 'b326b5062b2f0e69046810717534cb09'],
    ['/a/b/y/data.yaml', 'foo: 1', 'SHA-512', '20f27a640a233e6524fe7d138898583cd43475724806feb26be7f214e1d10b29edf6a0d3cb08f82107a45686b61b8fdabab6406cf4e70efe134f42238dbd70ab'],
    ['/example/example.rego', 'package example', 'MD5', 'ceecc199d432a4eeae305914ea4816cb'],
    ['/policy.wasm', 'modules-compiled-as-wasm-binary', 'SHA-512', '4f73765168fd8b5c294b739436da312cc5e979faf09f67bf576d36ea79a4f79c70cbb3c33d06ff65f531a9f42abd0a8f4daacc554cb521837e876dc28f56ce89'],
    ['/data.json', '{"x": {"y": true}, "a": {"b": {"z": true}}}', 'MD5', '36669864a622563256817033b1fc53db'],
    ['.manifest', '{"revision": "quickbrownfaux"}', 'SHA-256', '507a2c38a1441db58d2cb87982c42aa91a4342ef422a6b542eddebeef6f0412f'],
    ['a/b/c/data.json', '[1,2,3]', 'SHA-256', 'a615eeaee21de5179de080de8c3052c8da901138406ba71c38c032845f7d54f4'],
    ['http/policy/policy.rego', 'package example', 'SHA-256', 'f664461e303b37c20c5e0be2900881678cdf8e860aa433a5a14d494ba3c66649'],
  ];
  it.each(cases)('%s (%s) with %s', (path, content, algorithm, want) => {
    expect(hashBundleFile(path, enc(content), algorithm)).toBe(want);
  });
});

describe('which files are hashed structurally', () => {
  it.each([
    ['data.json', true],
    ['a/b/data.json', true],
    ['a/data.yaml', true],
    ['.manifest', true],
    ['x/signatures.json', true],
    ['a/data.yml', true],
    ['plan.json', false],
    ['a/other.json', false],
    ['policy.rego', false],
    ['policy.wasm', false],
  ])('%s → %s', (path, structured) => {
    expect(isStructuredFile(path)).toBe(structured);
  });

  it('hashes data.yml and data.yaml structurally (opa 1.22.4 does; the research note said raw) and other YAML raw', () => {
    const bytes = enc('foo: 1');
    const canonical = hashBundleFile('a/data.json', enc('{"foo":1}'));
    expect(hashBundleFile('a/data.yml', bytes)).toBe(canonical);
    expect(hashBundleFile('a/data.yaml', bytes)).toBe(canonical);
    expect(hashBundleFile('a/values.yaml', bytes)).not.toBe(canonical);
  });
});

describe('canonical JSON', () => {
  it.each([
    ['{"b":1,"a":2}', '{"a":2,"b":1}'],
    ['  [ 1 , 2 ]  ', '[1,2]'],
    ['{"n":[1.0,1e3,-0,1E+2,0.10]}', '{"n":[1.0,1e3,-0,1E+2,0.10]}'],
    ['"<&>"', '"<&>"'],
    ['"\\u2028\\u2029"', '"\\u2028\\u2029"'],
    ['"\\b\\f\\n\\r\\t\\u0001\\u001f"', '"\\b\\f\\n\\r\\t\\u0001\\u001f"'],
    ['"\\/\\u00e9\\ud83d\\ude00"', '"/é😀"'],
    ['"\\ud800"', '"\ufffd"'],
    ['{"\\ue000":1,"\\ud83d\\ude00":2}', '{"\ue000":1,"😀":2}'],
    ['\ufeff{"a":1}', '{"a":1}'],
    ['{"a":1,"a":1}', '{"a":1}'],
  ])('%s → %s', (input, want) => {
    const bytes = input.startsWith('\ufeff') ? enc(input) : enc(input);
    expect(canonicalJson(parseStructured(bytes, 'data.json'))).toBe(want);
  });

  it('sorts keys by UTF-8 bytes, not by UTF-16 code units', () => {
    // U+E000 is one UTF-16 unit above the surrogates that encode U+1F600; in UTF-8 it sorts first.
    expect(canonicalJson({ '😀': 1, '\ue000': 2 })).toBe('{"\ue000":2,"😀":1}');
  });

  it('escapes like Go with SetEscapeHTML(false)', () => {
    expect(goJsonString('a"b\\c\u0000\u007f<>&\u2028')).toBe('"a\\"b\\\\c\\u0000\u007f<>&\\u2028"');
  });

  it.each([
    ['{"a":1,"a":2}', /duplicate key 'a'/],
    ['{"a":', /invalid JSON|neither valid JSON nor valid YAML/],
    ['foo: [', /neither valid JSON nor valid YAML/],
  ])('rejects %s', (input, message) => {
    expect(() => parseStructured(enc(input), 'x/data.json')).toThrow(message);
  });

  it('rejects invalid UTF-8 in structured files', () => {
    expect(() => parseStructured(new Uint8Array([0x22, 0xff, 0x22]), 'data.json')).toThrow(BundleError);
  });

  it('keeps number literals exactly', () => {
    const value = parseStructured(enc('[1.50, 100000000000000000000001]'), 'data.json') as JsonNumber[];
    expect(value.map((n) => n.text)).toEqual(['1.50', '100000000000000000000001']);
  });

  it('property: the hash of a data.json does not depend on whitespace or key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const compact = JSON.stringify(value);
        const pretty = JSON.stringify(value, null, 2);
        const reordered = JSON.stringify(value, (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        );
        const h = hashBundleFile('data.json', enc(compact));
        expect(hashBundleFile('data.json', enc(pretty))).toBe(h);
        expect(hashBundleFile('data.json', enc(reordered))).toBe(h);
      }),
      { numRuns: 200 },
    );
  });
});

describe('interop: the same digests as the real opa', () => {
  // Files chosen to hit the edges: number literals, HTML characters, U+2028, \b/\f, key order across planes,
  // a BOM, YAML 1.1 scalars, raw-hashed JSON and YAML files, nested data.
  const files = new Map<string, Uint8Array>([
    ['.manifest', enc('{"revision":"edge","roots":[""],"metadata":{"b":[1.0,2e-7],"a":"<&>"}}')],
    ['data.json', enc('{"z":{"n":[1.0,1e3,-0,0.10,1E+2]},"\ue000":1,"\ud83d\ude00":2,"s":"\\u2028 \\b \\f <&> \\u0007 é"}')],
    ['nested/deep/data.json', enc('\ufeff[{"b":true,"a":null},"x"]')],
    ['yaml/data.yaml', enc('name: demo\ncount: 3\nratio: 1.5\nbig: 12345678901234567890\nflag: yes\noff_switch: off\nlist: [1, two, 3.0]\n"quoted": "x"\n')],
    ['yaml/raw/data.yml', enc('foo: 1\n')],
    ['other/config.json', enc('{"b": 1, "a": 2}')],
    ['policy/policy.rego', enc('package policy\n\nallow := true\n')],
    ['policy.wasm', enc('\u0000asm-not-really')],
  ]);

  it('opa sign lists every file with the digest cipa computes', () => {
    const dir = tmp('cipa-hash-');
    writeTree(join(dir, 'b'), files);
    const result = opa(['sign', '--bundle', 'b', '--signing-key', 'topsecret', '--signing-alg', 'HS256', '-o', dir], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const jwt = (JSON.parse(readFileSync(join(dir, '.signatures.json'), 'utf8')) as { signatures: string[] }).signatures[0]!;
    const opaFiles = (decodeJws(jwt).payload.files as Array<{ name: string; hash: string; algorithm: string }>)
      .map((f) => [f.name.replace(/^b\//, ''), f.hash, f.algorithm])
      .sort();
    const ours = [...files].map(([name, bytes]) => [name, hashBundleFile(name, bytes), 'SHA-256']).sort();
    expect(opaFiles).toEqual(ours);
  });

  // YAML scalars as go-yaml v3 resolves them inside OPA: one data.yaml per directory, all signed by one opa run.
  const yamlCases = [
    'name: demo', 'count: 3', 'ratio: 1.5', 'big: 12345678901234567890', 'huge: 123456789012345678901234567890',
    'flag: yes', 'switch: off', 'y: y', 'list: [1, two, 3.0]', '"quoted": "x"', 'f: 1.0', 'e: 1e3', 'o: 0777',
    'neg_octal: -0777', 'not_octal: 08', 'h: 0x1F', 'b: 0b101', 'o2: 0o17', 'u: 1_000', 'plus: +5', 't: True',
    'T: TRUE', 'n: ~', 'N: Null', 'd: 2001-12-14', 'z: -0', 'fz: -0.0', 's: 1e-7', 'tiny: 0.0000001', 'half: .5',
    'dot: 1.', 'colon: 1:20', '1: one', 'true: yes', "sq: 'single'", 'folded: >\n  a\n  b\n', 'nested:\n  - a: 1\n    b: [x, 2]\n',
  ];

  it('opa sign agrees with cipa on data.yaml scalars (YAML → JSON conversion)', () => {
    const dir = tmp('cipa-yaml-');
    const yamlFiles = new Map(yamlCases.map((text, i) => [`y${i}/data.yaml`, enc(`${text}\n`)]));
    writeTree(join(dir, 'b'), yamlFiles);
    const result = opa(['sign', '--bundle', 'b', '--signing-key', 'topsecret', '--signing-alg', 'HS256', '-o', dir], dir);
    expect(result.status, result.stderr).toBe(0);
    const jwt = (JSON.parse(readFileSync(join(dir, '.signatures.json'), 'utf8')) as { signatures: string[] }).signatures[0]!;
    const theirs = new Map((decodeJws(jwt).payload.files as Array<{ name: string; hash: string }>).map((f) => [f.name.replace(/^b\//, ''), f.hash]));
    const mismatches = [...yamlFiles].filter(([name, bytes]) => theirs.get(name) !== hashBundleFile(name, bytes)).map(([name]) => yamlCases[Number(name.slice(1, name.indexOf('/')))]);
    expect(mismatches).toEqual([]);
    expect(theirs.size).toBe(yamlCases.length);
  });

  it('opa build --signing-key: every file in the built bundle has the digest cipa computes', async () => {
    const dir = tmp('cipa-hash-build-');
    // opa build loads the data, and OPA's data loader refuses a BOM (the hasher strips it): leave that file out.
    writeTree(join(dir, 'src'), new Map([...files].filter(([name]) => name !== 'nested/deep/data.json')));
    const out = join(dir, 'built.tar.gz');
    const result = opa(['build', '-b', '.', '-o', out, '--signing-key', 'topsecret', '--signing-alg', 'HS256'], join(dir, 'src'));
    expect(result.status, result.stderr).toBe(0);
    const bundle = await readBundle(out);
    const listed = decodeJws(bundle.signatures!.signatures[0]!).payload.files as Array<{ name: string; hash: string; algorithm: string }>;
    expect(listed.map((f) => f.name).sort()).toEqual([...bundle.files.keys()].filter((n) => n !== '.signatures.json').sort());
    for (const file of listed) {
      expect(file.algorithm).toBe('SHA-256');
      expect(hashBundleFile(file.name, bundle.files.get(file.name)!), file.name).toBe(file.hash);
    }
  });

  it('every algorithm OPA supports gives the digest of the canonical form', () => {
    const canonical = canonicalJson(parseStructured(files.get('data.json')!, 'data.json'));
    for (const algorithm of HASH_ALGORITHMS) {
      expect(hashBundleFile('data.json', files.get('data.json')!, algorithm)).toBe(hashBundleFile('x.bin', enc(canonical), algorithm));
    }
  });
});
