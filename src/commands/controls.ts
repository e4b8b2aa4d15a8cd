import { Flags } from '@oclif/core';
import { coverage, listControls, loadBenchmark, renderControlsJson, renderControlsMarkdown, renderControlsText, renderCoverageJson, renderCoverageText } from '../catalog/index.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { useColor } from '../render/color.js';
import { CipaCommand } from './base.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

export default class Controls extends CipaCommand {
  static override summary = 'List the controls of the built-in library or of a bundle, or show how they cover a benchmark.';
  static override description =
    'Reads the control catalog from the bundle (its data.json), so no opa binary is needed. `-f json` prints an array ' +
    'of the controls\' METADATA fields; `-f markdown` is the reference page docs/controls.md. `--coverage <framework>` ' +
    'sorts the recommendations of that benchmark into covered (with the control ids), not checkable from a plan (with ' +
    'the reason) and missing.';

  static override examples = [
    '<%= config.bin %> controls',
    '<%= config.bin %> controls -f json --bundle dist/acme.tar.gz',
    '<%= config.bin %> controls -f markdown --output docs/controls.md',
    '<%= config.bin %> controls --coverage cis-aws-1.4',
  ];

  static override flags = {
    format: Flags.string({ char: 'f', description: 'output format (--coverage: text or json)', options: [...FORMATS], default: 'text' }),
    bundle: Flags.string({ description: 'the bundle to list: a .tar.gz file, <dir>#<name>@<version|channel>, an http(s):// URL or an oci:// reference [default: the built-in controls]' }),
    coverage: Flags.string({ description: 'a framework key such as cis-aws-1.4: which of its recommendations the controls cover' }),
    output: Flags.string({ char: 'o', description: 'write to this file (atomically) instead of standard output' }),
  };

  public async run(): Promise<void> {
    const { flags } = await this.parse(Controls);
    const format = flags.format as (typeof FORMATS)[number];
    if (flags.coverage !== undefined && format === 'markdown') throw new UsageError('--coverage prints text or json, not markdown');
    // Check the framework before loading the bundle: a typo is answered at once.
    const benchmark = flags.coverage === undefined ? undefined : loadBenchmark(flags.coverage);
    const catalog = await listControls(flags.bundle);
    const color = flags.output === undefined && useColor(process.stdout);
    let text: string;
    if (benchmark) {
      const report = coverage(catalog.controls, benchmark);
      text = format === 'json' ? renderCoverageJson(report) : renderCoverageText(report, { color });
    } else if (format === 'json') {
      text = renderControlsJson(catalog.controls);
    } else if (format === 'markdown') {
      text = renderControlsMarkdown(catalog.controls, flags.bundle === undefined ? {} : { bundleLabel: `${catalog.bundle.name} ${catalog.bundle.version}` });
    } else {
      text = renderControlsText(catalog.controls, { color, bundleLabel: `${catalog.bundle.name} ${catalog.bundle.version}` });
    }
    if (flags.output === undefined) process.stdout.write(text);
    else await writeFileAtomic(flags.output, text);
  }
}
