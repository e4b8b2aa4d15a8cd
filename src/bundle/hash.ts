import { createHash } from 'node:crypto';
import { parse as parseLossless } from 'lossless-json';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { BundleError } from '../errors.js';

/**
 * OPA's file hashing for bundle signatures (v1/bundle/hash.go): structured files (basename data.json, data.yaml,
 * .manifest, signatures.json) are parsed and hashed in a canonical JSON encoding; every other file is hashed as
 * raw bytes. Numbers keep their literal text, keys sort by UTF-8 bytes, strings are encoded like Go's encoding/json
 * with HTML escaping off.
 */

/** The hash algorithm names OPA accepts in a signature's `files[].algorithm`, spelled exactly as OPA spells them. */
export const HASH_ALGORITHMS = [
  'MD5',
  'SHA-1',
  'SHA-224',
  'SHA-256',
  'SHA-384',
  'SHA-512',
  'SHA-512-224',
  'SHA-512-256',
] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** The algorithms cipa accepts when verifying: OPA also accepts MD5 and SHA-1, cipa refuses them. */
export const STRONG_HASH_ALGORITHMS: readonly HashAlgorithm[] = HASH_ALGORITHMS.filter((a) => a !== 'MD5' && a !== 'SHA-1');

export const DEFAULT_HASH_ALGORITHM: HashAlgorithm = 'SHA-256';

const NODE_DIGEST: Record<HashAlgorithm, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA-512-224': 'sha512-224',
  'SHA-512-256': 'sha512-256',
};

export function isHashAlgorithm(name: string): name is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(name);
}

/**
 * The basenames OPA hashes structurally. opa 1.22.4 treats data.yml like data.yaml (checked by the interop test;
 * older notes said data.yml was hashed raw).
 */
const STRUCTURED_BASENAMES = new Set(['data.json', 'data.yaml', 'data.yml', '.manifest', 'signatures.json']);

export function isStructuredFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return STRUCTURED_BASENAMES.has(base);
}

/** A JSON number kept as the exact text it was written with (`1.0` stays `1.0`, `1e3` stays `1e3`). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value whose numbers are JsonNumber, so that hashing sees them as OPA does (json.Number). */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

const BOM = [0xef, 0xbb, 0xbf];

function stripBom(bytes: Uint8Array): Uint8Array {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]
    ? bytes.subarray(3)
    : bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BundleError(`${source}: not valid UTF-8`, 'structured bundle files (data.json, .manifest) must be UTF-8');
  }
}

/**
 * Parses JSON keeping number literals (OPA decodes with UseNumber). Duplicate keys with different values are an
 * error (OPA keeps the last one silently; cipa refuses the ambiguity).
 */
export function parseJsonLossless(text: string, source: string): JsonValue {
  try {
    return parseLossless(text, null, {
      parseNumber: (literal: string) => new JsonNumber(literal),
      onDuplicateKey: ({ key }) => {
        throw new SyntaxError(`duplicate key '${key}'`);
      },
    }) as JsonValue;
  } catch (error) {
    throw new BundleError(`${source}: invalid JSON: ${(error as Error).message}`);
  }
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Go's float64 JSON text: shortest round-trip digits, exponent form below 1e-6 and from 1e21. JavaScript's
 * Number#toString uses the same digits and thresholds; only -0 differs.
 */
function goFloatText(value: number, source: string): string {
  if (!Number.isFinite(value)) throw new BundleError(`${source}: YAML value ${value} has no JSON form`);
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
/** Go's strconv.ParseInt(s, 0, 64) syntax: sign, then 0x / 0o / 0b / leading-0 octal / decimal. */
const GO_INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function goInt(text: string): bigint | undefined {
  const m = GO_INT.exec(text);
  if (!m) return undefined;
  const [, sign, hex, oct, bin, legacyOct, dec] = m;
  const magnitude =
    hex !== undefined ? BigInt(`0x${hex}`)
    : oct !== undefined ? BigInt(`0o${oct}`)
    : bin !== undefined ? BigInt(`0b${bin}`)
    : legacyOct !== undefined ? (legacyOct === '' ? 0n : BigInt(`0o${legacyOct}`))
    : BigInt(dec!);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  if (sign !== '-' && value <= UINT64_MAX) return value;
  return undefined;
}

/**
 * Resolves a plain (unquoted) YAML scalar as go-yaml v3 does when OPA converts data.yaml to JSON (checked against
 * opa 1.22): null ~/null/Null/NULL/empty; only true/True/TRUE/false/False/FALSE are booleans (yes/no/on/off stay
 * strings); integers with Go's base-prefix syntax after dropping `_` (0777 is octal, 0b101 binary); otherwise
 * YAML-style floats; infinities and NaN have no JSON form; everything else (dates included) stays a string.
 */
function resolvePlainScalar(text: string, source: string): JsonValue {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text) || /^\.(nan|NaN|NAN)$/.test(text)) {
    throw new BundleError(`${source}: YAML value ${text} has no JSON form`);
  }
  const plain = text.replace(/_/g, '');
  const int = goInt(plain);
  if (int !== undefined) return new JsonNumber(int.toString());
  if (YAML_FLOAT.test(plain)) return new JsonNumber(goFloatText(Number(plain), source));
  return text;
}

