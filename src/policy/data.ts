/** Deep-merges plain objects; anything else in `over` (arrays included) replaces what is in `base`. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = key in merged ? deepMerge(merged[key], value) : value;
  return merged;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Places a value at a slash path inside a fresh object: ("cipa/settings", v) → {cipa: {settings: v}}. */
export function atPath(path: string, value: unknown): unknown {
  const parts = path.split('/').filter(Boolean);
  return parts.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** JSON with object keys sorted at every level: stable bytes for the same content. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}
