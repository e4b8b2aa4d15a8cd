import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceLocator, locateResources, parseAddress, scanTerraform } from '../../src/render/tf-locate.js';

const TRICKY = `# resource "aws_s3_bucket" "commented" {
// resource "aws_s3_bucket" "slashed" {
/* resource "aws_s3_bucket" "block" {
} */
locals {
  braces = "}}} { ${'${'}lookup(var.m, "}")} {"
  text   = <<-EOT
    resource "aws_s3_bucket" "in_heredoc" {
    }
  EOT
}

resource "aws_s3_bucket" "first" {
  policy = jsonencode({ a = "}" })
  tags = {
    Name = "x"
  }
}
data "aws_iam_policy_document" "p" {
}
resource aws_instance "bare_labels" {}
  resource   "aws_s3_bucket"   "indented"   {
}
module "net" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  inner = {
    source = "./not-this"
  }
}
`;

describe('scanTerraform', () => {
  it('finds top-level blocks and their lines, ignoring comments, strings and heredocs', () => {
    const index = scanTerraform(TRICKY, 'main.tf');
    expect(Object.fromEntries([...index.resources].map(([k, v]) => [k, v.line]))).toEqual({
      'aws_s3_bucket.first': 13,
      'data.aws_iam_policy_document.p': 19,
      'aws_instance.bare_labels': 21,
      'aws_s3_bucket.indented': 22,
    });
    expect(index.resources.get('aws_s3_bucket.first')?.file).toBe('main.tf');
    expect([...index.modules]).toEqual([['net', 'terraform-aws-modules/vpc/aws']]);
  });

  it('handles CRLF line endings', () => {
    const index = scanTerraform('\r\n\r\nresource "a" "b" {\r\n}\r\n', 'x.tf');
    expect(index.resources.get('a.b')?.line).toBe(3);
  });
});

describe('parseAddress', () => {
  it.each([
    ['aws_s3_bucket.a', { modules: [], resource: 'aws_s3_bucket.a' }],
    ['aws_s3_bucket.a[0]', { modules: [], resource: 'aws_s3_bucket.a' }],
    ['module.a["x.y"].module.b[2].aws_s3_bucket.c["k"]', { modules: ['a', 'b'], resource: 'aws_s3_bucket.c' }],
    ['data.aws_iam_policy_document.p', { modules: [], resource: 'data.aws_iam_policy_document.p' }],
    ['module.m.data.aws_caller_identity.me', { modules: ['m'], resource: 'data.aws_caller_identity.me' }],
  ])('%s', (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
  });
  it('rejects non-resource addresses', () => {
    expect(parseAddress('module.a')).toBeUndefined();
    expect(parseAddress('var.x.y.z')).toBeUndefined();
  });
});

describe('locateResources', () => {
  it('follows local modules (nested, ../ paths) and registry modules through .terraform/modules/modules.json', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cipa-locate-'));
    const env = join(root, 'envs', 'prod');
    await mkdir(join(env, '.terraform', 'modules', 'vpc'), { recursive: true });
    await mkdir(join(root, 'modules', 'bucket', 'inner'), { recursive: true });
    await writeFile(join(env, 'main.tf'), 'module "store" {\n  source = "../../modules/bucket"\n}\n\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n');
    await writeFile(join(env, 'other.tf'), '\nresource "aws_s3_bucket" "root" {}\n');
    await writeFile(join(env, '.terraform', 'modules', 'modules.json'), JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'vpc', Source: 'registry', Dir: '.terraform/modules/vpc' }] }));
    await writeFile(join(env, '.terraform', 'modules', 'vpc', 'main.tf'), '\n\n\nresource "aws_vpc" "this" {\n}\n');
    await writeFile(join(root, 'modules', 'bucket', 'main.tf'), 'module "inner" {\n  source = "./inner"\n}\nresource "aws_s3_bucket" "this" {}\n');
    await writeFile(join(root, 'modules', 'bucket', 'inner', 'x.tf'), '\n\nresource "aws_s3_bucket_policy" "p" {}\n');

    const sourceRoot = relative(process.cwd(), env);
    const found = await locateResources(sourceRoot, [
      'aws_s3_bucket.root',
      'module.store.aws_s3_bucket.this',
      'module.store["a"].module.inner.aws_s3_bucket_policy.p',
      'module.vpc.aws_vpc.this[0]',
      'module.missing.aws_s3_bucket.x',
      'aws_s3_bucket.nowhere',
    ]);
    const rel = (p: string) => relative(process.cwd(), p).replace(/\\/g, '/');
    expect(Object.fromEntries(found)).toEqual({
      'aws_s3_bucket.root': { file: `${rel(env)}/other.tf`, line: 2 },
      'module.store.aws_s3_bucket.this': { file: `${rel(root)}/modules/bucket/main.tf`, line: 4 },
      'module.store["a"].module.inner.aws_s3_bucket_policy.p': { file: `${rel(root)}/modules/bucket/inner/x.tf`, line: 3 },
      'module.vpc.aws_vpc.this[0]': { file: `${rel(env)}/.terraform/modules/vpc/main.tf`, line: 4 },
    });
  });

  it('returns nothing for a missing source root', async () => {
    const locator = new SourceLocator(join(tmpdir(), 'cipa-does-not-exist-xyz'));
    expect(await locator.locate('aws_s3_bucket.a')).toBeUndefined();
  });
});
