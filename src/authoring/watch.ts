import { existsSync, watch, type FSWatcher } from 'node:fs';

export interface Watcher {
  close(): void;
}

/**
 * Calls `onChange` once per burst of filesystem changes under any of `paths` (recursive), after `debounceMs` of
 * quiet. Editors write through temp files and renames; the debounce turns that into one run.
 */
export function watchPaths(paths: string[], onChange: (files: string[]) => void, options: { debounceMs?: number } = {}): Watcher {
  const debounce = options.debounceMs ?? 200;
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let changed = new Set<string>();
  for (const path of [...new Set(paths)].filter((p) => existsSync(p))) {
    watchers.push(
      watch(path, { recursive: true }, (_event, file) => {
        if (file) changed.add(String(file));
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          const files = [...changed].sort();
          changed = new Set();
          onChange(files);
        }, debounce);
      }),
    );
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
