// The package's two modules give the same report: the default one (built for size, without the viewer)
// and the viewer module (the web app's, whose report the wasm tests compare with the native snapshots).
// Each is instantiated through its own copy of the shared glue, over every scenario in fixtures/.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const PKG = join(ROOT, 'crates/faultline-wasm/pkg');
const glue = pathToFileURL(join(PKG, 'faultline_wasm.js'));

async function instance(file) {
  // A query string makes a separate module record, so each copy of the glue holds its own instance.
  const raw = await import(`${glue}?${file}`);
  raw.initSync({ module: readFileSync(join(PKG, file)) });
  return raw;
}
const lean = await instance('faultline_wasm_bg.wasm');
const viewer = await instance('faultline_wasm_viewer_bg.wasm');

function files(dir) {
  return readdirSync(dir)
    .filter((f) => !['expected.toml', 'README.md'].includes(f))
    .sort()
    .flatMap((f) => {
      const path = join(dir, f);
      if (statSync(path).isDirectory()) return [];
      return [{ name: f, bytes: new Uint8Array(readFileSync(path)) }];
    });
}

const scenarios = readdirSync(join(ROOT, 'fixtures'))
  .filter((d) => statSync(join(ROOT, 'fixtures', d)).isDirectory() && statSync(join(ROOT, 'fixtures', d, 'expected.toml'), { throwIfNoEntry: false }))
  .sort();

test('the scenarios are there to compare', () => {
  assert.ok(scenarios.length >= 15, scenarios.join(', '));
});

for (const name of scenarios) {
  test(`${name}: the default module's report is the viewer module's`, () => {
    const input = files(join(ROOT, 'fixtures', name));
    const a = lean.analyzeToAnalysis(input);
    const b = viewer.analyzeToAnalysis(input);
    try {
      assert.equal(a.reportJson(), b.reportJson());
    } finally {
      a.free();
      b.free();
    }
  });
}
