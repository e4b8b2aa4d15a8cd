import { Command, Errors } from '@oclif/core';
import { CipaError } from '../errors.js';

/**
 * Every cipa command extends this: a CipaError (or an oclif parse error) becomes one line on stderr and its exit
 * code; anything else is an internal error, still one line, with the stack only under CIPA_DEBUG=1.
 */
export abstract class CipaCommand extends Command {
  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    if (error instanceof Errors.ExitError) throw error;
    let line: string;
    let code: number;
    if (error instanceof CipaError) {
      line = error.oneLine();
      code = error.exitCode;
    } else if (error.oclif !== undefined || error.name === 'CLIError' || /Parse|Flag|Arg/.test(error.constructor?.name ?? '')) {
      // oclif's own usage errors (unknown flag, missing argument, bad option value)
      line = error.message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
      code = 2;
    } else {
      line = `internal error: ${error.message}`;
      code = 2;
    }
    process.stderr.write(`error: ${line}\n`);
    if (process.env.CIPA_DEBUG === '1' && error.stack) process.stderr.write(`${error.stack}\n`);
    this.exit(code);
  }
}
