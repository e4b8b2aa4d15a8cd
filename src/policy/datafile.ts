import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { describeFsError, InputError } from '../errors.js';

/** Reads a JSON or YAML file, one line naming the file when it cannot be read or parsed. */
export async function readDataFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(file, describeFsError(error));
  }
  return parseDataText(file, text);
}

/** Parses JSON or YAML text into a plain value; one line naming the file on error. */
export function parseDataText(file: string, text: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new InputError(file, `is not valid JSON: ${(error as Error).message}`);
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new InputError(file, `is not valid YAML at line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  return doc.toJS() as unknown;
}
