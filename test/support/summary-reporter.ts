import type { Reporter, File, Task } from 'vitest';

/** Prints one plain closing line ("vitest: N passed, N failed, N skipped") that any CI log reader understands. */
export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: Task): void => {
      if (task.type === 'test') {
        const state = task.result?.state;
        if (state === 'pass') counts.passed++;
        else if (state === 'fail') counts.failed++;
        else counts.skipped++;
      }
      if ('tasks' in task) for (const child of task.tasks) visit(child);
    };
    for (const file of files) {
      visit(file);
      if (file.result?.state === 'fail' && file.tasks.length === 0) counts.failed++;
    }
    process.stdout.write(`\nvitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
