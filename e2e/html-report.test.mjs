// The HTML report in a real browser: Chromium opens the rendered reports over file:// and the tests check
// what a reader sees (the diagnosis, the evidence) and what must never happen (a payload from an
// artifact running, loading or restyling anything).
//
// Run with `node --test e2e/` (or `cargo xtask test`). Reports are written by the `faultline` CLI
// (`analyze --format html`); screenshots land in target/e2e/screenshots/.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { launch } from './lib/browser.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'target', 'e2e');
const SHOTS = join(OUT, 'screenshots');

/** The CLI that writes the reports: `cargo xtask test` builds it first. */
const FAULTLINE = process.env.FAULTLINE_BIN || join(ROOT, 'target', 'debug', 'faultline');

/**
 * A scenario folder's artifacts: everything but its ground truth, notes and generator, as paths relative
 * to the repository (the report names files as they were given, like a CI step would).
 */
function artifacts(input) {
  if (!statSync(join(ROOT, input)).isDirectory()) return [input];
  return readdirSync(join(ROOT, input))
    .filter((f) => !['expected.toml', 'README.md', 'generate.py', 'generate.sh'].includes(f))
    .sort()
    .map((f) => join(input, f));
}

/** Renders the HTML report of `inputs` (files or scenario folders, relative to the repo) with the CLI. */
function renderReport(name, ...inputs) {
  const out = join(OUT, `html-report-${name}.html`);
  execFileSync(FAULTLINE, ['analyze', ...inputs.flatMap(artifacts), '--format', 'html', '--out', out, '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return out;
}

/** Elements the renderer writes; anything else in the DOM came from an artifact. */
const OWN_ELEMENTS = new Set(
  ('html head meta title style body header h1 h2 h3 h4 div span p b br code pre nav a main section details ' +
    'summary table colgroup col thead tbody tr th td ul li figure figcaption footer').split(' '),
);

/**
 * Opens a report and records everything the page does: console messages, page errors, dialogs and
 * requests. Dialogs are dismissed so that a payload's alert() could not block the test.
 */
async function open(browser, file, colorScheme = 'light') {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme });
  const seen = { console: [], errors: [], dialogs: [], requests: [] };
  page.on('console', (m) => seen.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('dialog', async (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('request', (r) => seen.requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, seen, url };
}

/** What a page must never have done, whatever its artifacts held. */
async function assertInert({ page, seen, url }) {
  assert.deepEqual(seen.requests, [url], 'the page loads nothing but itself');
  assert.deepEqual(seen.dialogs, [], 'no dialog');
  assert.deepEqual(seen.errors, [], 'no script error');
  assert.deepEqual(seen.console, [], 'no console message (a CSP violation would be one)');
  const dom = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    scripts: document.scripts.length,
    styles: document.querySelectorAll('style').length,
    tags: [...new Set([...document.querySelectorAll('*')].map((e) => e.localName))],
    badAttributes: [...document.querySelectorAll('*')].flatMap((e) =>
      [...e.attributes]
        .map((a) => a.name)
        .filter((n) => n.startsWith('on') || ['style', 'src', 'srcdoc', 'action', 'formaction'].includes(n))
        .map((n) => `${e.localName}[${n}]`),
    ),
    links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')).filter((h) => !h.startsWith('#')),
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
    bodyDisplay: getComputedStyle(document.body).display,
  }));
  assert.equal(dom.pwned, 'undefined', 'window.__pwned was never set');
  assert.equal(dom.scripts, 0, 'no <script> element');
  assert.equal(dom.styles, 1, 'one <style> element, the page’s own');
  assert.deepEqual(dom.tags.filter((t) => !OWN_ELEMENTS.has(t)), [], 'only the renderer’s elements');
  assert.deepEqual(dom.badAttributes, [], 'no event handler, style or source attribute');
  assert.deepEqual(dom.links, [], 'links only point inside the page');
  assert.match(dom.csp, /default-src 'none'/);
  assert.match(dom.csp, /style-src 'sha256-[A-Za-z0-9+/]+=*'/);
  assert.notEqual(dom.bodyDisplay, 'none', 'no artifact style applied');
}

async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `html-report-${name}.png`), fullPage: true });
}

