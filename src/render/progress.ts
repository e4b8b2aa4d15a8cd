/**
 * A one-line progress indicator on stderr, only when stderr is a terminal: in CI logs and pipes it writes
 * nothing at all. It redraws only when the visible text changes (whole percents), so a large plan read in many
 * chunks costs at most ~100 writes, and it never uses timers. Written here rather than taken from a library:
 * the whole job is "\r, text, clear to end of line", and the usual packages bring timers and colours we
 * would have to switch off.
 */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export interface Progress {
  /** Sets how far along we are; `total` may change (e.g. once a plan's size is known). */
  update(done: number, total?: number): void;
  /** Adds n (default 1) to done. */
  tick(n?: number): void;
  /** Changes the label (e.g. the plan being evaluated). */
  label(text: string): void;
  /** Clears the line; further calls do nothing. */
  done(): void;
  /** True when this reporter writes anything (stderr is a TTY). */
  readonly active: boolean;
}

export interface ProgressOptions {
  label: string;
  total?: number;
  /** 'bytes' shows sizes as KiB/MiB; 'count' (default) shows n/total. */
  unit?: 'count' | 'bytes';
}

const CLEAR = '\r\u001b[K';

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const NOOP: Progress = { update() {}, tick() {}, label() {}, done() {}, active: false };

export function createProgress(options: ProgressOptions, stream: ProgressStream = process.stderr): Progress {
  if (stream.isTTY !== true) return NOOP;
  let label = options.label;
  let total = options.total;
  let done = 0;
  let last = '';
  let finished = false;
  const fmt = (n: number) => (options.unit === 'bytes' ? size(n) : String(n));

  const draw = () => {
    if (finished) return;
    let text: string;
    if (total !== undefined && total > 0) {
      const ratio = Math.min(1, Math.max(0, done / total));
      const width = 20;
      const percent = Math.floor(ratio * 100);
      const filled = Math.floor((percent * width) / 100); // moves only when the percentage does
      text = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}%`;
      // counts change with every item; show them only when the total is small enough to read
      if (options.unit !== 'bytes') text += ` (${fmt(done)}/${fmt(total)})`;
      else text += ` of ${fmt(total)}`;
    } else {
      text = `${label} ${fmt(done)}`;
    }
    const columns = stream.columns && stream.columns > 10 ? stream.columns - 1 : 0;
    if (columns > 0 && text.length > columns) text = `${text.slice(0, columns - 1)}…`;
    if (text === last) return;
    last = text;
    stream.write(`${CLEAR}${text}`);
  };

  return {
    active: true,
    update(n, t) {
      done = n;
      if (t !== undefined) total = t;
      draw();
    },
    tick(n = 1) {
      done += n;
      draw();
    },
    label(text) {
      label = text;
      draw();
    },
    done() {
      if (finished) return;
      finished = true;
      if (last !== '') stream.write(CLEAR);
    },
  };
}
