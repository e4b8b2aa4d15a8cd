#!/usr/bin/env node
// Regenerates rego/capabilities.json from the pinned opa: the builtins the Wasm path can run.
import { writeFileSync } from 'node:fs';
import { deriveWasmCapabilities } from '../dist/policy/capabilities.js';

const { capabilities, native, nonNative } = await deriveWasmCapabilities();
writeFileSync(new URL('../rego/capabilities.json', import.meta.url), `${JSON.stringify(capabilities, null, 2)}\n`);
process.stderr.write(`rego/capabilities.json: ${capabilities.builtins.length} builtins allowed (${native.length} native in Wasm); not available: ${nonNative.join(', ')}\n`);