/** YAML → JSON the way OPA's util.Unmarshal does it (sigs.k8s.io/yaml), for the scalars and collections data uses. */
function yamlToJson(node: YamlNode | null, source: string): JsonValue {
  if (node === null) return null;
  if (isMap(node)) {
    const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
    for (const pair of node.items) {
      const key = yamlToJson(pair.key as YamlNode | null, source);
      let name: string;
      if (typeof key === 'string') name = key;
      else if (key instanceof JsonNumber) name = key.text;
      else if (typeof key === 'boolean') name = String(key);
      else throw new BundleError(`${source}: YAML object keys must be strings, numbers or booleans`);
      if (Object.prototype.hasOwnProperty.call(out, name)) throw new BundleError(`${source}: duplicate YAML key '${name}'`);
      out[name] = yamlToJson((pair.value as YamlNode | null) ?? null, source);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => yamlToJson(item as YamlNode | null, source));
  if (isScalar(node)) {
    const tag = node.tag;
    if (tag !== undefined && tag !== 'tag:yaml.org,2002:str' && tag !== '!!str') {
      throw new BundleError(`${source}: explicit YAML tag ${tag} is not supported in data files`);
    }
    const text = String(node.value ?? '');
    return node.type === 'PLAIN' && tag === undefined ? resolvePlainScalar(text, source) : text;
  }
  throw new BundleError(`${source}: YAML aliases are not supported in data files`);
}

/**
 * Parses a structured file like OPA's util.Unmarshal: drop a UTF-8 BOM; JSON if it is valid JSON, otherwise YAML.
 */
export function parseStructured(bytes: Uint8Array, source: string): JsonValue {
  const text = decodeUtf8(stripBom(bytes), source);
  if (isValidJson(text)) return parseJsonLossless(text, source);
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new BundleError(`${source}: neither valid JSON nor valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  }
  return yamlToJson(doc.contents as YamlNode | null, source);
}

/** Encodes a string as Go's json.Encoder does with SetEscapeHTML(false). */
export function goJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += '\\\\';
    else if (code === 0x0a) out += '\\n';
    else if (code === 0x0d) out += '\\r';
    else if (code === 0x09) out += '\\t';
    else if (code === 0x08) out += '\\b';
    else if (code === 0x0c) out += '\\f';
    else if (code < 0x20) out += `\\u00${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += value[i]! + value[i + 1]!;
        i++;
      } else out += '\ufffd';
    } else if (code >= 0xdc00 && code <= 0xdfff) out += '\ufffd';
    else out += value[i]!;
  }
  return `${out}"`;
}

/** Go's sort.Strings order: UTF-8 bytes, which is code point order (not JavaScript's UTF-16 unit order). */
function compareUtf8(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

/**
 * OPA's canonical encoding of a parsed document: no whitespace, object keys sorted by UTF-8 bytes, numbers as
 * written. Plain JS numbers are accepted too (for values built in code) and written as JavaScript prints them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return value.text;
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return goJsonString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new BundleError(`cannot encode ${value} as JSON`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort(compareUtf8);
      return `{${keys.map((key) => `${goJsonString(key)}:${canonicalJson(record[key])}`).join(',')}}`;
    }
    default:
      throw new BundleError(`cannot encode a ${typeof value} as JSON`);
  }
}

export function digest(algorithm: HashAlgorithm, bytes: Uint8Array | string): string {
  return createHash(NODE_DIGEST[algorithm]).update(bytes).digest('hex');
}

/**
 * The hex digest OPA computes for a bundle file when it signs or verifies: `path` is the bundle path (with or
 * without a leading `/`), `bytes` its content.
 */
export function hashBundleFile(path: string, bytes: Uint8Array, algorithm: HashAlgorithm = DEFAULT_HASH_ALGORITHM): string {
  if (isStructuredFile(path)) return digest(algorithm, canonicalJson(parseStructured(bytes, path)));
  return digest(algorithm, bytes);
}
