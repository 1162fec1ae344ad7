// The package's two modules give the same report: the default one (built for size, without the viewer)
// and the viewer module (the web app's, whose report the wasm tests compare with the native snapshots).
// Each is instantiated through its own copy of the shared glue, over every scenario in fixtures/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { ROOT, scenario, scenarioNames } from '../../../../e2e/lib/fixtures.mjs';

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

const scenarios = scenarioNames();

test('the scenarios are there to compare', () => {
  assert.ok(scenarios.length >= 15, scenarios.join(', '));
});

for (const name of scenarios) {
  test(`${name}: the default module's report is the viewer module's`, () => {
    const input = scenario(name);
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
