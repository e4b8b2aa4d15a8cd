import { describe, expect, it } from 'vitest';
import { withWasmRuntime } from '../../src/engine/wasm.js';

describe('withWasmRuntime', () => {
  it.each([
    ['no data.json', undefined, { cipa: { runtime: { engine: 'wasm' } } }],
    ['an empty object', {}, { cipa: { runtime: { engine: 'wasm' } } }],
    ['other top-level data is kept', { org: { teams: ['a'] } }, { org: { teams: ['a'] }, cipa: { runtime: { engine: 'wasm' } } }],
    ['cipa settings are kept', { cipa: { settings: { required_tags: ['owner'] } } }, { cipa: { settings: { required_tags: ['owner'] }, runtime: { engine: 'wasm' } } }],
    ['a runtime shipped in data is replaced', { cipa: { runtime: { engine: 'topdown', x: 1 } } }, { cipa: { runtime: { engine: 'wasm' } } }],
  ])('%s', (_case, data, expected) => {
    expect(withWasmRuntime(data, 'b.tar.gz')).toEqual(expected);
  });

  it('leaves the bundle data it was given unchanged', () => {
    const data = { cipa: { settings: {} } };
    withWasmRuntime(data, 'b.tar.gz');
    expect(data).toEqual({ cipa: { settings: {} } });
  });

  it.each([
    ['an array', [1], 'b.tar.gz: data.json is not a JSON object'],
    ['a number', 1, 'b.tar.gz: data.json is not a JSON object'],
    ['cipa is not an object', { cipa: [1] }, 'b.tar.gz: data.json: cipa is not an object'],
  ])('rejects %s, naming the bundle', (_case, data, message) => {
    expect(() => withWasmRuntime(data, 'b.tar.gz')).toThrow(message);
  });
});
