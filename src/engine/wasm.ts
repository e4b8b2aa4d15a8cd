import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { BundleError, CipaError } from '../errors.js';
import type { PolicyReport } from '../model.js';
import { CUSTOM_BUILTINS } from './builtins.js';

const ENTRYPOINT = 'cipa/main/report';
const PAGE = 64 * 1024;

/** Names of the builtins a compiled module imports from its host (i.e. not compiled into it). */
export function requiredBuiltins(policy: LoadedPolicy): string[] {
  const exports = policy.wasmInstance.exports as unknown as { builtins(): number; opa_json_dump(addr: number): number };
  const addr = exports.opa_json_dump(exports.builtins());
  const bytes = new Uint8Array(policy.mem.buffer);
  let end = addr;
  while (bytes[end] !== 0) end++;
  const map = JSON.parse(new TextDecoder().decode(bytes.subarray(addr, end))) as Record<string, number>;
  return Object.keys(map);
}

/**
 * The Wasm evaluator: one compiled module, one instance, reused for every plan. Evaluation is a single call of the
 * aggregated entrypoint with the plan as raw bytes, so the plan is parsed once per evaluation.
 */
export class WasmEngine {
  private constructor(private readonly policy: LoadedPolicy) {}

  static async load(wasm: Uint8Array, data: Uint8Array | undefined, source: string): Promise<WasmEngine> {
    let policy: LoadedPolicy;
    try {
      policy = await loadPolicy(toArrayBuffer(wasm), { initial: 256 }, CUSTOM_BUILTINS);
    } catch (error) {
      throw new BundleError(`${source}: policy.wasm cannot be loaded: ${describe(error)}`);
    }
    const missing = requiredBuiltins(policy).filter((name) => !(name in CUSTOM_BUILTINS));
    if (missing.length > 0) {
      throw new BundleError(`${source}: policy.wasm needs builtins cipa cannot run in Node: ${missing.join(', ')}`, 'rebuild the bundle with cipa bundle build, which checks capabilities');
    }
    if (!(ENTRYPOINT in policy.entrypoints)) {
      throw new BundleError(`${source}: policy.wasm has no ${ENTRYPOINT} entrypoint`, 'build it with cipa bundle build');
    }
    if (data !== undefined) {
      try {
        policy.setData(toArrayBuffer(data));
      } catch (error) {
        throw new BundleError(`${source}: data.json cannot be loaded into the policy: ${describe(error)}`);
      }
    }
    return new WasmEngine(policy);
  }

  /** Evaluates a plan given as UTF-8 JSON bytes. */
  evaluate(input: Uint8Array, source: string): PolicyReport {
    this.reserve(input.byteLength);
    let result: unknown;
    try {
      result = this.policy.evaluate(toArrayBuffer(input), ENTRYPOINT);
    } catch (error) {
      throw new CipaError('internal', `${source}: policy evaluation failed: ${describe(error)}`);
    }
    const value = (result as Array<{ result?: unknown }> | null)?.[0]?.result as PolicyReport | undefined;
    if (!value || !Array.isArray(value.decisions)) throw new CipaError('internal', `${source}: policy returned no report`);
    return value;
  }

  /** Grows memory ahead of a large input in one step instead of page by page inside the allocator. */
  private reserve(inputBytes: number): void {
    const wanted = inputBytes * 6 + 64 * 1024 * 1024;
    const have = this.policy.mem.buffer.byteLength;
    if (wanted > have) {
      const pages = Math.ceil((wanted - have) / PAGE);
      try {
        this.policy.mem.grow(pages);
      } catch {
        // The allocator grows on demand; failing here only loses the head start.
      }
    }
  }
}

/** opa-wasm treats only a plain ArrayBuffer as raw bytes (a Buffer would be JSON-stringified). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The SDK throws strings and plain objects as well as Errors. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
