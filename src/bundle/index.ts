/** OPA's bundle format (mirrors OPA's v1/bundle package): one module per concern. */
export * from './hash.js';
export * from './keys.js';
export * from './manifest.js';
export * from './paths.js';
export * from './read.js';
export * from './sign.js';
export * from './verify.js';
export * from './write.js';
