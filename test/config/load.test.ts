import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig, parseConfigText } from '../../src/config/load.js';
import { controlSelector, mergeConfig } from '../../src/config/merge.js';
import { CipaError, ConfigError, UsageError } from '../../src/errors.js';

const GOOD = `# organisation policy
bundle: oci://registry.example/cipa/controls:1.2.0
digest: sha256:${'a'.repeat(64)}
fail_on: critical
warn_on: low
only: ["CIPA-AWS-*"]
skip: [CIPA-AWS-S3-05]
data: [data/settings.json]
formats: [text, sarif=out/cipa.sarif]
source_root: infra
exceptions:
  - control: CIPA-AWS-S3-01
    resource: module.logs.aws_s3_bucket.this
    owner: platform-team
    reason: public website bucket
    expires: 2026-12-31
    ticket: SEC-123
`;

async function errorOf(text: string, file = 'cipa.yaml'): Promise<ConfigError> {
  try {
    await parseConfigText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads every key and resolves paths against the file directory', async () => {
    const config = await parseConfigText(GOOD, 'conf/cipa.yaml');
    expect(config).toEqual({
      file: 'conf/cipa.yaml',
      bundle: 'oci://registry.example/cipa/controls:1.2.0',
      digest: `sha256:${'a'.repeat(64)}`,
      fail_on: 'critical',
      warn_on: 'low',
      only: ['CIPA-AWS-*'],
      skip: ['CIPA-AWS-S3-05'],
      data: ['conf/data/settings.json'],
      formats: [{ format: 'text' }, { format: 'sarif', path: 'conf/out/cipa.sarif' }],
      source_root: 'conf/infra',
      exceptions: [
        {
          control: 'CIPA-AWS-S3-01',
          resource: 'module.logs.aws_s3_bucket.this',
          owner: 'platform-team',
          reason: 'public website bucket',
          expires: '2026-12-31',
          ticket: 'SEC-123',
        },
      ],
      exceptionLines: [12],
    });
  });

  it('accepts an empty file', async () => {
    expect(await parseConfigText('', 'cipa.yaml')).toEqual({ file: 'cipa.yaml', exceptions: [], exceptionLines: [] });
  });

  it.each([
    [GOOD.replace('expires: 2026-12-31', 'expires: 31/12/2026'), 'cipa.yaml:16: exceptions[0].expires: must match YYYY-MM-DD'],
    [GOOD.replace('expires: 2026-12-31', 'expires: 2026-02-30'), 'cipa.yaml:16: exceptions[0].expires: 2026-02-30 is not a calendar date'],
    [GOOD.replace('    owner: platform-team\n', ''), 'cipa.yaml:12: exceptions[0]: missing required key owner'],
    [GOOD.replace('    reason: public website bucket\n', ''), 'cipa.yaml:12: exceptions[0]: missing required key reason'],
    [GOOD.replace('    expires: 2026-12-31\n', ''), 'cipa.yaml:12: exceptions[0]: missing required key expires'],
    [GOOD.replace('reason: public website bucket', 'reason: ""'), 'cipa.yaml:15: exceptions[0].reason: must not be empty'],
    [GOOD.replace('fail_on: critical', 'fail_on: severe'), 'cipa.yaml:4: fail_on: must be one of critical, high, medium, low, info'],
    [GOOD.replace('source_root: infra', 'sourceroot: infra'), 'cipa.yaml:10: sourceroot: unknown key'],
    [GOOD.replace(`digest: sha256:${'a'.repeat(64)}`, 'digest: md5:abc'), 'cipa.yaml:3: digest: must be sha256:<64 lowercase hex digits>'],
    [GOOD.replace('formats: [text, sarif=out/cipa.sarif]', 'formats: [pdf]'), 'cipa.yaml:9: formats[0]: must be a format name'],
    [GOOD.replace('only: ["CIPA-AWS-*"]', 'only: CIPA-AWS-01'), 'cipa.yaml:6: only: must be array'],
    [`${GOOD}    extra: 1\n`, 'cipa.yaml:18: exceptions[0].extra: unknown key'],
    ['fail_on: [unclosed\n', 'cipa.yaml:'],
    ['- just\n- a list\n', 'cipa.yaml:1: must be a mapping'],
  ])('reports file, line and key path (%#)', async (text, expected) => {
    const error = await errorOf(text);
    expect(error.oneLine()).toContain(expected);
    expect(error.exitCode).toBe(2);
    expect(error.oneLine()).not.toContain('\n');
  });

  it('names the file and line of invalid YAML', async () => {
    const error = await errorOf('bundle: a\nfail_on: high\n  bad: indent\n', 'ci/cipa.yaml');
    expect(error.message).toMatch(/^ci\/cipa\.yaml:[23]: invalid YAML: \S/);
  });

  it('rejects duplicate keys', async () => {
    const error = await errorOf('fail_on: high\nfail_on: low\n');
    expect(error.message).toMatch(/^cipa\.yaml:2: invalid YAML: .*unique/);
  });

  it('reads from disk and reports a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cipa-config-'));
    await writeFile(join(dir, 'cipa.yaml'), 'fail_on: medium\n');
    expect(await findConfig(dir)).toBe(join(dir, 'cipa.yaml'));
    expect((await loadConfig(join(dir, 'cipa.yaml'))).fail_on).toBe('medium');
    const empty = await mkdtemp(join(tmpdir(), 'cipa-config-'));
    expect(await findConfig(empty)).toBeUndefined();
    expect(await findConfig(empty, 'other.yaml')).toBe('other.yaml');
    await expect(loadConfig(join(empty, 'nope.yaml'))).rejects.toThrow(/nope\.yaml: no such file/);
  });
});

