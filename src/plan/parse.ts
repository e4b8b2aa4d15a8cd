import { InputError } from '../errors.js';

/** V8 cannot make a string longer than this; larger inputs are parsed member by member. */
const MAX_STRING = 0x1fffffe8;

/**
 * Parses plan JSON from UTF-8 bytes, with errors a person can act on: where the JSON breaks and why.
 * Files too large for one V8 string are split at top-level members (see splitTopLevel) and parsed piece by piece.
 */
export function parsePlanJson(path: string, bytes: Buffer, maxString = MAX_STRING): unknown {
  if (bytes.length === 0 || isBlank(bytes)) throw new InputError(path, 'is empty', 'expected the JSON written by `terraform show -json plan.out`');
  if (bytes.length < maxString) return parseText(path, bytes.toString('utf8'), 0);
  return parseLarge(path, bytes, maxString);
}

function parseText(path: string, text: string, offset: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(path, describeJsonError(text, error, offset));
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  return true;
}

function describeJsonError(text: string, error: unknown, offset: number): string {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return 'is not JSON (it does not start with { )';
  // V8's messages do not always carry a position: find it with our own scan (only on this error path).
  const at = firstJsonError(text) ?? Number(/position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1] ?? NaN);
  if (Number.isNaN(at)) return 'is not valid JSON';
  if (at >= text.trimEnd().length) return 'is not valid JSON: it ends early (truncated file?)';
  const { line, column } = lineAndColumn(text, at);
  return `is not valid JSON at line ${line}, column ${column} (byte ${offset + at})`;
}

/** Offset of the first character that breaks JSON's grammar, or undefined when the text is valid JSON. */
export function firstJsonError(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  const space = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  // An explicit stack instead of recursion: deeply nested input cannot overflow ours.
  const stack: Array<'{' | '['> = [];
  const literal = (word: string): boolean => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return true;
    }
    return false;
  };
  const string = (): boolean => {
    i++;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i++;
        return true;
      }
      if (ch < 0x20) return false;
      if (ch === 0x5c) {
        const esc = text[i + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // Consumes one value; on an opening bracket it descends (iteratively) until a scalar or an empty container.
  const scalarOrOpen = (): boolean => {
    for (;;) {
      space();
      const ch = text[i];
      if (ch === '{' || ch === '[') {
        stack.push(ch);
        i++;
        space();
        if (text[i] === (ch === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          return true;
        }
        if (ch === '{') {
          if (text[i] !== '"' || !string()) return false;
          space();
          if (text[i] !== ':') return false;
          i++;
        }
        continue;
      }
      if (ch === '"') return string();
      if (ch === 't') return literal('true');
      if (ch === 'f') return literal('false');
      if (ch === 'n') return literal('null');
      return number();
    }
  };
  if (!scalarOrOpen()) return i;
  for (;;) {
    space();
    const top = stack.at(-1);
    if (top === undefined) return i < n ? i : undefined;
    if (text[i] === ',') {
      i++;
      if (top === '{') {
        space();
        if (text[i] !== '"' || !string()) return i;
        space();
        if (text[i] !== ':') return i;
        i++;
      }
      if (!scalarOrOpen()) return i;
    } else if (text[i] === (top === '{' ? '}' : ']')) {
      stack.pop();
      i++;
    } else return i;
  }
}

function lineAndColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

/** Parses an object too large for one string: each top-level member's value is parsed on its own. */
function parseLarge(path: string, bytes: Buffer, maxString: number): unknown {
  const members = splitTopLevel(path, bytes);
  const result: Record<string, unknown> = {};
  for (const member of members) {
    const key = JSON.parse(bytes.toString('utf8', member.keyStart, member.keyEnd)) as string;
    if (member.valueEnd - member.valueStart >= maxString) {
      result[key] = parseLargeArray(path, bytes, member.valueStart, member.valueEnd);
    } else {
      result[key] = parseText(path, bytes.toString('utf8', member.valueStart, member.valueEnd), member.valueStart);
    }
  }
  return result;
}

interface Member {
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** Byte ranges of the members of the top-level object. Strings are skipped with their escapes. */
export function splitTopLevel(path: string, bytes: Buffer): Member[] {
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== 0x7b) throw new InputError(path, 'is not a JSON object');
  i++;
  const members: Member[] = [];
  for (;;) {
    i = skipSpace(bytes, i);
    if (bytes[i] === 0x7d) return members;
    if (bytes[i] !== 0x22) throw new InputError(path, `is not valid JSON at byte ${i}`);
    const keyStart = i;
    i = skipString(path, bytes, i);
    const keyEnd = i;
    i = skipSpace(bytes, i);
    if (bytes[i] !== 0x3a) throw new InputError(path, `is not valid JSON at byte ${i}`);
    i = skipSpace(bytes, i + 1);
    const valueStart = i;
    i = skipValue(path, bytes, i);
    members.push({ keyStart, keyEnd, valueStart, valueEnd: i });
    i = skipSpace(bytes, i);
    if (bytes[i] === 0x2c) {
      i++;
      continue;
    }
    if (bytes[i] === 0x7d) return members;
    if (i >= bytes.length) throw new InputError(path, 'is not valid JSON: it ends early (truncated file?)');
    throw new InputError(path, `is not valid JSON at byte ${i}`);
  }
}

function parseLargeArray(path: string, bytes: Buffer, start: number, end: number): unknown[] {
  if (bytes[start] !== 0x5b) throw new InputError(path, `a single JSON value over 512 MB at byte ${start} cannot be read`);
  const items: unknown[] = [];
  let i = skipSpace(bytes, start + 1);
  if (bytes[i] === 0x5d) return items;
  while (i < end) {
    const itemStart = i;
    i = skipValue(path, bytes, i);
    items.push(parseText(path, bytes.toString('utf8', itemStart, i), itemStart));
    i = skipSpace(bytes, i);
    if (bytes[i] === 0x2c) i = skipSpace(bytes, i + 1);
    else if (bytes[i] === 0x5d) break;
    else throw new InputError(path, `is not valid JSON at byte ${i}`);
  }
  return items;
}

function skipSpace(bytes: Buffer, i: number): number {
  while (i < bytes.length) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
    i++;
  }
  return i;
}

function skipString(path: string, bytes: Buffer, i: number): number {
  i++;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x5c) i += 2;
    else if (b === 0x22) return i + 1;
    else i++;
  }
  throw new InputError(path, 'is not valid JSON: it ends early (truncated file?)');
}

function skipValue(path: string, bytes: Buffer, i: number): number {
  let depth = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x22) i = skipString(path, bytes, i);
    else {
      if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        if (depth === 0) return i;
        depth--;
        if (depth === 0) return i + 1;
      } else if (depth === 0 && (b === 0x2c || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) return i;
      i++;
    }
  }
  if (depth === 0) return i;
  throw new InputError(path, 'is not valid JSON: it ends early (truncated file?)');
}
