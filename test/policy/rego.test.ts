import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOpa } from '../../src/opa/run.js';
import { ROOT } from '../support/cli.js';

const REGO = join(ROOT, 'rego');

describe('the Rego library', () => {
  it('is opa check --strict clean', async () => {
    const r = await runOpa(['check', '--strict', REGO]);
    expect(r.stderr + r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('is opa fmt clean', async () => {
    const r = await runOpa(['fmt', '--list', REGO]);
    expect(r.stdout.trim(), `not formatted: ${r.stdout}`).toBe('');
  });

  it('passes its Rego unit tests', async () => {
    const r = await runOpa(['test', REGO, '--format', 'json']);
    const results = JSON.parse(r.stdout || '[]') as Array<{ package: string; name: string; fail?: boolean; error?: unknown }>;
    const failed = results.filter((t) => t.fail || t.error).map((t) => `${t.package}.${t.name}`);
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
    expect(r.code).toBe(0);
  });
});
