import * as opaWasm from '@open-policy-agent/opa-wasm';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { BundleError, CipaError } from '../errors.js';
import type { PolicyReport } from '../model.js';
import { CUSTOM_BUILTINS } from './builtins.js';

const ENTRYPOINT = 'cipa/main/report';
const PAGE = 64 * 1024;

/** Names of the builtins a compiled module imports from its host (i.e. not compiled into it). */
export function requiredBuiltins(policy: LoadedPolicy): string[] {
  const exports = policy.wasmInstance.exports as unknown as { builtins(): number; opa_json_dump(addr: number): number };
  const map = JSON.parse(readCString(policy.mem.buffer, exports.opa_json_dump(exports.builtins()))) as Record<string, number>;
  return Object.keys(map);
}

/**
 * The bundle's data (parsed data.json) with `cipa.runtime.engine` set to "wasm": the policy picks, per group-by,
 * the form that is linear in the engine evaluating it (rego/cipa/lib/tfplan, `wasm`).
 */
export function withWasmRuntime(data: unknown, source: string): Record<string, unknown> {
  const document = data ?? {};
  if (!isPlainObject(document)) throw new BundleError(`${source}: data.json is not a JSON object`);
  const cipa = document.cipa ?? {};
  if (!isPlainObject(cipa)) throw new BundleError(`${source}: data.json: cipa is not an object`, 'cipa reserves data.cipa for its settings and catalog');
  return { ...document, cipa: { ...cipa, runtime: { engine: 'wasm' } } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The NUL-terminated UTF-8 string at an address of Wasm memory (addresses read as unsigned). */
function readCString(buffer: ArrayBuffer, address: number): string {
  const bytes = new Uint8Array(buffer);
  const start = address >>> 0;
  const end = bytes.indexOf(0, start);
  if (end < 0) throw new Error('string in Wasm memory is not NUL-terminated');
  return new TextDecoder().decode(bytes.subarray(start, end));
}

// The ESM entry exports loadPolicySync only on its default export.
const { loadPolicySync } = (opaWasm as unknown as { default: { loadPolicySync: typeof opaWasm.loadPolicySync } }).default;

type CompiledModule = Parameters<typeof loadPolicySync>[0];

/** The Node global the TypeScript lib we target does not declare. */
const wasmApi = (globalThis as unknown as { WebAssembly: { Module: new (bytes: ArrayBuffer) => CompiledModule } }).WebAssembly;

const MiB = 1024 * 1024;
/** How much memory an instance starts with for an input: a base plus a multiple of the input's size. */
export interface HeapSizing {
  baseBytes: number;
  perInputByte: number;
}

/** Measured on synthetic and real plans: evaluation's heap peaks at 60–75× the (slimmed) input. */
const DEFAULT_SIZING: HeapSizing = { baseBytes: 64 * MiB, perInputByte: 80 };
/** wasm32 memory ends at 4 GiB (65536 pages); Node 20 accepts that as an initial size. */
const MAX_INITIAL_PAGES = 65_535;

/**
 * The Wasm evaluator: one compiled module, instantiated with memory sized for the plan at hand, so that a plan is
 * parsed once per evaluation by a single call of the aggregated entrypoint.
 *
 * Why the sizing: opa's allocator reads the memory size once, at instantiation, and then grows memory one 64 KiB
 * page per call (wasm/src/malloc.c). A 30 MB plan meant ~12,000 memory.grow calls, which cost several times the
 * evaluation itself. An instance is therefore created with room for the input, and replaced by a larger one when
 * a larger plan comes (memory never shrinks; the old instance is left to the garbage collector).
 */
export class WasmEngine {
  private policy: LoadedPolicy;
  private capacityPages: number;

  private constructor(
    private readonly module: CompiledModule,
    private readonly data: ArrayBuffer,
    private readonly source: string,
    private readonly sizing: HeapSizing,
  ) {
    this.capacityPages = 0;
    this.policy = this.instantiate(this.pagesFor(0));
  }

  /**
   * `data` is the bundle's parsed data.json (undefined: none). `sizing` is for tests that make evaluation grow
   * memory; the default leaves room for the plan.
   */
  static async load(wasm: Uint8Array, data: unknown, source: string, sizing: HeapSizing = DEFAULT_SIZING): Promise<WasmEngine> {
    let module: CompiledModule;
    try {
      module = new wasmApi.Module(toArrayBuffer(wasm));
    } catch (error) {
      throw new BundleError(`${source}: policy.wasm cannot be loaded: ${describe(error)}`);
    }
    return new WasmEngine(module, toArrayBuffer(new TextEncoder().encode(JSON.stringify(withWasmRuntime(data, source)))), source, sizing);
  }

  private instantiate(pages: number): LoadedPolicy {
    let policy: LoadedPolicy;
    try {
      policy = loadPolicySync(this.module, { initial: pages }, CUSTOM_BUILTINS);
    } catch (error) {
      throw new BundleError(`${this.source}: policy.wasm cannot be loaded: ${describe(error)}`);
    }
    const missing = requiredBuiltins(policy).filter((name) => !(name in CUSTOM_BUILTINS));
    if (missing.length > 0) {
      throw new BundleError(`${this.source}: policy.wasm needs builtins cipa cannot run in Node: ${missing.join(', ')}`, 'rebuild the bundle with cipa bundle build, which checks capabilities');
    }
    if (!(ENTRYPOINT in policy.entrypoints)) {
      throw new BundleError(`${this.source}: policy.wasm has no ${ENTRYPOINT} entrypoint`, 'build it with cipa bundle build');
    }
    try {
      policy.setData(this.data);
    } catch (error) {
      throw new BundleError(`${this.source}: data.json cannot be loaded into the policy: ${describe(error)}`);
    }
    this.capacityPages = pages;
    return policy;
  }

  private pagesFor(inputBytes: number): number {
    return Math.min(Math.ceil((this.sizing.baseBytes + inputBytes * this.sizing.perInputByte) / PAGE), MAX_INITIAL_PAGES);
  }

  /** Evaluates a plan given as UTF-8 JSON bytes. */
  evaluate(input: Uint8Array, source: string): PolicyReport {
    const pages = this.pagesFor(input.byteLength);
    if (pages > this.capacityPages) this.policy = this.instantiate(pages);
    let text: string;
    try {
      text = this.evaluateRaw(input);
    } catch (error) {
      throw new CipaError('internal', `${source}: policy evaluation failed: ${describe(error)}`);
    }
    const value = (JSON.parse(text) as Array<{ result?: unknown }> | null)?.[0]?.result as PolicyReport | undefined;
    if (!value || !Array.isArray(value.decisions)) throw new CipaError('internal', `${source}: policy returned no report`);
    return value;
  }

  /**
   * One opa_eval call (ABI 1.2+), as the SDK's evaluate does, but with addresses read as unsigned: the SDK reads
   * them as signed 32-bit numbers and fails once the heap passes 2 GiB, which plans of 100 MB reach. The input is
   * copied above the loaded data; opa_eval resets the heap to just past it, parses, evaluates and returns the
   * address of the result as NUL-terminated JSON.
   */
  private evaluateRaw(input: Uint8Array): string {
    const policy = this.policy as LoadedPolicy & { dataHeapPtr: number; dataAddr: number; minorVersion: number };
    if (policy.minorVersion < 2) throw new Error(`policy.wasm uses Wasm ABI 1.${policy.minorVersion}; cipa needs 1.2 or later`);
    const exports = policy.wasmInstance.exports as unknown as {
      opa_eval(reserved: number, entrypoint: number, data: number, input: number, length: number, heap: number, format: number): number;
    };
    const entrypoint = policy.entrypoints[ENTRYPOINT]!;
    const inputAddr = policy.dataHeapPtr >>> 0;
    const end = inputAddr + input.byteLength;
    const memory = policy.mem;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    new Uint8Array(memory.buffer).set(input, inputAddr);
    const result = exports.opa_eval(0, entrypoint, policy.dataAddr >>> 0, inputAddr, input.byteLength, end, 0);
    // Read memory.buffer only now: evaluation may have grown memory, which detaches the buffer seen before.
    return readCString(memory.buffer, result);
  }

  /** Bytes of linear memory the current instance holds (its high-water mark). */
  memoryBytes(): number {
    return this.policy.mem.buffer.byteLength;
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
