import { CipaError } from '../errors.js';

/** A registry, reference, download, cache or lockfile problem. Always names the ref or file; exit code 2. */
export class RegistryError extends CipaError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super('registry', message, {
      ...(hint === undefined ? {} : { hint }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'RegistryError';
  }
}
