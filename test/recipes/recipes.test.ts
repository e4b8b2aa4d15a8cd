import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkFormatSpecs, parseFormatSpec, type FormatSpec } from '../../src/config/formats.js';
import { parseConfigText } from '../../src/config/load.js';
import { isSeverity } from '../../src/severity.js';

const DIR = join(__dirname, '..', '..', 'docs', 'recipes');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

// ---- the flags `cipa eval` accepts --------------------------------------------------------------------------
const VALUE_FLAGS = new Map([
  ['-f', 'format'],
  ['--format', 'format'],
  ['--output-file', 'output-file'],
  ['--fail-on', 'fail-on'],
  ['--warn-on', 'warn-on'],
  ['--only', 'only'],
  ['--skip', 'skip'],
  ['--bundle', 'bundle'],
  ['--key', 'key'],
  ['--data', 'data'],
  ['--config', 'config'],
  ['--source-root', 'source-root'],
]);
const BOOLEAN_FLAGS = new Set(['--changed-only']);

interface EvalCommand {
  plans: string[];
  flags: Map<string, string[]>;
  formats: FormatSpec[];
}

/** Shell words of one command (quotes, backslash-newline continuations); `$VAR` kept as written. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  const text = command.replace(/\\\r?\n/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else current = (current ?? '') + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current = current ?? '';
    } else if (/\s/.test(ch)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else if (ch === '#' && current === undefined) {
      break;
    } else {
      current = (current ?? '') + ch;
    }
  }
  expect(quote).toBeUndefined();
  if (current !== undefined) words.push(current);
  return words;
}

/** Parses the arguments after `cipa eval` exactly as the command's flag definitions allow. */
function parseEval(words: string[]): EvalCommand {
  const flags = new Map<string, string[]>();
  const plans: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('-')) {
      const [name, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
      if (BOOLEAN_FLAGS.has(name)) {
        expect(inline, `${name} takes no value`).toBeUndefined();
        flags.set(name.slice(2), ['true']);
        continue;
      }
      const key = VALUE_FLAGS.get(name);
      expect(key, `unknown flag ${name}`).toBeDefined();
      const value = inline ?? words[++i];
      expect(value, `${name} needs a value`).toBeDefined();
      expect(value!.startsWith('-'), `${name} needs a value, got ${value}`).toBe(false);
      flags.set(key!, [...(flags.get(key!) ?? []), value!]);
    } else {
      plans.push(word);
    }
  }
  for (const key of ['fail-on', 'warn-on']) {
    for (const v of flags.get(key) ?? []) expect(isSeverity(v), `--${key} ${v}`).toBe(true);
    expect((flags.get(key) ?? []).length).toBeLessThanOrEqual(1);
  }
  const formats = (flags.get('format') ?? []).map((spec) => parseFormatSpec(spec));
  checkFormatSpecs(formats);
  expect(plans.length).toBeGreaterThan(0);
  return { plans, flags, formats };
}

/** Every `cipa eval …` invocation in a piece of shell (also `npx --yes cipa@x eval …`). */
function evalCommands(shell: string): EvalCommand[] {
  const out: EvalCommand[] = [];
  for (const line of shell.replace(/\\\r?\n/g, ' ').split('\n')) {
    const words = shellWords(line);
    for (let i = 0; i < words.length - 1; i++) {
      if (/^cipa(@[\w.-]+)?$/.test(words[i]!) && words[i + 1] === 'eval') {
        out.push(parseEval(words.slice(i + 2)));
        break;
      }
    }
  }
  return out;
}

function expectSeedPolicy(cmd: EvalCommand): void {
  expect(cmd.flags.get('fail-on')).toEqual(['critical']);
  expect(cmd.flags.get('warn-on')).toEqual(['low']);
  expect(cmd.plans).toEqual(['plan.json']);
}

const fileOf = (cmd: EvalCommand, format: string) => cmd.formats.find((f) => f.format === format)?.path;