describe('HTML report in Chromium', () => {
  let browser;
  let founding;
  let hostile;
  let corpus;

  before(async () => {
    founding = renderReport('founding', 'fixtures/rwx-recovery-cr-deleted');
    hostile = renderReport('xss-payloads', 'fixtures/xss-payloads');
    corpus = renderReport('hostile-corpus', 'fixtures/hostile');
    browser = await launch({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
  });

  test('the founding case shows its diagnosis and evidence', async () => {
    const opened = await open(browser, founding);
    const { page } = opened;
    await assertInert(opened);

    const card = page.locator('details.test').first();
    assert.ok(await card.isVisible(), 'the failed test is open');
    assert.equal(await card.locator('.rule').innerText(), 'deleted-cr-instead-of-pod');
    assert.equal(await card.locator('.badge.b-test').first().innerText(), 'blame: test');
    const summary = await card.locator('.card .summary').innerText();
    assert.match(
      summary,
      /^The test deleted the ShareManager custom resource pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61 \(management plane\) at 10:15:02 \(console\.log:161\) instead of its pod share-manager-pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61/,
    );
    assert.ok(await card.locator('.card .summary').isVisible());

    const cited = card.locator('table.excerpt tr.cited', { hasText: 'delete_namespaced_custom_object(group="longhorn.io"' });
    assert.equal(await cited.count(), 1);
    assert.ok(await cited.isVisible(), 'the cited evidence line is visible');
    assert.equal(await cited.locator('td.n').innerText(), '161');
    const caption = await card.locator('figure.ev figcaption').first().innerText();
    assert.match(caption, /console\.log:161/);

    const replay = await card.locator('table.steps').first().innerText();
    assert.match(replay, /object_deleted/);
    const objects = await card.locator('table.objects').innerText();
    assert.match(objects, /ShareManager pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61[\s\S]*deleted[\s\S]*recreated/);

    // Passing tests are collapsed away from the failure but listed.
    assert.match(await page.locator('#others').innerText(), /Test Longhorn Dynamic Provisioned RWO Volume Recovery/);

    await screenshot(page, 'founding');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'founding-dark');
    await page.close();
  });

  test('the whole hostile corpus in one report: nothing runs, loads or restyles', async () => {
    const opened = await open(browser, corpus);
    await assertInert(opened);
    const visible = await opened.page.evaluate(() => document.body.innerText);
    assert.ok(!visible.includes('\u001b') && !visible.includes('\u009b'), 'no raw escape reaches the page');
    assert.ok(!visible.includes('root:x:0:0'), 'no external entity was expanded');
    // The page is very tall (a 100k-character line, 78 inputs); the first screen is what a reader sees.
    mkdirSync(SHOTS, { recursive: true });
    await opened.page.screenshot({ path: join(SHOTS, 'html-report-hostile-corpus.png') });
    await opened.page.close();
  });

  test('hostile artifacts are shown as text and nothing runs', async () => {
    const opened = await open(browser, hostile);
    const { page, seen } = opened;
    await assertInert(opened);

    const visible = await page.evaluate(() => document.body.innerText);
    for (const payload of [
      'data check <script>window.__pwned=1</script>',
      'hostile.<img src=x onerror="window.__pwned=5">',
      'read failed <img src=x onerror="window.__pwned=2">',
      '</pre></table><script>window.__pwned=6</script>',
      '"><svg onload=window.__pwned=3> see javascript:window.__pwned=4 or <a href="javascript:window.__pwned=4">this link</a>',
      "Connection timed out <script>window.__pwned=1</script>",
      '</style><style>*{display:none}</style> <!-- a comment --> ]]> &amp; &lt;b&gt;',
      '<iframe srcdoc="<script>parent.__pwned=8</script>"></iframe>',
      'passes with "><svg onload=window.__pwned=3> in its name',
      'skipped </style><style>*{display:none}</style>',
      '<iframe src="javascript:window.__pwned=7"></iframe>',
      'red ANSI colour',
    ]) {
      assert.ok(visible.includes(payload), `visible as text: ${payload}`);
    }
    assert.ok(!visible.includes('\u001b'), 'no raw escape character reaches the page');

    // system-out is collapsed; opened, its payloads are text too.
    await page.locator('details.sub > summary', { hasText: 'system-out' }).click();
    const out = await page.locator('details.sub pre').innerText();
    assert.ok(out.includes('<script>window.__pwned=10</script>'));
    assert.ok(out.includes('<a href="javascript:window.__pwned=4">click</a>'));
    await assertInert(opened);

    await screenshot(page, 'xss-payloads');

    // The policy is live: a script inserted after load is refused, and that refusal is the only console
    // message the page ever produces.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__cspProbe = 1';
      document.body.append(s);
      return typeof window.__cspProbe;
    });
    assert.equal(ran, 'undefined', 'the CSP blocks inline scripts');
    // The refusal reaches the console asynchronously: a fixed pause was too short on a loaded CI machine.
    for (const until = Date.now() + 10_000; seen.console.length === 0 && Date.now() < until; ) {
      await page.waitForTimeout(50);
    }
    assert.ok(seen.console.length > 0, 'the refusal is reported');
    for (const m of seen.console) {
      assert.match(m.text, /Content Security Policy/, `only the expected CSP refusal: ${m.text}`);
      assert.match(m.text, /script-src/);
    }
    await page.close();
  });
});
