import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (holds rego/, bundles/, schemas/), whether running from dist/ or src/. */
export function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}
