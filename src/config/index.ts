export { applyExceptions, isCalendarDate, isExpired, utcDay, validateExceptions } from './exceptions.js';
export type { ExceptionOutcome, ExpiredException, StaleException } from './exceptions.js';
export { FORMAT_NAMES, checkFormatSpecs, isFormatName, parseFormatSpec } from './formats.js';
export type { FormatName, FormatSpec } from './formats.js';
export { compileAddressGlob, compileIdGlob, splitAddress } from './glob.js';
export { DEFAULT_CONFIG_NAMES, findConfig, loadConfig, parseConfigText } from './load.js';
export type { FileConfig } from './load.js';
export { DEFAULT_FAIL_ON, DEFAULT_WARN_ON, controlSelector, mergeConfig } from './merge.js';
export type { EffectiveConfig, EvalFlags } from './merge.js';