describe('GitHub Actions recipe', () => {
  const wf = parse(read('github-actions.yml')) as any;

  it('is a workflow with a job that checks out, plans, gates and uploads SARIF', () => {
    expect(wf.on).toHaveProperty('pull_request');
    const job = wf.jobs.cipa;
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job.permissions['security-events']).toBe('write');
    const steps = job.steps as Array<Record<string, any>>;
    expect(steps[0]!.uses).toMatch(/^actions\/checkout@v\d+$/);
    for (const step of steps) expect(Boolean(step.uses) !== Boolean(step.run), JSON.stringify(step)).toBe(true);
    const names = steps.map((s) => s.name ?? s.uses);
    expect(names.indexOf('Terraform plan')).toBeLessThan(names.indexOf('Policy gate'));
    expect(steps.find((s) => s.uses?.startsWith('hashicorp/setup-terraform'))!.with.terraform_wrapper).toBe(false);
  });

  it('runs the seed policy and uploads the SARIF file it writes, even when the gate fails', () => {
    const steps = wf.jobs.cipa.steps as Array<Record<string, any>>;
    const commands = steps.filter((s) => s.run).flatMap((s) => evalCommands(s.run));
    expect(commands).toHaveLength(1);
    const cmd = commands[0]!;
    expectSeedPolicy(cmd);
    expect(cmd.formats.map((f) => f.format)).toEqual(['github', 'sarif', 'html']);
    expect(fileOf(cmd, 'github')).toBeUndefined();
    const gateIndex = steps.findIndex((s) => s.run && evalCommands(s.run).length > 0);
    const upload = steps.findIndex((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
    expect(upload).toBeGreaterThan(gateIndex);
    expect(steps[upload]!.with.sarif_file).toBe(fileOf(cmd, 'sarif'));
    expect(steps[upload]!.if).toContain('always()');
    const artifact = steps.find((s) => String(s.uses).startsWith('actions/upload-artifact@'))!;
    expect(artifact.with.path).toBe(fileOf(cmd, 'html'));
    expect(cmd.flags.get('source-root')).toEqual(['infra']);
    expect(steps.find((s) => s.name === 'Terraform plan')!['working-directory']).toBe('infra');
  });

  it('never uploads the plan', () => {
    const steps = wf.jobs.cipa.steps as Array<Record<string, any>>;
    for (const s of steps.filter((x) => String(x.uses).startsWith('actions/upload-artifact@'))) expect(String(s.with.path)).not.toMatch(/plan/);
  });
});

describe('GitLab CI recipe', () => {
  const ci = parse(read('gitlab-ci.yml')) as any;

  it('has plan and policy jobs, the policy job needing the plan', () => {
    expect(ci.stages).toEqual(['plan', 'policy']);
    expect(ci['terraform-plan'].stage).toBe('plan');
    expect(ci.cipa.stage).toBe('policy');
    expect(ci.cipa.needs).toEqual(['terraform-plan']);
    expect(ci['terraform-plan'].artifacts.paths).toEqual(['plan.json']);
    expect(ci['terraform-plan'].artifacts.expire_in).toBe('1 hour');
  });

  it('runs the seed policy and publishes code quality and junit reports, always', () => {
    const script = (ci.cipa.script as string[]).join('\n');
    const commands = evalCommands(script);
    expect(commands).toHaveLength(1);
    const cmd = commands[0]!;
    expectSeedPolicy(cmd);
    const artifacts = ci.cipa.artifacts;
    expect(artifacts.when).toBe('always');
    expect(Object.keys(artifacts.reports).sort()).toEqual(['codequality', 'junit']);
    expect(artifacts.reports.codequality).toBe(fileOf(cmd, 'gitlab'));
    expect(artifacts.reports.junit).toBe(fileOf(cmd, 'junit'));
    expect(artifacts.paths).toEqual([fileOf(cmd, 'html')]);
    expect(cmd.flags.get('source-root')).toEqual(['$TF_ROOT']);
    expect(ci.variables.TF_ROOT).toBe('infra');
  });
});

// ---- Jenkinsfile: a small Groovy structure parser --------------------------------------------------------------
interface Block {
  head: string;
  children: Block[];
  body: string;
}

/** Parses `name(args) { … }` blocks, skipping strings and comments; throws on unbalanced brackets. */
function parseGroovy(text: string): Block {
  const root: Block = { head: '', children: [], body: '' };
  const stack: Block[] = [root];
  const brackets: string[] = [];
  let head = '';
  let i = 0;
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  while (i < text.length) {
    const ch = text[i]!;
    const two = text.slice(i, i + 2);
    if (two === '//') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (two === '/*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 2;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const triple = text.slice(i, i + 3) === ch.repeat(3);
      const close = triple ? ch.repeat(3) : ch;
      let j = i + close.length;
      while (j < text.length && text.slice(j, j + close.length) !== close) {
        if (text[j] === '\\') j++;
        if (!triple && text[j] === '\n') throw new Error(`unterminated string at ${i}`);
        j++;
      }
      if (j >= text.length) throw new Error(`unterminated string at ${i}`);
      const literal = text.slice(i, j + close.length);
      head += literal;
      for (const b of stack) b.body += literal;
      i = j + close.length;
      continue;
    }
    for (const b of stack) b.body += ch;
    if (ch === '{') {
      brackets.push('{');
      const block: Block = { head: head.trim().split('\n').pop()!.trim(), children: [], body: '' };
      stack.at(-1)!.children.push(block);
      stack.push(block);
      head = '';
    } else if (ch === '}') {
      if (brackets.pop() !== '{') throw new Error(`unbalanced } at ${i}`);
      stack.pop();
      head = '';
    } else if (ch === '(' || ch === '[') {
      brackets.push(ch);
      head += ch;
    } else if (ch === ')' || ch === ']') {
      if (brackets.pop() !== pairs[ch]) throw new Error(`unbalanced ${ch} at ${i}`);
      head += ch;
    } else if (ch === '\n' && brackets.at(-1) === '{') {
      head = '';
    } else {
      head += ch;
    }
    i++;
  }
  if (brackets.length > 0) throw new Error(`unclosed ${brackets.join('')}`);
  return root;
}

const child = (b: Block, head: string | RegExp) => b.children.find((c) => (typeof head === 'string' ? c.head === head : head.test(c.head)));

describe('Jenkinsfile recipe', () => {
  const text = read('Jenkinsfile');

  it('the parser rejects broken Groovy', () => {
    expect(() => parseGroovy('pipeline { stages { stage("a") { } }')).toThrow(/unclosed/);
    expect(() => parseGroovy("pipeline { sh 'x }")).toThrow(/unterminated/);
    expect(() => parseGroovy('pipeline { foo(] }')).toThrow(/unbalanced/);
  });

  it('is a declarative pipeline with Plan then Policy stages and a junit step on the JUnit file cipa writes', () => {
    const root = parseGroovy(text);
    const pipeline = child(root, 'pipeline')!;
    expect(pipeline).toBeDefined();
    expect(pipeline.body).toMatch(/^\s*agent any/m);
    const stages = child(pipeline, 'stages')!;
    expect(stages.children.map((s) => s.head)).toEqual(["stage('Plan')", "stage('Policy')"]);
    const policy = stages.children[1]!;
    const steps = child(policy, 'steps')!;
    expect(child(steps, 'script')).toBeDefined();
    const always = child(child(policy, 'post')!, 'always')!;
    const junit = /junit\s+testResults:\s*'([^']+)'/.exec(always.body);
    expect(junit).not.toBeNull();

    const commands = [...steps.body.matchAll(/script:\s*'([^']*)'/g)].flatMap((m) => evalCommands(m[1]!));
    expect(commands).toHaveLength(1);
    const cmd = commands[0]!;
    expectSeedPolicy(cmd);
    expect(junit![1]).toBe(fileOf(cmd, 'junit'));
    expect(always.body).toContain(`archiveArtifacts artifacts: '${fileOf(cmd, 'html')}'`);
    expect(steps.body).toContain('returnStatus: true');
    expect(child(child(pipeline, 'post')!, 'always')!.body).toContain('rm -f plan.json');
  });
});

describe('README and example cipa.yaml', () => {
  it('README commands use accepted flags', () => {
    const readme = read('README.md');
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const commands = blocks.flatMap(evalCommands);
    expect(commands.length).toBeGreaterThan(0);
    commands.forEach(expectSeedPolicy);
  });

  it('the example cipa.yaml is valid and holds the seed policy', async () => {
    const config = await parseConfigText(read('cipa.yaml'), 'cipa.yaml');
    expect(config.fail_on).toBe('critical');
    expect(config.warn_on).toBe('low');
    expect(config.exceptions).toHaveLength(2);
  });

  it('the flag checker itself rejects what cipa would reject', () => {
    expect(() => evalCommands('cipa eval plan.json --fail-on severe')).toThrow();
    expect(() => evalCommands('cipa eval plan.json --fial-on high')).toThrow();
    expect(() => evalCommands('cipa eval plan.json -f pdf')).toThrow();
    expect(() => evalCommands('cipa eval plan.json -f text -f json')).toThrow();
    expect(() => evalCommands('cipa eval plan.json --only')).toThrow();
    expect(evalCommands('cipa eval a.json b.json --changed-only -f sarif=x.sarif')[0]!.plans).toEqual(['a.json', 'b.json']);
  });
});
