import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderGithubSummary } from '../../src/render/github.js';
import { RENDERERS } from '../../src/render/index.js';
import { locateResources } from '../../src/render/tf-locate.js';
import { control, finding, sampleReport } from './fixtures.js';

/**
 * Renderer-level canary: sensitive values exist in the plan file and in the .tf sources that cipa reads (tf-locate
 * scans them), but the report carries only redacted messages. No format may add anything beyond the report.
 * The end-to-end canary (a real plan with sensitive attributes through `cipa eval` and every -f format) belongs
 * with the engine: see the note in the report of this work.
 */
const CANARY = 'CANARY-3f9c1e7a5b2d';

describe('sensitive values never appear in any format', () => {
  it('renders no plan or source value that the report does not carry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cipa-canary-'));
    const planPath = join(dir, 'plan.json');
    await writeFile(
      planPath,
      JSON.stringify({
        format_version: '1.2',
        planned_values: { root_module: { resources: [{ address: 'aws_db_instance.main', values: { password: `${CANARY}-plan` } }] } },
        resource_changes: [{ address: 'aws_db_instance.main', change: { after: { password: `${CANARY}-after` }, after_sensitive: { password: true } } }],
        variables: { db_password: { value: `${CANARY}-var` } },
      }),
    );
    const src = join(dir, 'tf');
    await mkdir(src);
    await writeFile(
      join(src, 'main.tf'),
      `variable "db_password" {\n  default = "${CANARY}-tf"\n}\n\nresource "aws_db_instance" "main" {\n  password = "${CANARY}-literal" # ${CANARY}-comment\n}\n`,
    );

    const report = sampleReport();
    const db = control('CIPA-AWS-RDS-01', 'critical', { resource_types: ['aws_db_instance'] });
    report.controls.push(db);
    // What the engine emits for a sensitive attribute: the attribute is named, the value is not.
    report.findings.push(finding(db, 'aws_db_instance.main', { plan: planPath, message: 'aws_db_instance.main: password is set from a literal (sensitive value)' }));
    report.decisions.push({ control: db.id, resource: 'aws_db_instance.main', resource_type: 'aws_db_instance', module: '', status: 'fail', severity: 'critical', messages: ['aws_db_instance.main: password is set from a literal (sensitive value)'], plan: planPath });
    report.plans.push({ path: planPath, terraform_version: '1.9.5', resources: 1 });
    expect(JSON.stringify(report)).not.toContain(CANARY);

    const locations = await locateResources(src, report.findings.map((f) => f.resource));
    expect(locations.get('aws_db_instance.main')).toEqual({ file: `${src}/main.tf`, line: 5 });
    const outputs: Array<[string, string]> = Object.entries(RENDERERS).map(([name, render]) => [name, render!(report, { locations })]);
    outputs.push(['github-summary', renderGithubSummary(report, { locations })]);
    expect(outputs.length).toBeGreaterThanOrEqual(7);
    for (const [name, text] of outputs) {
      expect({ name, leaked: text.includes(CANARY) }).toEqual({ name, leaked: false });
      // not vacuous: each format did render the finding, with its redacted message
      expect({ name, rendered: text.includes('sensitive value') }).toEqual({ name, rendered: true });
    }
  });
});
