// The npm package (crates/faultline-wasm/pkg, built by `cargo xtask pkg`) in headless Chromium: times
// `analyze()` on a log's bytes, fetched before the clock starts, so it compares with the native CLI.
// Run by `cargo xtask bench`: node bench/wasm.mjs LOG RUNS OUT.json [MODULE] (LOG under the repository;
// MODULE, a module file of the package, is its default module when left out).
import { writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launch } from '../e2e/lib/browser.mjs';
import { serve } from '../e2e/lib/server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [log, runs = '5', out, module = 'faultline_wasm_bg.wasm'] = process.argv.slice(2);
if (!log || !out) {
  console.error('usage: node bench/wasm.mjs LOG RUNS OUT.json [MODULE]');
  process.exit(2);
}
const path = '/' + relative(ROOT, resolve(log)).split('\\').join('/');

const server = await serve(ROOT);
const browser = await launch();
try {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/bench/wasm.html`);
  const result = await page.evaluate(
    async ({ path, name, runs, module }) => {
      const m = await import('/crates/faultline-wasm/pkg/index.js');
      await m.load(new URL(`/crates/faultline-wasm/pkg/${module}`, location.href));
      const bytes = new Uint8Array(await (await fetch(path)).arrayBuffer());
      const ms = [];
      let report;
      // One warm-up, then the timed runs.
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        report = m.analyze([{ name, bytes }]);
        if (i > 0) ms.push(performance.now() - t);
      }
      return { ms, bytes: bytes.length, events: report.events.length, lines: report.files[0]?.lines ?? null };
    },
    { path, name: basename(log), runs: Number(runs), module },
  );
  if (errors.length) throw new Error(errors.join('\n'));
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`wasm (${module}): ${basename(log)}: ${result.ms.map((m) => m.toFixed(0)).join(', ')} ms (${result.events} events)`);
} finally {
  await browser.close();
  await server.close();
}
