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
export const STRONG_HASH_ALGORITHMS: readonly HashAlgorithm[] = [
  'SHA-224',
  'SHA-256',
  'SHA-384',
  'SHA-512',
  'SHA-512-224',
  'SHA-512-256',
];

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

/** The basenames OPA hashes structurally (IsStructuredDoc). Note `data.yml` is NOT among them: raw bytes. */
const STRUCTURED_BASENAMES = new Set(['data.json', 'data.yaml', '.manifest', 'signatures.json']);

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
 * Go's strconv float formatting as encoding/json uses it: shortest round-trip digits, exponent form below 1e-6
 * and from 1e21. JavaScript's Number#toString uses the same thresholds and shortest digits; only the exponent
 * sign and -0 need adjusting.
 */
function goFloatText(value: number, source: string): string {
  if (!Number.isFinite(value)) throw new BundleError(`${source}: YAML value ${value} has no JSON form`);
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** YAML → JSON value the way sigs.k8s.io/yaml (YAML 1.1, go-yaml v2) converts it, for the common cases. */
function yamlToJson(node: YamlNode | null, source: string): JsonValue {
  if (node === null) return null;
  if (isMap(node)) {
    const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = yamlToJson(keyNode, source);
      let name: string;
      if (typeof key === 'string') name = key;
      else if (key instanceof JsonNumber) name = key.text;
      else if (typeof key === 'boolean') name = String(key);
      else throw new BundleError(`${source}: YAML object key must be a string, number or boolean`);
      if (Object.prototype.hasOwnProperty.call(out, name)) {
        throw new BundleError(`${source}: duplicate YAML key '${name}'`);
      }
      out[name] = yamlToJson((pair.value as YamlNode | null) ?? null, source);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => yamlToJson(item as YamlNode | null, source));
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return null;
    if (typeof value === 'boolean' || typeof value === 'string') return value;
    if (typeof value === 'bigint') return new JsonNumber(value.toString());
    if (typeof value === 'number') {
      return new JsonNumber(Number.isInteger(value) && node.tag !== 'tag:yaml.org,2002:float' ? value.toFixed(0) : goFloatText(value, source));
    }
    throw new BundleError(`${source}: YAML value of type ${node.tag ?? typeof value} is not supported in data files`);
  }
  throw new BundleError(`${source}: YAML aliases and complex nodes are not supported in data files`);
}

/**
 * Parses a structured file like OPA's util.Unmarshal: drop a UTF-8 BOM; JSON if it is valid JSON, otherwise YAML.
 */
export function parseStructured(bytes: Uint8Array, source: string): JsonValue {
  const text = decodeUtf8(stripBom(bytes), source);
  if (isValidJson(text)) return parseJsonLossless(text, source);
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: true });
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
