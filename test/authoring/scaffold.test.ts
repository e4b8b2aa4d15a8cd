import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPolicyTests } from '../../src/authoring/runner.js';
import { initRepository, newControl } from '../../src/authoring/scaffold.js';
import { runOpa } from '../../src/opa/run.js';
import { packageRoot } from '../../src/paths.js';
import { buildBundle } from '../../src/policy/build.js';
import { readBundleDefinition } from '../../src/policy/definition.js';
import { committedBundle } from './helpers.js';

describe('cipa init and cipa new control', () => {
  it('a new repository (plus a generated GCP control) passes its tests and builds with the built-in controls and its own', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cipa-init-')), 'Acme Corp');
    const result = await initRepository(dir);
    for (const f of ['bundle.yaml', 'cipa.yaml', 'README.md', '.github/workflows/cipa.yml', 'settings/approved-services.yaml', 'settings/module-sources.yaml',
      'policy/cipa/controls/acme_corp/s3_owner_tag/s3_owner_tag.rego', 'policy/cipa/controls/acme_corp/s3_owner_tag/s3_owner_tag_test.rego',
      'testdata/controls/acmecorp-s3-01/failing.json', 'testdata/controls/acmecorp-s3-01/passing.expect.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(result.package).toBe('cipa.controls.acme_corp.s3_owner_tag');
    await expect(initRepository(dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/bundle\.yaml: already exists/) });

    const added = await newControl({ dir, id: 'ACMECORP-GCS-01', provider: 'gcp', service: 'storage' });
    expect(added.package).toBe('cipa.controls.acme_corp.acmecorp_gcs_01');
    const rego = readFileSync(join(dir, 'policy/cipa/controls/acme_corp/acmecorp_gcs_01/acmecorp_gcs_01.rego'), 'utf8');
    expect(rego).toContain('tfplan.by_type.google_storage_bucket');
    expect(rego).toContain('"labels", "owner"');
    await expect(newControl({ dir, id: 'ACMECORP-GCS-01', provider: 'gcp' })).rejects.toMatchObject({ message: expect.stringMatching(/already exists/) });
    await expect(newControl({ dir, id: 'not an id' })).rejects.toMatchObject({ exitCode: 2 });

    expect((await readBundleDefinition(join(dir, 'bundle.yaml'))).policy).toEqual([join(packageRoot(), 'rego'), join(dir, 'policy')]);
    // From here on the built-in library as committed stands in for builtin: (the working tree may be mid-edit).
    const { rego: builtin } = await committedBundle();
    writeFileSync(join(dir, 'bundle.yaml'), readFileSync(join(dir, 'bundle.yaml'), 'utf8').replace("'builtin:'", JSON.stringify(builtin)));
    const definition = await readBundleDefinition(join(dir, 'bundle.yaml'));
    expect(definition.policy).toEqual([builtin, join(dir, 'policy')]);
    const [report, built, fmt] = await Promise.all([runPolicyTests(dir), buildBundle({ definition }), runOpa(['fmt', '--list', join(dir, 'policy')])]);
    expect(report.failures).toEqual([]);
    expect(report.controls.map((c) => c.id)).toEqual(['ACMECORP-GCS-01', 'ACMECORP-S3-01']);
    expect(report.controls.map((c) => c.unit.passed)).toEqual([5, 5]);
    expect(report.unit.every((t) => t.package.startsWith('cipa.controls.acme_corp.'))).toBe(true); // its own tests only
    expect(report.fixtureResults.map((f) => [f.name, f.status])).toEqual([
      ['acmecorp-gcs-01/failing', 'pass'], ['acmecorp-gcs-01/passing', 'pass'], ['acmecorp-s3-01/failing', 'pass'], ['acmecorp-s3-01/passing', 'pass'],
    ]);
    expect(fmt.stdout.trim(), 'generated Rego is opa fmt clean').toBe('');

    const ids = built.controls.map((c) => c.id);
    expect(ids).toContain('ACMECORP-S3-01');
    expect(ids).toContain('CIPA-AWS-S3-01');
    const data = JSON.parse(Buffer.from(built.files.get('data.json')!).toString('utf8')) as { cipa: { settings: { approved_services: string[]; approved_module_sources: string[] } } };
    expect(data.cipa.settings.approved_services).toContain('aws:s3');
    expect(data.cipa.settings.approved_module_sources).toContain('github.com/acme_corp/');
  });

  it('new control in a bare policy directory uses the provider namespace and the testdata beside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cipa-bare-'));
    mkdirSync(join(root, 'rego', 'cipa'), { recursive: true });
    mkdirSync(join(root, 'testdata'));
    const result = await newControl({ dir: join(root, 'rego'), id: 'X-EC2-01', provider: 'aws', service: 'ec2' });
    expect(result.package).toBe('cipa.controls.aws.x_ec2_01');
    expect(result.files.some((f) => f.endsWith(join('rego', 'cipa', 'controls', 'aws', 'x_ec2_01', 'x_ec2_01.rego')))).toBe(true);
    expect(readFileSync(join(root, 'testdata', 'controls', 'x-ec2-01', 'failing.expect.json'), 'utf8')).toContain('"aws_instance.untagged": "fail"');
  });
});
