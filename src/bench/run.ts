/**
 * npm run bench: synthetic plans of 1k, 10k and 25k resources; per size, the time of each phase of `cipa eval`
 * (read, parse + validate, slim, Wasm evaluation, render), peak memory, native `opa eval` of the same bundle on the
 * same file, and the floor (reading the file and JSON.parse in Node). Each size runs in its own process so its
 * peak memory is its own. Prints a table and the ratios the targets are stated in.
 * CIPA_BENCH_SIZES=1000,30000 picks the sizes; CIPA_BENCH_UNTAGGED=1 generates plans without tags, where the
 * required-tags control fails on every resource.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReport, builtinBundlePath, evaluatePlan, loadBundleFile } from '../evaluate.js';
import { locateOpa } from '../opa/locate.js';
import { parsePlanJson } from '../plan/parse.js';
import { readPlanSource } from '../plan/read.js';
import { slimPlan } from '../plan/slim.js';
import { validatePlan } from '../plan/validate.js';
import { renderJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import { generatePlan } from './generate.js';

const REPEAT = 3;

interface SizeResult {
  resources: number;
  bytes: number;
  slimBytes: number;
  read: number;
  parse: number;
  slim: number;
  wasm: number;
  render: number;
  total: number;
  floor: number;
  opa: number;
  cli: number;
  peakRssMiB: number;
  wasmMemoryMiB: number;
  findings: number;
}

function best(times: number[]): number {
  return Math.min(...times);
}

async function timeIt<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

/** Child mode: measures one size in this process and prints a JSON line. */
async function measure(file: string, resources: number): Promise<SizeResult> {
  const bundle = await loadBundleFile(builtinBundlePath());
  const r: Record<string, number[]> = { read: [], parse: [], slim: [], wasm: [], render: [], total: [], floor: [] };
  let slimBytes = 0;
  let findings = 0;
  for (let i = 0; i < REPEAT + 1; i++) {
    const [floorRead, text] = await timeIt(() => readFileSync(file, 'utf8'));
    const [floorParse] = await timeIt(() => JSON.parse(text) as unknown);
    const [read, source] = await timeIt(() => readPlanSource(file));
    const [parse, plan] = await timeIt(() => validatePlan(file, parsePlanJson(file, source.bytes)));
    const [slim, input] = await timeIt(() => Buffer.from(JSON.stringify(slimPlan(plan))));
    const [wasm, decisions] = await timeIt(() => evaluatePlan(bundle, { path: file, plan, input }));
    const [render] = await timeIt(() => {
      const report = buildReport(bundle, [decisions], { failOn: 'critical', warnOn: 'low' });
      findings = report.findings.length;
      return renderText(report).length + renderJson(report).length;
    });
    slimBytes = input.length;
    if (i === 0) continue; // warm-up: V8 tiers up the Wasm module on first use
    r.read!.push(read);
    r.parse!.push(parse);
    r.slim!.push(slim);
    r.wasm!.push(wasm);
    r.render!.push(render);
    r.total!.push(read + parse + slim + wasm + render);
    r.floor!.push(floorRead + floorParse);
  }
  const wasmMemory = (bundle.engine as unknown as { policy: { mem: { buffer: ArrayBuffer } } }).policy.mem.buffer.byteLength;
  return {
    resources,
    bytes: readFileSync(file).length,
    slimBytes,
    read: best(r.read!),
    parse: best(r.parse!),
    slim: best(r.slim!),
    wasm: best(r.wasm!),
    render: best(r.render!),
    total: best(r.total!),
    floor: best(r.floor!),
    opa: 0,
    cli: 0,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    wasmMemoryMiB: wasmMemory / 1024 / 1024,
    findings,
  };
}

function wall(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr.toString().slice(0, 300)}`);
  return ms;
}

function runChild(file: string, resources: number): Promise<SizeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', file, String(resources)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as SizeResult) : reject(new Error(`bench child exited ${code}`))));
  });
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    process.stdout.write(JSON.stringify(await measure(process.argv[3]!, Number(process.argv[4]))));
    return;
  }
  const sizes = (process.env.CIPA_BENCH_SIZES ?? '1000,10000,25000').split(',').map(Number);
  const untagged = process.env.CIPA_BENCH_UNTAGGED === '1';
  const opa = locateOpa();
  const dir = mkdtempSync(join(tmpdir(), 'cipa-bench-'));
  const cli = join(fileURLToPath(import.meta.url), '..', '..', '..', 'bin', 'run.js');
  const results: SizeResult[] = [];
  try {
    for (const size of sizes) {
      const { plan, resources } = generatePlan(size, { untagged });
      const file = join(dir, `plan-${resources}.json`);
      writeFileSync(file, JSON.stringify(plan));
      process.stderr.write(`bench: ${resources}${untagged ? ' untagged' : ''} resources (${(readFileSync(file).length / 1e6).toFixed(1)} MB)...\n`);
      const result = await runChild(file, resources);
      const opaArgs = ['eval', '-b', builtinBundlePath(), '-i', file, '--format', 'json', 'data.cipa.main.report'];
      result.opa = best([wall(opa.path, opaArgs), wall(opa.path, opaArgs)]);
      result.cli = best([wall(process.execPath, [cli, 'eval', file, '-f', 'json']), wall(process.execPath, [cli, 'eval', file, '-f', 'json'])]);
      results.push(result);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = ['resources', 'MB', 'slim MB', 'read', 'parse', 'slim', 'wasm', 'render', 'cipa', 'floor', 'cipa/floor', 'cipa CLI', 'opa eval', 'CLI/opa', 'µs/res', 'peak RSS MiB', 'wasm MiB'];
  const rows = results.map((r) => [
    r.resources, (r.bytes / 1e6).toFixed(1), (r.slimBytes / 1e6).toFixed(1), ms(r.read), ms(r.parse), ms(r.slim), ms(r.wasm), ms(r.render), ms(r.total), ms(r.floor),
    (r.total / r.floor).toFixed(2), ms(r.cli), ms(r.opa), (r.cli / r.opa).toFixed(2), ((r.total * 1000) / r.resources).toFixed(1), r.peakRssMiB.toFixed(0), r.wasmMemoryMiB.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  process.stdout.write(`times in ms, best of ${REPEAT} after a warm-up; cipa = read+parse+slim+wasm+render in process; floor = readFile + JSON.parse; CLI and opa eval = whole process, best of 2\n`);
  process.stdout.write(`${header.map((h, i) => pad(h, widths[i]!)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${row.map((c, i) => pad(c, widths[i]!)).join('  ')}\n`);
  if (results.length > 1) {
    const first = results[0]!;
    const last = results.at(-1)!;
    process.stdout.write(`linearity: ${last.resources / first.resources}x resources → ${(last.total / first.total).toFixed(1)}x cipa time (µs per resource ${((first.total * 1000) / first.resources).toFixed(1)} → ${((last.total * 1000) / last.resources).toFixed(1)})\n`);
  }
}

await main();
