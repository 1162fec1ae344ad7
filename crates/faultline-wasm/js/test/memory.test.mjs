// Running out of wasm memory (at most 4 GiB) in the built package: a FaultlineError of kind `memory`
// that says so, not an opaque `RuntimeError: unreachable`. Its own file, so its own process: the
// instance cannot be used afterwards.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '../../pkg');
const pkg = await import(join(PKG, 'index.js'));
pkg.loadSync(readFileSync(join(PKG, 'faultline_wasm_bg.wasm')));

test('input past what wasm memory holds is a memory error that says what to do', () => {
  const line = 'I1203 02:21:03.123456       1 controller.go:123] reconciling volume pvc-1 ok\n';
  const chunk = new TextEncoder().encode(line.repeat(Math.floor((64 << 20) / line.length)));
  // A budget past wasm's 4 GiB, so the intake itself runs out.
  const analyzer = new pkg.Analyzer({ limits: { maxHeldBytes: 8e9 } });
  const size = 5e9;
  let added = 0;
  assert.throws(
    () => {
      while (added < size) {
        analyzer.addChunk('huge.log', chunk, size);
        added += chunk.length;
      }
    },
    (e) =>
      e instanceof pkg.FaultlineError &&
      e.kind === 'memory' &&
      /ran out of memory/.test(e.message) &&
      /maxHeldBytes/.test(e.message) &&
      e.cause instanceof WebAssembly.RuntimeError,
  );
  assert.ok(added > 3e9 && added < 4.3e9, `${added} bytes went in first`);
});
