import { Args, Flags } from '@oclif/core';
import { resolveProject } from '../authoring/project.js';
import { renderTestReport, TEST_FORMATS, type TestFormat } from '../authoring/render-test.js';
import type { TestReport } from '../authoring/report.js';
import { runPolicyTests, type PolicyTestOptions } from '../authoring/runner.js';
import { watchPaths } from '../authoring/watch.js';
import { CipaError } from '../errors.js';
import { useColor } from '../render/color.js';
import { CipaCommand } from './base.js';

export default class Test extends CipaCommand {
  static override summary = 'Test a policy directory: Rego unit tests, fixtures in Wasm and native opa, capabilities, METADATA.';
  static override description = `Runs the Rego unit tests (_test.rego) with the pinned opa; every fixture in testdata/controls that has an .expect.json through the Wasm path and through native opa, reporting each (control, resource) that differs from the expectation or between the engines; the Wasm capability check; and the METADATA schema check. [dir] is a policy repository (with bundle.yaml, as written by cipa init), a bundle definition, or a policy directory holding cipa/ (fixtures in its testdata/controls or ../testdata/controls). Exit 0 when everything passes, 1 on failures, 2 on errors.`;
  static override examples = [
    '<%= config.bin %> test',
    '<%= config.bin %> test rego --run S3 -f junit > cipa-test.xml',
    '<%= config.bin %> test --coverage --threshold 80',
    '<%= config.bin %> test --watch',
  ];
  static override args = {
    dir: Args.string({ description: 'policy repository, bundle definition or policy directory [default: .]' }),
  };
  static override flags = {
    format: Flags.string({ char: 'f', description: 'output format', options: [...TEST_FORMATS], default: 'text' }),
    run: Flags.string({ description: 'only controls, unit tests and fixtures matching this regular expression (ids, packages, test and fixture names)' }),
    coverage: Flags.boolean({ description: 'report line coverage per control file (opa test --coverage)' }),
    threshold: Flags.string({ description: 'fail when a control file\'s line coverage is below this percentage (implies --coverage)' }),
    fixtures: Flags.string({ description: 'fixtures directory [default: testdata/controls of the project]' }),
    watch: Flags.boolean({ char: 'w', description: 'run again whenever a policy or fixture file changes (Ctrl-C to stop)' }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Test);
    const dir = args.dir ?? '.';
    const options: PolicyTestOptions = { coverage: flags.coverage };
    if (flags.run !== undefined) options.run = flags.run;
    if (flags.fixtures !== undefined) options.fixtures = flags.fixtures;
    if (flags.threshold !== undefined) {
      const t = Number(flags.threshold);
      if (flags.threshold.trim() === '' || !Number.isFinite(t)) throw new CipaError('usage', `--threshold ${flags.threshold} is not a number`, { hint: 'give a percentage, e.g. --threshold 80' });
      options.threshold = t;
    }
    const format = flags.format as TestFormat;
    const render = (report: TestReport) => process.stdout.write(renderTestReport(report, format, { color: format === 'text' && useColor() }));

    if (!flags.watch) {
      const report = await runPolicyTests(dir, options);
      render(report);
      if (report.result === 'fail') this.exit(1);
      return;
    }

    const project = await resolveProject(dir, flags.fixtures === undefined ? {} : { fixtures: flags.fixtures });
    const paths = [...project.ownDirs, ...(project.fixturesDir ? [project.fixturesDir] : [])];
    let running = false;
    let again = false;
    const once = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          try {
            render(await runPolicyTests(dir, options));
          } catch (error) {
            if (!(error instanceof CipaError)) throw error;
            process.stderr.write(`error: ${error.oneLine()}\n`);
          }
          process.stderr.write(`watching ${paths.join(', ')} for changes (Ctrl-C to stop)\n`);
        } while (again);
      } finally {
        running = false;
      }
    };
    await once();
    const watcher = watchPaths(paths, () => void once());
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    // Nothing keeps the process alive once the watchers are closed: it ends after a run in progress.
    watcher.close();
  }
}
