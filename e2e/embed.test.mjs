// The 30-line embedding example (examples/embed/) in headless Chromium: the page loads the npm package
// built by `cargo xtask pkg`, analyses the founding case in a module worker and shows the diagnosis.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launch } from './lib/browser.mjs';
import { serve } from './lib/server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = join(ROOT, 'target', 'e2e', 'screenshots');

let server;
let browser;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await serve(ROOT);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the embedding example shows the founding diagnosis, computed in a worker', async () => {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(`${server.url}/examples/embed/index.html`);
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('failed'), null, {
    timeout: 60_000,
  });
  assert.equal(await page.textContent('#status'), '1 failed');
  const out = await page.textContent('#out');
  assert.match(out, /deleted-cr-instead-of-pod \(blame: test\)/);
  assert.match(out, /console\.log:161/);
  assert.ok(workers.some((u) => u.endsWith('/examples/embed/worker.js')), `no worker: ${workers}`);
  assert.deepEqual(problems, []);
  await page.screenshot({ path: join(SHOTS, 'embed-example.png'), fullPage: true });
});
