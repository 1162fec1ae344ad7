// Streamed intake's memory, in a process of its own: wasm memory only grows, so this file's numbers
// must not depend on what another test analysed before it in the same instance.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const PKG = join(ROOT, 'crates/faultline-wasm/pkg');
const pkg = await import(join(PKG, 'index.js'));
pkg.loadSync(readFileSync(join(PKG, 'faultline_wasm_bg.wasm')));

const MB = 1 << 20;
// intake-unsized.test.mjs runs this file again without telling the size (FAULTLINE_UNSIZED=1).
const sized = process.env.FAULTLINE_UNSIZED !== '1';

test(`a file streamed ${sized ? 'with' : 'without'} its size grows wasm memory by its size, not by doubling`, () => {
  const chunk = new TextEncoder().encode('2024-11-16T10:15:03.123Z INFO volume attached\n'.repeat(MB / 64));
  const size = 64 * chunk.length;
  const before = pkg.memoryBytes();
  const analyzer = new pkg.Analyzer();
  for (let i = 0; i < 64; i++) analyzer.addChunk('big.log', chunk, sized ? size : undefined);
  assert.equal(analyzer.bytesReceived, size);
  const grown = pkg.memoryBytes() - before;
  // Grown by doubling, the buffers would be 1 + 2 + … + 64 chunks: about twice the file.
  assert.ok(grown <= size + 4 * MB, `memory grew ${(grown / MB).toFixed(1)} MB for a ${(size / MB).toFixed(1)} MB file`);
  const report = analyzer.finish().report();
  assert.equal(report.files[0].lines, 64 * (MB / 64));
});
