// The web app (dist/, built by `cargo xtask web`) in headless Chromium, as a user drives it: the time
// from handing files to the page to the diagnosis on screen, read from the page's own clock
// (`data-diagnosis-ms` on .fl-root), with the files handed over as soon as the page shows its drop
// zone, and once more 2 s later, as a person would. Run by `cargo xtask bench`:
//   node bench/web.mjs INPUT_DIR RUNS OUT.json
// INPUT_DIR holds the generated k8s_50MB.log, junit_10MB.xml and k8s_200MB.log.
import { statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launch } from '../e2e/lib/browser.mjs';
import { serve } from '../e2e/lib/server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [inputs, runs = '3', out] = process.argv.slice(2);
if (!inputs || !out) {
  console.error('usage: node bench/web.mjs INPUT_DIR RUNS OUT.json');
  process.exit(2);
}
const DEMO = join(ROOT, 'fixtures', 'rwx-recovery-cr-deleted');
const demoFiles = ['junit.xml', 'output.xml', 'console.log'].map((f) => join(DEMO, f));
const CASES = [
  { name: 'demo (`?demo`, the founding case)', demo: true, files: demoFiles },
  { name: '50 MB log + 10 MB JUnit', files: [join(inputs, 'k8s_50MB.log'), join(inputs, 'junit_10MB.xml')] },
  // As a person drops them: a moment after the page opened, when the worker has warmed up.
  {
    name: '50 MB log + 10 MB JUnit, dropped 2 s after the page opened',
    settle: 2000,
    files: [join(inputs, 'k8s_50MB.log'), join(inputs, 'junit_10MB.xml')],
  },
  { name: '200 MB log', files: [join(inputs, 'k8s_200MB.log')] },
];

const server = await serve(join(ROOT, 'dist'));
const browser = await launch({ viewport: { width: 1400, height: 900 } });
const results = [];
try {
  for (const c of CASES) {
    const ms = [];
    const wall = [];
    for (let i = 0; i < Number(runs); i++) {
      const page = await browser.context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const started = Date.now();
      if (c.demo) {
        await page.goto(`${server.url}/?demo`);
      } else {
        await page.goto(`${server.url}/`);
        await page.waitForSelector('.fl-root[data-state=empty]');
        if (c.settle) await page.waitForTimeout(c.settle);
        await page.setInputFiles('input[type=file]:not([webkitdirectory])', c.files);
      }
      await page.waitForSelector('.fl-root[data-state=ready]', { timeout: 300_000 });
      wall.push(Date.now() - started);
      ms.push(Number(await page.getAttribute('.fl-root', 'data-diagnosis-ms')));
      if (errors.length) throw new Error(`${c.name}: ${errors.join('\n')}`);
      await page.close();
    }
    const bytes = c.files.reduce((n, f) => n + statSync(f).size, 0);
    results.push({ name: c.name, bytes, ms, wall });
    console.log(`web: ${c.name}: ${ms.join(', ')} ms in the page (${wall.join(', ')} ms wall)`);
  }
  writeFileSync(out, JSON.stringify({ cases: results }, null, 2));
} finally {
  await browser.close();
  await server.close();
}
