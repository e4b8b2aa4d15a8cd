import { spawn } from 'node:child_process';
import { ToolError } from '../errors.js';
import { locateOpa } from './locate.js';

export interface OpaResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs the pinned opa with arguments (never through a shell). Rejects only when opa cannot be started. */
export function runOpa(args: string[], options: { cwd?: string; input?: string | Buffer; timeoutMs?: number } = {}): Promise<OpaResult> {
  const opa = locateOpa();
  return new Promise((resolve, reject) => {
    const child = spawn(opa.path, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ToolError(`cannot run opa at ${opa.path}: ${error.message}`, 'run `npm run setup` or set CIPA_OPA'));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (signal ? `\nopa killed by ${signal}` : ''),
        code: code ?? 1,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs opa and returns stdout, or throws a ToolError carrying opa's first error line. */
export async function runOpaOrThrow(args: string[], what: string, options: { cwd?: string; input?: string | Buffer } = {}): Promise<string> {
  const result = await runOpa(args, options);
  if (result.code !== 0) {
    const first = firstErrorLine(result.stderr || result.stdout);
    throw new ToolError(`${what} failed: ${first}`);
  }
  return result.stdout;
}

export function firstErrorLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const meaningful = lines.find((l) => /error|:\d+:/.test(l) && !/errors? occurred:?$/.test(l)) ?? lines[0] ?? 'no output';
  return meaningful;
}
