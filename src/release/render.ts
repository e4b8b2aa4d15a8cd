import type { BundleDiff } from './diff.js';
import type { BundleInspection, VerifiedBundle } from './inspect.js';
import type { PublishOutcome } from './publish.js';
import type { SignFileResult } from './sign.js';

/** Text renderings of the release commands' results (JSON is the objects themselves). */

export function renderSigned(result: SignFileResult): string {
  return `signed ${result.identity.name}@${result.identity.version} with key ${result.keyId} (${result.algorithm}${result.scope !== undefined ? `, scope ${JSON.stringify(result.scope)}` : ''}), ${result.files} files${result.replaced ? ', replacing the previous signature' : ''} → ${result.out}\n`;
}

export function renderVerified(v: VerifiedBundle): string {
  const lines = [
    `verified ${v.name}@${v.version}: signed by key ${v.keyId} (${v.algorithm}), scope ${JSON.stringify(v.scope)}, ${v.files.length} files match their hashes`,
    `  source ${v.source}`,
    `  digest ${v.digest}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function renderInspection(i: BundleInspection): string {
  const out: string[] = [];
  out.push(i.identity ? `${i.identity.name}@${i.identity.version}` : '(no cipa identity in the manifest)');
  out.push(`  source    ${i.source}`);
  out.push(`  digest    ${i.digest} (${i.size} bytes)`);
  out.push(`  revision  ${i.manifest.revision || '(none)'}`);
  out.push(`  roots     ${(i.manifest.roots ?? ['']).map((r) => JSON.stringify(r)).join(', ')}`);
  if (i.manifest.rego_version !== undefined) out.push(`  rego      v${i.manifest.rego_version === 0 ? '0' : '1'}`);
  out.push(`  wasm      ${i.manifest.wasm?.length ? i.manifest.wasm.map((w) => `${w.entrypoint} → ${w.module}`).join(', ') : 'not declared (OPA evaluates the Rego natively)'}`);
  const s = i.signature;
  if (s.state === 'unsigned') out.push('  signature none');
  else {
    const details = [s.keyId !== undefined ? `key ${s.keyId}` : 'no key id', s.algorithm, s.scope ? `scope ${JSON.stringify(s.scope)}` : undefined, s.claim ? `for ${s.claim.name}@${s.claim.version}` : 'no cipa claim', s.files !== undefined ? `${s.files} files` : undefined]
      .filter((x) => x !== undefined)
      .join(', ');
    out.push(`  signature ${s.state === 'verified' ? 'verified' : 'present, not verified (pass --key to verify)'}: ${details}`);
  }
  out.push(`  files     ${i.files.length}`);
  for (const f of i.files) out.push(`    ${f.path} (${f.size} bytes)`);
  out.push(`  controls  ${i.controls.length}`);
  const width = Math.max(0, ...i.controls.map((c) => c.id.length));
  for (const c of i.controls) {
    out.push(`    ${c.id.padEnd(width)}  ${c.severity.padEnd(8)}  ${c.title}${c.enforced_from ? ` (enforced from ${c.enforced_from})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderDiff(d: BundleDiff): string {
  const out: string[] = [];
  out.push(`${d.old.name}@${d.old.version} → ${d.new.name}@${d.new.version}`);
  const c = d.controls;
  out.push(`controls: ${c.added.length} added, ${c.removed.length} removed, ${c.severity.length} with a new severity, ${c.metadata.length} with changed metadata`);
  for (const a of c.added) out.push(`  + ${a.id}  ${a.severity}  ${a.title}${a.enforced_from ? ` (enforced from ${a.enforced_from})` : ''}`);
  for (const r of c.removed) out.push(`  - ${r.id}  ${r.severity}  ${r.title}`);
  for (const s of c.severity) out.push(`  ~ ${s.id}  severity ${s.from} → ${s.to}`);
  for (const m of c.metadata) out.push(`  ~ ${m.id}  ${m.fields.join(', ')}`);
  const f = d.files;
  out.push(`files: ${f.added.length} added, ${f.removed.length} removed, ${f.changed.length} changed`);
  for (const p of f.added) out.push(`  + ${p}`);
  for (const p of f.removed) out.push(`  - ${p}`);
  for (const p of f.changed) out.push(`  ~ ${p}`);
  if (d.decisions === undefined) out.push('decisions: not compared (no --plans)');
  else {
    out.push(`decisions: ${d.decisions.flips.length} changed of ${d.decisions.compared} over ${d.decisions.plans.length} plan${d.decisions.plans.length === 1 ? '' : 's'}`);
    for (const x of d.decisions.flips) out.push(`  ${x.plan}  ${x.control}  ${x.resource}  ${x.from} → ${x.to}${x.advisory ? ' (advisory)' : ''}`);
  }
  out.push(`required version bump: ${d.required.level}`);
  for (const r of d.required.reasons) out.push(`  - ${r}`);
  return `${out.join('\n')}\n`;
}

export function renderPublished(p: PublishOutcome): string {
  const out: string[] = [];
  out.push(`${p.unchanged ? 'already published' : 'published'} ${p.name}@${p.version} → ${p.location}${p.channel ? ` (channel ${p.channel})` : ''}`);
  out.push(`  digest ${p.digest}`);
  if (p.check) out.push(`  semver: ${p.check.provided} bump from ${p.check.previous}, changes need ${p.check.required === 'none' ? 'nothing' : `a ${p.check.required}`}`);
  if (p.diff) {
    for (const r of p.diff.required.reasons) out.push(`    - ${r}`);
    if (p.diff.decisions === undefined) out.push('    (decisions not compared: give --plans <dir> to include them)');
  }
  if (p.skipped) out.push(`  semver: not checked (${p.skipped})`);
  return `${out.join('\n')}\n`;
}
