import { BundleError } from '../errors.js';
import { builtinBundlePath, loadBundle } from '../evaluate.js';
import type { BundleInfo, ControlMeta } from '../model.js';
import { resolveBundleRef } from '../registry/resolve.js';
import { SEVERITIES } from '../severity.js';

/** The controls of one bundle, as its data.json catalog declares them. */
export interface ControlCatalog {
  /** Where the bundle came from (a path, a URL, an oci:// reference). */
  source: string;
  bundle: BundleInfo;
  /** Sorted by id. */
  controls: ControlMeta[];
}

/**
 * Lists the controls of a bundle: the built-in one when no reference is given, else any reference `cipa eval
 * --bundle` accepts (a .tar.gz file, <dir>#<name>@<ref>, http(s)://, oci://). The controls come from the bundle's
 * catalog (data.cipa.catalog.controls), so no opa binary and no Rego source are needed. Every entry is checked:
 * a catalog written by another tool could hold anything, and the renderers rely on the ControlMeta shape.
 */
export async function listControls(bundleRef?: string): Promise<ControlCatalog> {
  const ref = bundleRef ?? builtinBundlePath();
  const resolved = await resolveBundleRef(ref);
  const loaded = await loadBundle(resolved.bytes, resolved.source);
  const catalog = (loaded.data as { cipa: { catalog: { controls: Record<string, unknown> } } }).cipa.catalog.controls;
  const controls: ControlMeta[] = [];
  const seen = new Map<string, string>();
  for (const [pkg, entry] of Object.entries(catalog)) {
    const meta = checkEntry(resolved.source, pkg, entry);
    const other = seen.get(meta.id);
    if (other !== undefined) throw new BundleError(`${resolved.source}: control id ${meta.id} is declared by both ${other} and ${pkg}`);
    seen.set(meta.id, pkg);
    controls.push(meta);
  }
  controls.sort((a, b) => compareIds(a.id, b.id));
  return { source: resolved.source, bundle: { ...loaded.info, digest: resolved.digest }, controls };
}

/** Ids sort by their text, numbers inside compared as numbers (CIPA-AWS-S3-02 before CIPA-AWS-S3-10). */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant' }) || (a < b ? -1 : a > b ? 1 : 0);
}

function checkEntry(source: string, pkg: string, entry: unknown): ControlMeta {
  const bad = (problem: string) => new BundleError(`${source}: catalog entry ${pkg} ${problem}`, 'rebuild the bundle with `cipa bundle build`');
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad('is not an object');
  const e = entry as Record<string, unknown>;
  const text = (key: string) => {
    const value = e[key];
    if (typeof value !== 'string' || value.trim() === '') throw bad(`has no ${key}`);
    return value;
  };
  const strings = (key: string) => {
    const value = e[key] ?? [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad(`has a ${key} that is not a list of strings`);
    return [...(value as string[])];
  };
  const severity = e.severity;
  if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity)) throw bad(`has severity ${JSON.stringify(severity)}, not one of ${SEVERITIES.join(', ')}`);
  const frameworks: Record<string, string[]> = {};
  const rawFrameworks = e.frameworks ?? {};
  if (typeof rawFrameworks !== 'object' || rawFrameworks === null || Array.isArray(rawFrameworks)) throw bad('has frameworks that are not an object');
  for (const [key, refs] of Object.entries(rawFrameworks)) {
    if (!Array.isArray(refs) || !refs.every((r) => typeof r === 'string')) throw bad(`has frameworks.${key} that is not a list of strings`);
    frameworks[key] = [...(refs as string[])];
  }
  const meta: ControlMeta = {
    id: text('id'),
    title: text('title'),
    description: text('description'),
    severity: severity as ControlMeta['severity'],
    frameworks,
    aliases: strings('aliases'),
    remediation: text('remediation'),
    resource_types: strings('resource_types'),
    package: typeof e.package === 'string' ? e.package : pkg,
    file: typeof e.file === 'string' ? e.file : '',
  };
  if (e.enforced_from !== undefined) {
    if (typeof e.enforced_from !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.enforced_from)) throw bad('has an enforced_from that is not a YYYY-MM-DD date');
    meta.enforced_from = e.enforced_from;
  }
  return meta;
}
