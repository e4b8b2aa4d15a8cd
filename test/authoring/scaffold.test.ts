import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPolicyTests } from '../../src/authoring/runner.js';
import { initRepository, newControl } from '../../src/authoring/scaffold.js';
import { runOpa } from '../../src/opa/run.js';
import { packageRoot } from '../../src/paths.js';
import { buildBundle } from '../../src/policy/build.js';
import { readBundleDefinition } from '../../src/policy/definition.js';

describe('cipa init', () => {
  it('writes a repository whose tests pass and whose bundle builds with the built-in controls and its own', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cipa-init-')), 'Acme Corp');
    const result = await initRepository(dir);
    for (const f of ['bundle.yaml', 'cipa.yaml', 'README.md', '.github/workflows/cipa.yml', 'settings/approved-services.yaml', 'settings/module-sources.yaml',
      'policy/cipa/controls/acme_corp/s3_owner_tag/s3_owner_tag.rego', 'policy/cipa/controls/acme_corp/s3_owner_tag/s3_owner_tag_test.rego',
      'testdata/controls/acmecorp-s3-01/failing.json', 'testdata/controls/acmecorp-s3-01/passing.expect.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(result.package).toBe('cipa.controls.acme_corp.s3_owner_tag');

    const definition = await readBundleDefinition(join(dir, 'bundle.yaml'));
    expect(definition.policy).toEqual([join(packageRoot(), 'rego'), join(dir, 'policy')]);

    const [report, built, fmt, check] = await Promise.all([
      runPolicyTests(dir),
      buildBundle({ definition }),
      runOpa(['fmt', '--list', join(dir, 'policy')]),
      runOpa(['check', '--strict', join(packageRoot(), 'rego'), join(dir, 'policy')]),
    ]);
    expect(report.failures).toEqual([]);
    expect(report.controls.map((c) => c.id)).toEqual(['ACMECORP-S3-01']);
    expect(report.controls[0]!.unit.passed).toBe(5);
    expect(report.fixtureResults.map((f) => [f.name, f.status])).toEqual([['acmecorp-s3-01/failing', 'pass'], ['acmecorp-s3-01/passing', 'pass']]);

    const ids = built.controls.map((c) => c.id);
    expect(ids).toContain('ACMECORP-S3-01');
    expect(ids).toContain('CIPA-AWS-S3-01');
    const data = JSON.parse(Buffer.from(built.files.get('data.json')!).toString('utf8')) as { cipa: { settings: { approved_services: string[]; approved_module_sources: string[] } } };
    expect(data.cipa.settings.approved_services).toContain('aws:s3');
    expect(data.cipa.settings.approved_module_sources).toContain('github.com/acme_corp/');

    expect(fmt.stdout.trim()).toBe('');
    expect(check.stderr + check.stdout).toBe('');

    await expect(initRepository(dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/bundle\.yaml: already exists/) });
  });

  it('new control adds a second control in the organisation namespace that passes as generated, for GCP labels too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cipa-new-'));
    await initRepository(dir, { org: 'acme' });
    const added = await newControl({ dir, id: 'ACME-GCS-01', provider: 'gcp', service: 'storage' });
    expect(added.package).toBe('cipa.controls.acme.acme_gcs_01');
    const rego = readFileSync(join(dir, 'policy/cipa/controls/acme/acme_gcs_01/acme_gcs_01.rego'), 'utf8');
    expect(rego).toContain('google_storage_bucket');
    expect(rego).toContain('"labels", "owner"');
    const report = await runPolicyTests(dir);
    expect(report.failures).toEqual([]);
    expect(report.controls.map((c) => c.id).sort()).toEqual(['ACME-GCS-01', 'ACME-S3-01']);
    expect(report.fixtureResults.filter((f) => f.control === 'ACME-GCS-01')).toHaveLength(2);

    await expect(newControl({ dir, id: 'ACME-GCS-01', provider: 'gcp' })).rejects.toMatchObject({ message: expect.stringMatching(/already exists/) });
    await expect(newControl({ dir, id: 'not an id' })).rejects.toMatchObject({ exitCode: 2 });
  });

  it('new control in a bare policy directory uses the provider namespace and ../testdata', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cipa-bare-'));
    mkdirSync(join(root, 'rego', 'cipa'), { recursive: true });
    mkdirSync(join(root, 'testdata'));
    const result = await newControl({ dir: join(root, 'rego'), id: 'X-EC2-01', provider: 'aws', service: 'ec2' });
    expect(result.package).toBe('cipa.controls.aws.x_ec2_01');
    expect(result.files.some((f) => f.endsWith(join('rego', 'cipa', 'controls', 'aws', 'x_ec2_01', 'x_ec2_01.rego')))).toBe(true);
    expect(existsSync(join(root, 'testdata', 'controls', 'x-ec2-01', 'failing.json'))).toBe(true);
    expect(readFileSync(join(root, 'testdata', 'controls', 'x-ec2-01', 'failing.expect.json'), 'utf8')).toContain('"aws_instance.untagged": "fail"');
  });
});
