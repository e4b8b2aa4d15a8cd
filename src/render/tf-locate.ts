import { readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { splitAddress } from '../config/glob.js';
import type { SourceLocation } from './types.js';

/**
 * Finds the `.tf` file and line that declare a resource, from its plan address.
 *
 * A Terraform module is one directory: its `.tf` files (not subdirectories). The scanner reads each file's
 * top-level blocks — `resource "type" "name" {`, `data "type" "name" {`, `module "name" {` and, inside a module
 * block, `source = "…"` — skipping comments, strings (with `${…}` templates) and heredocs so braces inside them do
 * not count. `module.a["x"].module.b.aws_s3_bucket.c[0]` is followed through `module "a"` and `module "b"`:
 * local sources (`./`, `../`) are resolved against the calling module's directory; registry and git sources are
 * found through `.terraform/modules/modules.json` under the source root when `terraform init` has run there.
 * Instance keys do not change the location: every instance shares its block.
 */

export interface BlockIndex {
  /** "type.name" or "data.type.name" → location (file relative to the root as given). */
  resources: Map<string, SourceLocation>;
  /** module call name → its source string. */
  modules: Map<string, string>;
}

interface Token {
  kind: 'ident' | 'string' | 'punct';
  value: string;
  line: number;
}

/** Scans one .tf file's text; `file` is the path recorded in locations. Exported for tests. */
export function scanTerraform(text: string, file: string, into: BlockIndex = { resources: new Map(), modules: new Map() }): BlockIndex {
  let i = 0;
  let line = 1;
  let depth = 0;
  let lineTokens: Token[] = [];
  let currentModule: string | undefined;
  let currentModuleDepth = 0;

  const flushLine = () => {
    if (currentModule !== undefined && depth === currentModuleDepth + 1) {
      const [a, b, c] = lineTokens;
      if (a?.kind === 'ident' && a.value === 'source' && b?.value === '=' && c?.kind === 'string' && lineTokens.length === 3) {
        if (!into.modules.has(currentModule)) into.modules.set(currentModule, c.value);
      }
    }
    lineTokens = [];
  };

  const openBlock = () => {
    if (depth === 0) {
      const labels = lineTokens;
      const kw = labels[0];
      if (kw?.kind === 'ident' && labels.slice(1).every((t) => t.kind === 'string' || t.kind === 'ident')) {
        const [, l1, l2] = labels;
        if ((kw.value === 'resource' || kw.value === 'data') && labels.length === 3 && l1 && l2) {
          const key = kw.value === 'data' ? `data.${l1.value}.${l2.value}` : `${l1.value}.${l2.value}`;
          if (!into.resources.has(key)) into.resources.set(key, { file, line: kw.line });
        } else if (kw.value === 'module' && labels.length === 2 && l1) {
          currentModule = l1.value;
          currentModuleDepth = 0;
        }
      }
    }
    depth++;
    lineTokens = [];
  };

  const readString = (): string => {
    // at the opening quote; returns the literal text (templates kept verbatim), leaves i after the closing quote
    i++;
    let out = '';
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\\') {
        out += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\n') {
        line++; // unterminated string: HCL forbids it, stop at the line end
        i++;
        return out;
      }
      if ((ch === '$' || ch === '%') && text[i + 1] === '{') {
        const start = i;
        i += 2;
        skipTemplate();
        out += text.slice(start, i);
        continue;
      }
      out += ch;
      i++;
    }
    return out;
  };

  const skipTemplate = () => {
    // inside ${ … }: an expression that may hold strings and braces; ends at the matching }
    let level = 1;
    while (i < text.length && level > 0) {
      const ch = text[i]!;
      if (ch === '"') {
        readString();
        continue;
      }
      if (ch === '{') level++;
      else if (ch === '}') level--;
      else if (ch === '\n') line++;
      i++;
    }
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      flushLine();
      line++;
      i++;
    } else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line++;
        i++;
      }
      i += 2;
    } else if (ch === '<' && text[i + 1] === '<' && /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.test(text.slice(i, i + 80))) {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(text.slice(i, i + 80))!;
      const marker = m[1]!;
      lineTokens.push({ kind: 'string', value: '<<heredoc>>', line });
      flushLine();
      i += m[0].length;
      line++;
      while (i < text.length) {
        const end = text.indexOf('\n', i);
        const current = text.slice(i, end < 0 ? text.length : end);
        i = end < 0 ? text.length : end + 1;
        line++;
        if (current.trim() === marker) break;
      }
    } else if (ch === '"') {
      const tokenLine = line;
      const value = readString();
      lineTokens.push({ kind: 'string', value, line: tokenLine });
    } else if (ch === '{') {
      openBlock();
      i++;
    } else if (ch === '}') {
      flushLine();
      depth = Math.max(0, depth - 1);
      if (currentModule !== undefined && depth === currentModuleDepth) currentModule = undefined;
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256))!;
      lineTokens.push({ kind: 'ident', value: m[0], line });
      i += m[0].length;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else {
      lineTokens.push({ kind: 'punct', value: ch, line });
      i++;
    }
  }
  flushLine();
  return into;
}

