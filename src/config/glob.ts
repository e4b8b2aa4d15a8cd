/**
 * Globs over Terraform resource addresses and control ids.
 *
 * Addresses such as `module.net["eu-west-1"].aws_subnet.private[0]` contain brackets, quotes and dots that are all
 * literal, so general-purpose globs (where `[...]` is a character class) are the wrong tool. Here only `*` is special:
 *
 * - An address is split into parts at the dots that are outside `[...]` (so a key like `["a.b"]` stays whole):
 *   `module`, `net["eu-west-1"]`, `aws_subnet`, `private[0]`. A pattern is split the same way.
 * - A pattern part `**` matches any number of address parts, zero included.
 * - In any other part, `*` matches any run of characters within that one part (brackets and quotes included);
 *   every other character matches itself.
 * - A pattern part without `[` also matches the same name with any instance key: `aws_subnet.private` matches
 *   `aws_subnet.private[0]` and `aws_subnet.private["a"]`, and `module.net.**` matches inside every instance of
 *   the module. Write the key to pin one instance.
 * - Patterns are anchored: `aws_s3_bucket.logs` is the root module's bucket only; `**.aws_s3_bucket.logs` is
 *   that bucket in any module.
 */

/** Splits an address (or an address pattern) at the dots outside brackets, honouring quoted keys with escapes. */
export function splitAddress(address: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let inString = false;
  for (let i = 0; i < address.length; i++) {
    const ch = address[i]!;
    if (inString) {
      current += ch;
      if (ch === '\\' && i + 1 < address.length) {
        current += address[++i]!;
      } else if (ch === '"') {
        inString = false;
      }
      continue;
    }
    if (ch === '"' && depth > 0) {
      inString = true;
      current += ch;
    } else if (ch === '[') {
      depth++;
      current += ch;
    } else if (ch === ']') {
      if (depth > 0) depth--;
      current += ch;
    } else if (ch === '.' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** `*` matches any characters, everything else is literal; anchored at both ends. */
function starRegExp(pattern: string): RegExp {
  const source = pattern
    .split(/\*+/)
    .map(escapeRegExp)
    .join('.*');
  return new RegExp(`^${source}$`, 's');
}

interface CompiledPart {
  any: boolean;
  re: RegExp;
  keyless: boolean;
}

export type AddressMatcher = (address: string) => boolean;

/** Compiles an address glob (see the module comment) into a matcher. */
export function compileAddressGlob(pattern: string): AddressMatcher {
  const parts: CompiledPart[] = splitAddress(pattern).map((part) => ({
    any: part === '**',
    re: starRegExp(part),
    keyless: !part.includes('['),
  }));
  return (address: string) => {
    const segments = splitAddress(address);
    const memo = new Map<number, boolean>();
    const go = (p: number, s: number): boolean => {
      const key = p * (segments.length + 1) + s;
      const cached = memo.get(key);
      if (cached !== undefined) return cached;
      let result: boolean;
      const part = parts[p];
      if (part === undefined) {
        result = s === segments.length;
      } else if (part.any) {
        result = go(p + 1, s) || (s < segments.length && go(p, s + 1));
      } else if (s >= segments.length) {
        result = false;
      } else {
        result = partMatches(part, segments[s]!) && go(p + 1, s + 1);
      }
      memo.set(key, result);
      return result;
    };
    return go(0, 0);
  };
}

function partMatches(part: CompiledPart, segment: string): boolean {
  if (part.re.test(segment)) return true;
  if (part.keyless) {
    const bracket = segment.indexOf('[');
    if (bracket > 0) return part.re.test(segment.slice(0, bracket));
  }
  return false;
}

/** Control id globs: `*` matches any characters, the rest is literal (case-sensitive, ids are upper case). */
export function compileIdGlob(pattern: string): (id: string) => boolean {
  if (!pattern.includes('*')) return (id) => id === pattern;
  const re = starRegExp(pattern);
  return (id) => re.test(id);
}
