import { describe, expect, it } from 'vitest';
import { withWasmRuntime } from '../../src/engine/wasm.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('withWasmRuntime', () => {
  it.each([
    ['no data.json', undefined, '{"cipa":{"runtime":{"engine":"wasm"}}}'],
    ['an empty object', '{}', '{"cipa":{"runtime":{"engine":"wasm"}}}'],
    ['other top-level data is kept', '{"org":{"teams":["a"]}}', '{"org":{"teams":["a"]},"cipa":{"runtime":{"engine":"wasm"}}}'],
    ['cipa settings are kept', '{"cipa":{"settings":{"required_tags":["owner"]}}}', '{"cipa":{"settings":{"required_tags":["owner"]},"runtime":{"engine":"wasm"}}}'],
    ['a runtime shipped in data is replaced', '{"cipa":{"runtime":{"engine":"topdown","x":1}}}', '{"cipa":{"runtime":{"engine":"wasm"}}}'],
    ['numbers keep their exact text', '{"n":12345678901234567890,"f":1.50}', '{"n":12345678901234567890,"f":1.50,"cipa":{"runtime":{"engine":"wasm"}}}'],
  ])('%s', (_case, data, expected) => {
    expect(text(withWasmRuntime(data === undefined ? undefined : bytes(data), 'b.tar.gz'))).toBe(expected);
  });

  it.each([
    ['not JSON', '{"a":', 'b.tar.gz: data.json is not valid JSON'],
    ['an array', '[1]', 'b.tar.gz: data.json is not a JSON object'],
    ['a number', '1', 'b.tar.gz: data.json is not a JSON object'],
    ['cipa is not an object', '{"cipa":[1]}', 'b.tar.gz: data.json: cipa is not an object'],
  ])('rejects %s, naming the bundle', (_case, data, message) => {
    expect(() => withWasmRuntime(bytes(data), 'b.tar.gz')).toThrow(message);
  });
});