/** Parses a plan address into its module call names, and the resource key ("type.name" or "data.type.name"). */
export function parseAddress(address: string): { modules: string[]; resource: string } | undefined {
  const parts = splitAddress(address).map((p) => {
    const bracket = p.indexOf('[');
    return bracket < 0 ? p : p.slice(0, bracket);
  });
  const modules: string[] = [];
  let k = 0;
  while (parts[k] === 'module' && k + 1 < parts.length) {
    modules.push(parts[k + 1]!);
    k += 2;
  }
  const rest = parts.slice(k);
  if (rest.length === 3 && rest[0] === 'data') return { modules, resource: rest.join('.') };
  if (rest.length === 2) return { modules, resource: rest.join('.') };
  return undefined;
}

interface ModulesManifest {
  Modules?: Array<{ Key?: string; Dir?: string }>;
}

/** Locates resources under one source root; caches each module directory it reads. */
export class SourceLocator {
  private readonly rootAbs: string;
  private readonly dirs = new Map<string, Promise<BlockIndex>>();
  private manifest: Promise<Map<string, string>> | undefined;

  /** `root` as the user gave it: locations are reported under it (`infra/modules/s3/main.tf`). */
  constructor(private readonly root: string) {
    this.rootAbs = resolve(root);
  }

  async locate(address: string): Promise<SourceLocation | undefined> {
    const parsed = parseAddress(address);
    if (!parsed) return undefined;
    let dir = this.rootAbs;
    const path: string[] = [];
    for (const name of parsed.modules) {
      path.push(name);
      const index = await this.index(dir);
      const source = index.modules.get(name);
      if (source === undefined) return undefined;
      if (source.startsWith('./') || source.startsWith('../')) {
        dir = resolve(dir, source);
      } else {
        const fromManifest = (await this.modulesManifest()).get(path.join('.'));
        if (fromManifest === undefined) return undefined;
        dir = fromManifest;
      }
    }
    return (await this.index(dir)).resources.get(parsed.resource);
  }

  private display(abs: string): string {
    const rel = relative(this.rootAbs, abs);
    const shown = isAbsolute(this.root) ? abs : join(this.root, rel);
    return shown.replace(/\\/g, '/').replace(/^\.\//, '');
  }

  private index(dir: string): Promise<BlockIndex> {
    let cached = this.dirs.get(dir);
    if (!cached) {
      cached = this.readDir(dir);
      this.dirs.set(dir, cached);
    }
    return cached;
  }

  private async readDir(dir: string): Promise<BlockIndex> {
    const index: BlockIndex = { resources: new Map(), modules: new Map() };
    let names: string[];
    try {
      names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.tf')).map((e) => e.name);
    } catch {
      return index; // a missing module directory just means "not found"
    }
    names.sort();
    for (const name of names) {
      const abs = join(dir, name);
      const text = await readFile(abs, 'utf8').catch(() => '');
      scanTerraform(text, this.display(abs), index);
    }
    return index;
  }

  private modulesManifest(): Promise<Map<string, string>> {
    if (!this.manifest) {
      this.manifest = readFile(join(this.rootAbs, '.terraform', 'modules', 'modules.json'), 'utf8')
        .then((text) => {
          const parsed = JSON.parse(text) as ModulesManifest;
          const map = new Map<string, string>();
          for (const m of parsed.Modules ?? []) {
            if (m.Key && m.Dir !== undefined) map.set(m.Key, resolve(this.rootAbs, m.Dir));
          }
          return map;
        })
        .catch(() => new Map<string, string>());
    }
    return this.manifest;
  }
}

/** Locates every address it can; addresses it cannot place are left out (renderers fall back to the plan file). */
export async function locateResources(sourceRoot: string, addresses: Iterable<string>): Promise<Map<string, SourceLocation>> {
  const locator = new SourceLocator(sourceRoot);
  const out = new Map<string, SourceLocation>();
  for (const address of new Set(addresses)) {
    const found = await locator.locate(address);
    if (found) out.set(address, found);
  }
  return out;
}
