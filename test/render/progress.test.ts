import { describe, expect, it } from 'vitest';
import { createProgress, type ProgressStream } from '../../src/render/progress.js';

function fake(isTTY: boolean | undefined, columns?: number): ProgressStream & { chunks: string[] } {
  const chunks: string[] = [];
  return { isTTY, columns, chunks, write: (c: string) => chunks.push(c) };
}

describe('progress', () => {
  it('writes nothing when the stream is not a terminal', () => {
    for (const tty of [false, undefined]) {
      const stream = fake(tty);
      const p = createProgress({ label: 'evaluating', total: 3 }, stream);
      p.update(1);
      p.tick();
      p.label('other');
      p.done();
      expect(p.active).toBe(false);
      expect(stream.chunks).toEqual([]);
    }
  });

  it('draws a bar over many plans on a terminal and clears the line when done', () => {
    const stream = fake(true);
    const p = createProgress({ label: 'plans', total: 4 }, stream);
    p.tick();
    p.tick();
    p.label('plans: prod.json');
    p.tick(2);
    p.done();
    p.tick();
    expect(stream.chunks).toEqual([
      '\r\u001b[Kplans [#####...............] 25% (1/4)',
      '\r\u001b[Kplans [##########..........] 50% (2/4)',
      '\r\u001b[Kplans: prod.json [##########..........] 50% (2/4)',
      '\r\u001b[Kplans: prod.json [####################] 100% (4/4)',
      '\r\u001b[K',
    ]);
  });

  it('redraws a large plan only when the percentage changes', () => {
    const stream = fake(true);
    const total = 50 * 1024 * 1024;
    const p = createProgress({ label: 'reading plan.json', unit: 'bytes' }, stream);
    p.update(0, total);
    for (let read = 0; read <= total; read += 64 * 1024) p.update(read);
    p.update(total);
    p.done();
    expect(stream.chunks.length).toBeLessThanOrEqual(102);
    expect(stream.chunks.length).toBeGreaterThan(90);
    expect(stream.chunks.at(-2)).toBe('\r\u001b[Kreading plan.json [####################] 100% of 50.0 MiB');
  });

  it('shows a count without a total and fits the terminal width', () => {
    const stream = fake(true, 20);
    const p = createProgress({ label: 'a very long label for a narrow terminal' }, stream);
    p.tick(7);
    expect(stream.chunks[0]).toBe('\r\u001b[Ka very long label …');
    const wide = fake(true);
    const q = createProgress({ label: 'resources' }, wide);
    q.tick(7);
    expect(wide.chunks).toEqual(['\r\u001b[Kresources 7']);
  });

  it('done() without any drawing writes nothing', () => {
    const stream = fake(true);
    createProgress({ label: 'x', total: 1 }, stream).done();
    expect(stream.chunks).toEqual([]);
  });
});
