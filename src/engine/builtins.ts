/**
 * Builtins that the Wasm module imports and cipa provides in JavaScript. Each one is compared with OPA's own in
 * test/engine/builtins.test.ts; the capabilities file allows exactly these beyond the natively compiled ones.
 *
 * The SDK's own JavaScript builtins (sprintf, regex.split, yaml.*) are deliberately not allowed: their semantics
 * differ from OPA's (sprintf is not Go's fmt, regex.split uses JavaScript regular expressions, not RE2), and a
 * policy must decide the same in an OPA server.
 */
export type CustomBuiltin = (...args: unknown[]) => unknown;

/** Nanoseconds since the epoch, as OPA's time.now_ns. Precise to the millisecond (JSON numbers are doubles). */
function nowNs(): number {
  return Date.now() * 1_000_000;
}

/** [year, month, day] of a time in ns since the epoch, UTC (OPA's time.date with a bare number). */
function date(x: unknown): unknown {
  let ns: number;
  if (typeof x === 'number') ns = x;
  else if (Array.isArray(x) && typeof x[0] === 'number' && (x[1] === 'UTC' || x[1] === '' || x[1] === undefined)) ns = x[0];
  else return undefined;
  const d = new Date(Math.floor(ns / 1_000_000));
  if (Number.isNaN(d.getTime())) return undefined;
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

export const CUSTOM_BUILTINS: Record<string, CustomBuiltin> = {
  'time.now_ns': nowNs,
  'time.date': date,
};

/** Builtins the capabilities file allows in addition to the natively compiled ones. */
export const CUSTOM_BUILTIN_NAMES = Object.keys(CUSTOM_BUILTINS);