describe('mergeConfig', () => {
  it('uses defaults without a file or flags', () => {
    expect(mergeConfig(undefined, {})).toEqual({
      fail_on: 'critical',
      warn_on: 'low',
      only: [],
      skip: [],
      data: [],
      formats: [{ format: 'text' }],
      exceptions: [],
      exceptionSources: [],
    });
  });

  it('lets flags override the file, key by key', async () => {
    const file = await parseConfigText(GOOD, 'cipa.yaml');
    const merged = mergeConfig(file, { 'fail-on': 'high', only: ['CIPA-GCP-*'], format: ['json', 'junit=r.xml'] });
    expect(merged.fail_on).toBe('high');
    expect(merged.warn_on).toBe('low');
    expect(merged.only).toEqual(['CIPA-GCP-*']);
    expect(merged.skip).toEqual(['CIPA-AWS-S3-05']);
    expect(merged.formats).toEqual([{ format: 'json' }, { format: 'junit', path: 'r.xml' }]);
    expect(merged.source_root).toBe('infra');
    expect(merged.exceptions).toHaveLength(1);
    expect(merged.exceptionSources).toEqual(['cipa.yaml:12']);
    expect(merged.digest).toBe(`sha256:${'a'.repeat(64)}`);
    expect(merged.file).toBe('cipa.yaml');
  });

  it('splits comma-separated --only/--skip like the flags take them', () => {
    const merged = mergeConfig(undefined, { only: 'CIPA-AWS-S3-01, CIPA-AWS-IAM-*', skip: ['A,B', 'C'] });
    expect(merged.only).toEqual(['CIPA-AWS-S3-01', 'CIPA-AWS-IAM-*']);
    expect(merged.skip).toEqual(['A', 'B', 'C']);
  });

  it('selects controls by ids and globs and reports entries that select nothing', () => {
    const known = ['CIPA-AWS-S3-01', 'CIPA-AWS-S3-02', 'CIPA-AWS-IAM-01', 'CIPA-GCP-NET-01'];
    const { selected, unmatched } = controlSelector(['CIPA-AWS-*', 'CIPA-AZURE-*'], ['CIPA-AWS-S3-02', 'CIPA-AWS-S3-99'], known);
    expect(known.filter(selected)).toEqual(['CIPA-AWS-S3-01', 'CIPA-AWS-IAM-01']);
    expect(unmatched).toEqual(['CIPA-AZURE-*', 'CIPA-AWS-S3-99']);
    expect(known.filter(controlSelector([], [], known).selected)).toEqual(known);
  });

  it('drops the pinned digest when --bundle points elsewhere', async () => {
    const file = await parseConfigText(GOOD, 'cipa.yaml');
    const merged = mergeConfig(file, { bundle: './local.tar.gz' });
    expect(merged.bundle).toBe('./local.tar.gz');
    expect(merged.digest).toBeUndefined();
  });

  it('does not mutate its inputs', async () => {
    const file = await parseConfigText(GOOD, 'cipa.yaml');
    const before = JSON.stringify(file);
    const merged = mergeConfig(file, {});
    merged.only.push('X');
    merged.exceptions.pop();
    expect(JSON.stringify(file)).toBe(before);
  });

  it('rejects warn_on above fail_on, as a usage error for flags and a config error for the file', async () => {
    expect(() => mergeConfig(undefined, { 'fail-on': 'medium', 'warn-on': 'high' })).toThrow(UsageError);
    const file = await parseConfigText('fail_on: low\nwarn_on: critical\n', 'cipa.yaml');
    expect(() => mergeConfig(file, {})).toThrow(ConfigError);
    expect(() => mergeConfig(file, {})).toThrow(/cipa\.yaml: warn_on \(critical\) is above fail_on \(low\)/);
  });

  it('rejects bad format flags', () => {
    expect(() => mergeConfig(undefined, { format: ['pdf'] })).toThrow(/unknown format "pdf"/);
    expect(() => mergeConfig(undefined, { format: ['json', 'text'] })).toThrow(/both write to stdout/);
    expect(() => mergeConfig(undefined, { format: ['json=a', 'sarif=a'] })).toThrow(/two formats write to a/);
    try {
      mergeConfig(undefined, { format: ['sarif='] });
    } catch (error) {
      expect((error as CipaError).exitCode).toBe(2);
    }
  });
});
