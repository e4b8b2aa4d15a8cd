import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../src/severity.js';
import { bundleFromRego } from '../support/policy.js';
import { ROOT } from '../support/cli.js';

describe('the control catalog (METADATA, validated by the build)', () => {
  it('has unique, well-formed ids and full metadata for every control', async () => {
    const { built } = await bundleFromRego();
    const ids = built.controls.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of built.controls) {
      expect(c.id).toMatch(/^CIPA-(AWS|AZURE|GCP|GOV)(-[A-Z0-9]+)?-\d{2}$/);
      expect(SEVERITIES).toContain(c.severity);
      expect(c.title.length, c.id).toBeGreaterThan(5);
      expect(c.remediation, c.id).toMatch(/resource|module|provider|terraform|=/i);
      expect(c.resource_types.length, c.id).toBeGreaterThan(0);
      expect(c.package).toMatch(/^cipa\.controls\.[a-z0-9_]+\.[a-z0-9_]+$/);
      expect(c.file).toBe(`${c.package.replace(/\./g, '/')}/${c.package.split('.').at(-1)}.rego`);
    }
  });

  it('gives every control fixtures with a failing and a passing resource', async () => {
    const { built } = await bundleFromRego();
    const missing: string[] = [];
    for (const c of built.controls) {
      const dir = join(ROOT, 'testdata', 'controls', c.id.toLowerCase());
      const statuses = new Set<string>();
      if (existsSync(dir)) {
        for (const f of readdirSync(dir).filter((n) => n.endsWith('.expect.json'))) {
          const e = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { control: string; decisions: Record<string, string> };
          expect(e.control, `${dir}/${f}`).toBe(c.id);
          for (const s of Object.values(e.decisions)) statuses.add(s);
        }
      }
      if (!statuses.has('fail') || !statuses.has('pass')) missing.push(`${c.id} (has ${[...statuses].join(', ') || 'no fixtures'})`);
    }
    expect(missing).toEqual([]);
  });
});
