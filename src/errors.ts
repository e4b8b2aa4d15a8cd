/**
 * Typed errors thrown by the library. Commands turn them into one line on stderr and the exit code they carry;
 * the library itself never prints and never exits.
 */
export type ErrorCode =
  | 'usage'
  | 'input'
  | 'plan'
  | 'bundle'
  | 'signature'
  | 'tool'
  | 'compile'
  | 'config'
  | 'registry'
  | 'internal';

export class CipaError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CipaError';
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
    this.hint = options.hint;
  }

  /** The single line a user sees: the problem, then what to do about it. */
  oneLine(): string {
    const text = this.hint ? `${this.message} (${this.hint})` : this.message;
    return text.replace(/\s*\n\s*/g, ' ');
  }
}

export class UsageError extends CipaError {
  constructor(message: string, hint?: string) {
    super('usage', message, hint === undefined ? {} : { hint });
    this.name = 'UsageError';
  }
}

/** A file the user gave us cannot be used: missing, unreadable, not the expected format. Always names the file. */
export class InputError extends CipaError {
  readonly file: string;

  constructor(file: string, problem: string, hint?: string) {
    super('input', `${file}: ${problem}`, hint === undefined ? {} : { hint });
    this.name = 'InputError';
    this.file = file;
  }
}

export class BundleError extends CipaError {
  constructor(message: string, hint?: string) {
    super('bundle', message, hint === undefined ? {} : { hint });
    this.name = 'BundleError';
  }
}

export class SignatureError extends CipaError {
  constructor(message: string, hint?: string) {
    super('signature', message, hint === undefined ? {} : { hint });
    this.name = 'SignatureError';
  }
}

/** An external tool (opa, go) is missing or failed. */
export class ToolError extends CipaError {
  constructor(message: string, hint?: string) {
    super('tool', message, hint === undefined ? {} : { hint });
    this.name = 'ToolError';
  }
}

export class CompileError extends CipaError {
  constructor(message: string, hint?: string) {
    super('compile', message, hint === undefined ? {} : { hint });
    this.name = 'CompileError';
  }
}

export class ConfigError extends CipaError {
  constructor(message: string, hint?: string) {
    super('config', message, hint === undefined ? {} : { hint });
    this.name = 'ConfigError';
  }
}

export function isCipaError(error: unknown): error is CipaError {
  return error instanceof CipaError;
}

/** Node's filesystem errors, phrased for a person. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
