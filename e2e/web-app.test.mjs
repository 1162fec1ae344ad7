// The web app (web/, built by Trunk into dist/) in headless Chromium, as a user drives it: the demo,
// a dropped zip bundle, the founding case's root cause, the replay scrubbed step by step, evidence links
// that land on their log line, deep links, a 200 MB log, artifact text that must never run, the
// accessibility check (axe-core), exports, and a portal mounting the app.
//
// `cargo xtask test` builds dist/ first (`cargo xtask web`). Screenshots of every view land in
// target/e2e/screenshots/web-*.png.

import assert from 'node:assert/strict';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

import { launch } from './lib/browser.mjs';
import { artifactPaths } from './lib/fixtures.mjs';
import { serve } from './lib/server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const SHOTS = join(ROOT, 'target', 'e2e', 'screenshots');
const FOUNDING = join(ROOT, 'fixtures', 'rwx-recovery-cr-deleted');
const XSS = join(ROOT, 'fixtures', 'xss-payloads');
const CASCADE = join(ROOT, 'fixtures', 'node-left-down-by-earlier-test');
const EARLIER = 'Volume Reattach After Volume Node Power Off Without Waiting';
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TEST_ID_PREFIX = 'Tests.Negative.Component Resilience::Test Longhorn Dynamic Provisioned RWX';

let server;
let browser;
/** Temporary folders of generated inputs (hundreds of MB): removed after the run, even when a test fails. */
const TEMP_DIRS = new Set();

function tempDir(name) {
  const dir = join(tmpdir(), `faultline-e2e-${process.pid}-${name}`);
  mkdirSync(dir, { recursive: true });
  TEMP_DIRS.add(dir);
  return dir;
}

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: run `cargo xtask web` first');
  mkdirSync(SHOTS, { recursive: true });
  server = await serve(DIST);
  browser = await launch({ viewport: { width: 1400, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of TEMP_DIRS) rmSync(dir, { recursive: true, force: true });
});

/** A page that records what it does: errors, dialogs, and every request outside the app's origin. */
async function open(path, { colorScheme = 'light' } = {}) {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme });
  const seen = { errors: [], dialogs: [], foreign: [], console: [] };
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
    seen.console.push(m.text());
  });
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) seen.foreign.push(url);
  });
  if (path !== undefined) await page.goto(`${server.url}${path}`);
  return { page, seen };
}

async function ready(page, timeout = 60_000) {
  await page.waitForSelector('.fl-root[data-state=ready]', { timeout });
  return Number(await page.getAttribute('.fl-root', 'data-diagnosis-ms'));
}

async function tab(page, name) {
  await page.click(`.fl-tabs a:has-text("${name}")`);
}

/** What each view shows once its content is there (the Logs view fetches its rows from the worker). */
const SHOWN = {
  Summary: '.fl-summary',
  Replay: '.fl-replay',
  Logs: '.fl-log-row:not(.fl-loading), .fl-empty',
  Tests: '.fl-tests',
  Rules: '.fl-rule-list',
};

/**
 * Opens a view and waits until it shows its content and nothing is pending: no row still loading, no
 * search or rule check under way. A check of what a view shows made before that would pass vacuously.
 */
async function view(page, name) {
  await tab(page, name);
  await page.waitForFunction(
    ({ name, shown }) => {
      const current = document.querySelector('.fl-tabs a[aria-current=page]')?.textContent ?? '';
      const status = document.querySelector('.fl-toolbar [aria-live]')?.textContent ?? '';
      const checking = [...document.querySelectorAll('.fl-muted')].some((e) => e.textContent === 'Checking…');
      return (
        current.startsWith(name) &&
        document.querySelector(shown) &&
        !document.querySelector('.fl-log-row.fl-loading') &&
        !status.includes('Searching…') &&
        !checking
      );
    },
    { name, shown: SHOWN[name] },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `web-${name}.png`) });
}

/** A stored (uncompressed) zip of `files`: enough for a bundle, with no zip tool needed. */
function zip(files) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const { name, bytes } of files) {
    const nameBytes = Buffer.from(name);
    const crc = crc32(bytes) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(bytes.length, 18);
    local.writeUInt32LE(bytes.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(bytes.length, 20);
    dir.writeUInt32LE(bytes.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, bytes);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + bytes.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

/** Drops files on the page the way a browser does: a `drop` event carrying a DataTransfer. */
async function drop(page, files) {
  const payload = files.map(({ name, bytes }) => ({ name, data: Buffer.from(bytes).toString('base64') }));
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const { name, data } of items) {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], name));
    }
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

async function objectState(page, kind) {
  return page.getAttribute(`.fl-object[data-kind="${kind}"]`, 'data-existence');
}

test('the demo: the founding case is diagnosed on load and said in plain words', async () => {
  const { page, seen } = await open('/?demo');
  const ms = await ready(page);
  const card = page.locator('.fl-card').first();
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /Test Longhorn Dynamic Provisioned RWX Volume Recovery/);
  assert.match(text, /deleted-cr-instead-of-pod/);
  assert.match(text, /blame: the test/);
  assert.match(text, /ShareManager custom resource/);
  assert.match(text, /instead of its pod share-manager-pvc-/);
  assert.match(text, /Suggested fix: Inject the fault on the workload plane/);
  // The sentence's quoted names are code, as in the HTML report, and no backtick is left showing.
  assert.deepEqual(
    await card.locator('.fl-summary-sentence code').allInnerTexts(),
    ['pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61', 'share-manager-pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61'],
  );
  assert.equal(await card.locator('.fl-fix code').count(), 2);
  assert.doesNotMatch(text, /`/);
  assert.match(text, /What the test meant to do: Delete the Share-manager pod/);
  assert.match(await page.innerText('.fl-verdict'), /1 of 2 tests failed/);
  assert.ok(ms > 0, `time to diagnosis recorded (${ms} ms)`);
  console.log(`# demo: diagnosis on screen ${ms} ms after the artifacts were handed over`);
  await shot(page, 'summary');
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.foreign, []);
  await page.close();
});

test('the worker warms up while idle, and leaves it to an analysis asked for at once', async () => {
  // Opened empty, the worker analyses its warm-up artifacts while the user has not dropped anything.
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await waitUntil(async () => (await inWorker(page, () => self.faultlineWarmUp)) === 'done', 'the warm-up ran');
  // Nothing of it shows, and what is dropped next is analysed as ever.
  assert.equal(await page.locator('.fl-root[data-state=empty]').count(), 1);
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', artifactPaths(FOUNDING));
  await ready(page);
  assert.match(await page.innerText('.fl-card'), /deleted-cr-instead-of-pod/);
  assert.doesNotMatch(await page.innerText('.fl-root'), /warm-up/);
  assert.deepEqual(seen.errors, []);
  await page.close();

  // The demo asks for its analysis as the page starts: the warm-up gives way to it.
  const demo = await open('/?demo');
  await ready(demo.page);
  assert.equal(await inWorker(demo.page, () => self.faultlineWarmUp), 'skipped');
  assert.deepEqual(demo.seen.errors, []);
  await demo.page.close();
});

test('dark theme follows the system', async () => {
  const { page } = await open('/?demo', { colorScheme: 'dark' });
  await ready(page);
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.fl-root')).backgroundColor);
  assert.equal(bg, 'rgb(15, 18, 22)');
  await shot(page, 'summary-dark');
  await page.close();
});

test('a dropped zip bundle of the run gives the same root cause', async () => {
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await shot(page, 'landing');
  const bundle = zip(artifactPaths(FOUNDING).map((p) => ({ name: `run-4127/${p.split('/').pop()}`, bytes: readFileSync(p) })));
  await drop(page, [{ name: 'run-4127.zip', bytes: bundle }]);
  await ready(page);
  assert.match(await page.innerText('.fl-card'), /deleted-cr-instead-of-pod/);
  await page.click('summary:has-text("file(s) read")');
  assert.match(await page.innerText('.fl-files'), /run-4127\.zip!\/run-4127\/console\.log/);
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test('a folder chosen with the folder picker keeps its paths', async () => {
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await page.setInputFiles('input[type=file][webkitdirectory]', FOUNDING);
  await ready(page);
  assert.match(await page.innerText('.fl-card'), /deleted-cr-instead-of-pod/);
  await page.click('summary:has-text("file(s) read")');
  assert.match(await page.innerText('.fl-files'), /rwx-recovery-cr-deleted\/console\.log/);
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test('the replay shows the CR deleted and recreated while its pod never restarts, then the timeout', async () => {
  const { page } = await open('/?demo');
  await ready(page);
  await tab(page, 'Replay');
  await page.waitForSelector('.fl-replay');
  // Opened at the deletion, where the diagnosis starts.
  assert.equal(await objectState(page, 'ShareManager'), 'deleted');
  assert.match(await page.innerText('.fl-step-detail'), /ShareManager pvc-4f2a7c1e.*management plane/);
  assert.match(await page.innerText('.fl-step-detail'), /fault injection/);
  await shot(page, 'replay-deleted');

  // Keys step through the run: one back, one forward, Home to the start.
  const at = Number(await page.inputValue('.fl-scrubber'));
  await page.focus('.fl-replay');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.inputValue('.fl-scrubber'), String(at - 1));
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.inputValue('.fl-scrubber'), String(at));
  await page.keyboard.press('Home');
  assert.equal(await page.inputValue('.fl-scrubber'), '0');

  // Scrub through the run: the CR recreated by the controller while the workload's pod never restarts
  // (it was last changed when it came up, long before the deletion), then the I/O fails.
  const deletion = at;
  const workloadPod = '.fl-object[data-kind="Pod"][data-name^="e2e-test-deployment-0-"]';
  const steps = Number(await page.getAttribute('.fl-scrubber', 'max'));
  const states = new Set();
  let sawTimeout = false;
  let sawChecksum = false;
  // Step by step with the keyboard (from Home, where the keys above left it), one read of the page per step:
  // filling the scrubber and reading each fact apart took 16 s for the 300 steps.
  for (let s = 0; s <= steps; s++) {
    if (s > 0) await page.keyboard.press('ArrowRight');
    const seen = await page.evaluate((pod) => {
      const sm = document.querySelector('.fl-object[data-kind="ShareManager"]');
      const wp = document.querySelector(pod);
      return {
        at: Number(document.querySelector('.fl-scrubber').value),
        detail: document.querySelector('.fl-step-detail').textContent,
        sm: sm?.dataset.existence,
        pod: wp && { existence: wp.dataset.existence, changedAt: Number(wp.dataset.changedAt) },
      };
    }, workloadPod);
    assert.equal(seen.at, s, 'each key press is one step');
    if (/io_error|timeout/.test(seen.detail) && /timed out|not responding/.test(seen.detail)) sawTimeout = true;
    if (/checksum/.test(seen.detail)) sawChecksum = true;
    if (seen.sm) states.add(seen.sm);
    if (s >= deletion) {
      assert.equal(seen.pod?.existence, 'exists', `workload pod at step ${s}`);
      assert.ok(seen.pod.changedAt < deletion, `workload pod restarted at ${s}`);
    }
  }
  assert.deepEqual([...states].sort(), ['deleted', 'exists', 'recreated']);
  assert.ok(sawTimeout, 'the I/O timeout is a step');
  assert.ok(sawChecksum, 'the checksum verification is a step');
  const phases = await page.locator('.fl-band').allInnerTexts();
  for (const p of ['set-up', 'fault injection', 'recovery wait', 'verification']) {
    assert.ok(phases.some((t) => t.includes(p)), `phase ${p} is shown: ${phases}`);
  }
  // Play advances on its own; End jumps to the last step.
  await page.fill('.fl-scrubber', '0');
  await page.click('button[aria-label=Play]');
  await page.waitForFunction(() => Number(document.querySelector('.fl-scrubber').value) >= 2, null, { timeout: 5000 });
  await page.click('button[aria-label=Pause]');
  await page.focus('.fl-replay');
  await page.keyboard.press('End');
  assert.equal(await page.inputValue('.fl-scrubber'), String(steps));
  assert.equal(await objectState(page, 'ShareManager'), 'recreated');
  await shot(page, 'replay-end');
  await page.close();
});

test('a replay of thousands of steps draws only the steps on screen and still steps, jumps and seeks', async () => {
  // One failed test whose console has 3,000 I/O errors and deletions: 3,000 steps and a quiet stretch.
  const dir = tempDir('long-replay');
  const lines = [];
  for (let i = 0; i < 3000; i++) {
    const ms = i * 200 + (i >= 1500 ? 120_000 : 0);
    const t = new Date(Date.UTC(2026, 10, 20, 6, 0, 0, ms)).toISOString();
    lines.push(
      i % 5 === 0
        ? `${t} INFO [share-manager-controller] msg="Deleting share manager pod" shareManager=pvc-${i} node=ip-10-0-1-18`
        : `${t} ERROR [nfs-client] read /data/pvc-${i}/data.txt from ip-10-0-1-24: Connection timed out`,
    );
  }
  const log = join(dir, 'console.log');
  const junit = join(dir, 'junit.xml');
  writeFileSync(log, `${lines.join('\n')}\n`);
  writeFileSync(
    junit,
    '<testsuites><testsuite name="longhorn" tests="1" failures="1"><testcase classname="longhorn" name="test_volume_recovery" ' +
      'time="1200" timestamp="2026-11-20T06:00:00"><failure message="timed out">gave up</failure></testcase></testsuite></testsuites>',
  );
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', [log, junit]);
  await ready(page);
  await tab(page, 'Replay');
  await page.waitForSelector('.fl-steps .fl-step');
  const steps = Number(await page.getAttribute('.fl-scrubber', 'max')) + 1;
  assert.ok(steps >= 3000, `${steps} steps`);
  const drawn = async () => page.locator('.fl-steps .fl-step').count();
  assert.ok((await drawn()) < 150, `${await drawn()} step rows in the page`);
  assert.ok((await page.locator('.fl-marker').count()) <= 600, 'at most 600 markers on the track');
  assert.equal(await page.locator('.fl-marker.fl-here').count(), 1);
  // End: the last step is current and in sight in the list.
  await page.focus('.fl-replay');
  await page.keyboard.press('End');
  const last = page.locator(`.fl-steps .fl-step.fl-here:has(.fl-step-n:text-is("${steps}"))`);
  await last.waitFor();
  assert.ok(await last.isVisible());
  // A step clicked in the list becomes current; the quiet stretch is a row of its own.
  await page.keyboard.press('Home');
  await page.locator('.fl-steps .fl-step.fl-here:has(.fl-step-n:text-is("1"))').waitFor();
  await page.click('.fl-steps .fl-step:has(.fl-step-n:text-is("4")) button');
  assert.match(await page.innerText('.fl-step-detail .fl-step-n'), new RegExp(`^Step 4 of ${steps}$`));
  await page.fill('.fl-scrubber', String(Math.floor(steps / 2)));
  await page.waitForSelector('.fl-steps .fl-gap');
  assert.match(await page.innerText('.fl-steps .fl-gap'), /2m \d+s with no events/);
  await shot(page, 'replay-long');
  // 600 pods deleted: the panel shows the first 60 (and any this step changed), the rest on demand.
  const cards = () => page.locator('.fl-object').count();
  assert.ok((await cards()) <= 61, `${await cards()} object cards`);
  const more = page.locator('button.fl-show-all-objects');
  const hidden = Number((await more.innerText()).match(/Show the (\d+) other/)[1]);
  const before = await cards();
  await more.click();
  await page.waitForFunction((n) => document.querySelectorAll('.fl-object').length === n, before + hidden);
  assert.equal(await more.count(), 0);
  // Played at 64× a long test gets somewhere (at 1×, 60 steps take 42 s).
  await page.selectOption('select[aria-label="Play speed"]', '64');
  await page.focus('.fl-replay');
  await page.keyboard.press('Home');
  await page.click('button[aria-label=Play]');
  await page.waitForFunction(() => Number(document.querySelector('.fl-scrubber').value) >= 60, null, { timeout: 30_000 });
  await page.click('button[aria-label=Pause]');
  assert.deepEqual(seen.errors, []);
  await page.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an evidence link lands on its log line, highlighted', async () => {
  const { page } = await open('/?demo');
  await ready(page);
  await page.click('.fl-card a.fl-place:has-text("console.log:161")');
  const row = page.locator('.fl-log-row[data-line="161"]');
  await row.waitFor();
  assert.match(await row.getAttribute('class'), /fl-target/);
  assert.match(await row.getAttribute('class'), /fl-evidence-line/);
  assert.match(await row.innerText(), /delete_namespaced_custom_object.*sharemanagers/);
  assert.ok(await row.isVisible());
  assert.match(page.url(), /#view=logs&file=console\.log&line=161/);
  // The toolbar's chips stand apart: none overlaps the next (the level chips used to touch and overlap).
  const chips = await page.locator('.fl-toolbar .fl-chip').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  assert.equal(chips.length, 8);
  for (const [a, b] of chips.slice(1).map((b, i) => [chips[i], b])) {
    assert.ok(b.top >= a.bottom || b.left >= a.right + 2, `chips overlap or touch: ${JSON.stringify([a, b])}`);
  }
  await shot(page, 'logs-evidence');

  // Search with a regex, then by level, then jump to a line.
  // Regex first: typed first, the query runs as a literal and its "0 matching lines" would satisfy the wait.
  await page.check('label:has-text("Regex") input');
  await page.fill('input[aria-label="Search the log"]', 'Connection timed out|not responding');
  // The count comes with the search's answer; the matching rows are fetched after it, so wait for them
  // too (read at once, the rows were sometimes all still loading).
  await page.waitForFunction(
    () =>
      /\b[1-9]\d* matching line/.test(document.querySelector('.fl-toolbar [aria-live]').textContent) &&
      document.querySelector('.fl-log-row') &&
      !document.querySelector('.fl-log-row.fl-loading'),
  );
  const rows = await page.locator('.fl-log-row:not(.fl-loading) .fl-text').allInnerTexts();
  assert.ok(rows.length > 0 && rows.every((t) => /Connection timed out|not responding/.test(t)), rows.join('\n'));
  // Each row marks what the engine matched (a regex, which the page could not redo itself).
  await page.waitForSelector('.fl-log-row .fl-text mark');
  const marks = await page.locator('.fl-log-row:not(.fl-loading) .fl-text mark').allInnerTexts();
  assert.ok(marks.length >= rows.length, `${marks.length} marks on ${rows.length} rows`);
  assert.ok(marks.every((m) => /^(Connection timed out|not responding)$/.test(m)), marks.join('\n'));
  const firstHit = await page.locator('.fl-log-row:has(mark)').first().getAttribute('data-line');
  await shot(page, 'logs-search');
  // Long lines scroll sideways: a mark past the view's right edge is reached by scrolling the view, and the
  // line numbers stay at its left edge.
  const far = await page.evaluate(() => {
    const view = document.querySelector('.fl-log-view').getBoundingClientRect();
    const m = [...document.querySelectorAll('.fl-log-row mark')].find((m) => m.getBoundingClientRect().left > view.right);
    return m ? m.closest('.fl-log-row').dataset.line : null;
  });
  assert.ok(far, 'a matching line has its mark right of the view');
  const sideways = await page.evaluate((line) => {
    const v = document.querySelector('.fl-log-view');
    const mark = () => document.querySelector(`.fl-log-row[data-line="${line}"] mark`).getBoundingClientRect();
    v.scrollLeft += mark().left - v.getBoundingClientRect().left - 300;
    const m = mark();
    const hit = document.elementFromPoint(m.left + m.width / 2, m.top + m.height / 2);
    const ln = document.querySelector(`.fl-log-row[data-line="${line}"] .fl-ln`).getBoundingClientRect();
    return { scrolled: v.scrollLeft, shown: hit?.closest('mark') != null, lnLeft: ln.left - v.getBoundingClientRect().left };
  }, far);
  assert.ok(sideways.scrolled > 0, 'the view scrolls sideways');
  assert.ok(sideways.shown, `line ${far}'s mark is on screen once scrolled to`);
  assert.ok(Math.abs(sideways.lnLeft) < 2, `the line number stays at the left edge (${sideways.lnLeft})`);
  await shot(page, 'logs-sideways');
  await page.evaluate(() => (document.querySelector('.fl-log-view').scrollLeft = 0));
  // A half-typed regex is an error; the rows and their marks stay as they were.
  await page.fill('input[aria-label="Search the log"]', 'Connection timed out|(');
  await page.waitForSelector('.fl-logs .fl-error[role=alert]');
  // One line saying what is wrong, not the pattern repeated with a caret under it.
  const why = await page.locator('.fl-logs .fl-error[role=alert]').innerText();
  assert.match(why, /^search pattern: unclosed group$/m, why);
  assert.ok(!why.includes('^'), why);
  assert.ok((await page.locator('.fl-log-row:not(.fl-loading) .fl-text mark').count()) > 0, 'rows and marks stay');
  await shot(page, 'logs-search-error');
  // Every line again, with the matching ones still marked.
  await page.fill('input[aria-label="Search the log"]', 'timed out');
  await page.uncheck('label:has-text("Regex") input');
  await page.uncheck('label:has-text("Only matching lines") input');
  await page.fill('input[aria-label="Jump to line"]', firstHit);
  await page.click('.fl-jump button');
  await page.locator(`.fl-log-row[data-line="${firstHit}"].fl-target`).waitFor();
  // The new query's marks replace the old ones once its search is back (they cover less text).
  await page.waitForFunction(() => [...document.querySelectorAll('.fl-log-row mark')].some((m) => m.textContent === 'timed out'));
  await page.waitForSelector('.fl-logs .fl-error', { state: 'detached' });
  const texts = await page.locator('.fl-log-row:not(.fl-loading) .fl-text mark').allInnerTexts();
  assert.ok(texts.every((t) => t === 'timed out'), texts.join('\n'));
  await shot(page, 'logs-marks-unfiltered');
  const marked = await page.locator('.fl-log-row:has(mark)').evaluateAll((rows) => rows.map((r) => r.dataset.line));
  const unmarked = await page.locator('.fl-log-row:not(:has(mark)):not(.fl-loading) .fl-text').allInnerTexts();
  assert.ok(marked.length > 0 && unmarked.length > 0, `${marked.length} marked, ${unmarked.length} not`);
  assert.ok(unmarked.every((t) => !/timed out/i.test(t)), 'every line with a match is marked');
  // The count on screen belongs to the query on screen: while a new search runs it says so, never the old count.
  const status = () => page.innerText('.fl-toolbar [aria-live]');
  assert.match(await status(), /^[1-9]\d* matching line/);
  await page.fill('input[aria-label="Search the log"]', 'no line of this log says this');
  assert.match(await status(), /^(Searching…|0 matching line)/);
  await page.waitForFunction(() => /^0 matching line/.test(document.querySelector('.fl-toolbar [aria-live]').textContent));
  await page.fill('input[aria-label="Search the log"]', '');
  await page.fill('input[aria-label="Jump to line"]', '300');
  await page.click('.fl-jump button');
  await page.locator('.fl-log-row[data-line="300"].fl-target').waitFor();
  await page.close();
});

test('a cause another test left behind is named on the card, and its replay link opens that test', async () => {
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', artifactPaths(CASCADE));
  await ready(page);
  const card = page.locator('.fl-card:has(.fl-test-name:text-is("Replica Rebuilding After Replica Deletion"))');
  assert.match(await card.innerText(), /node-left-down-by-earlier-test/);
  // The power-off and the refused power-on are the earlier test's lines, and say so; this test's are not marked.
  const marks = await card.locator('.fl-evidence-test').allInnerTexts();
  assert.deepEqual(marks, Array(2).fill(`in test ${EARLIER}`));
  const off = card.locator('.fl-evidence:has(.fl-evidence-test)').first();
  await off.scrollIntoViewIfNeeded();
  await shot(page, 'evidence-from-an-earlier-test');
  // Its replay step is in the test that powered the node off, not in the one diagnosed.
  await off.locator('a.fl-step-link').click();
  await page.waitForSelector('.fl-replay');
  const hash = new URLSearchParams(new URL(page.url()).hash.slice(1));
  assert.equal(hash.get('view'), 'replay');
  assert.equal(hash.get('test'), `Tests.Negative.Node Power::${EARLIER}`);
  assert.match(hash.get('step') ?? '', /^\d+$/);
  await page.waitForSelector('.fl-step-detail');
  assert.match(await page.innerText('.fl-step-detail'), /power_off ip-10-0-3-21|ip-10-0-3-21/);
  await shot(page, 'replay-of-the-earlier-test');
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test('with a search on, another log shows only its own matches, never the line numbers of the last log', async () => {
  const { page } = await open('/?demo');
  await ready(page);
  await tab(page, 'Logs');
  const status = () => page.innerText('.fl-toolbar [aria-live]');
  const shown = () => page.locator('.fl-log-row:not(.fl-loading) .fl-text').allInnerTexts();
  await page.fill('input[aria-label="Search the log"]', 'sharemanager');
  await page.waitForFunction(() => /^[1-9]\d* matching line/.test(document.querySelector('.fl-toolbar [aria-live]').textContent));
  const other = await page.evaluate(
    () => [...document.querySelectorAll('select[aria-label="Log file"] option')].map((o) => o.value).find((v) => /longhorn-manager/.test(v)),
  );
  assert.ok(other, 'the demo has a longhorn-manager log');
  await page.selectOption('select[aria-label="Log file"]', other);
  // Before this log's own search is back (it waits 250 ms after a change), rows fetched for the last
  // log's hits would have arrived: none may show.
  await page.waitForTimeout(120);
  const early = await shown();
  assert.ok(early.every((t) => /sharemanager/i.test(t)), `rows that do not match:\n${early.join('\n')}`);
  await page.waitForFunction(() => /^[1-9]\d* matching line/.test(document.querySelector('.fl-toolbar [aria-live]').textContent));
  await page.waitForSelector('.fl-log-row:not(.fl-loading)');
  const rows = await shown();
  assert.ok(rows.length > 0 && rows.every((t) => /sharemanager/i.test(t)), rows.join('\n'));
  assert.match(await status(), /matching line/);
  assert.equal(await page.locator('.fl-no-match').count(), 0);
  // Nothing matches: the empty list says which log and which search, and how to see every line.
  await page.fill('input[aria-label="Search the log"]', 'no line says <this>');
  await page.waitForSelector('.fl-no-match');
  const said = await page.innerText('.fl-no-match');
  assert.ok(said.includes(`No line of ${other} matches “no line says <this>”`), said);
  assert.match(said, /Untick “Only matching lines”/);
  await page.uncheck('label:has-text("Only matching lines") input');
  await page.waitForSelector('.fl-no-match', { state: 'detached' });
  await page.close();
});

test('a deep link reproduces the view: test, replay step and log line', async () => {
  const hash = new URLSearchParams({ view: 'replay', test: `${TEST_ID_PREFIX} Volume Recovery`, step: '202' });
  const { page } = await open(`/?demo#${hash}`);
  await ready(page);
  await page.waitForSelector('.fl-replay');
  assert.match(await page.innerText('.fl-step-n'), /Step 203 of/);
  assert.equal(await page.inputValue('.fl-scrubber'), '202');
  // Back goes to where the user was.
  await tab(page, 'Tests');
  await page.goBack();
  await page.waitForSelector('.fl-replay');
  await page.close();
});

test('the tests view filters, searches and opens one test', async () => {
  const { page } = await open('/?demo');
  await ready(page);
  await tab(page, 'Tests');
  await page.click('button.fl-chip:has-text("Failed")');
  assert.equal(await page.locator('.fl-test-row').count(), 1);
  await page.click('button.fl-chip:has-text("All")');
  await page.fill('input[aria-label="Search tests by name or suite"]', 'RWO');
  assert.equal(await page.locator('.fl-test-row').count(), 1);
  await page.fill('input[aria-label="Search tests by name or suite"]', '');
  await page.click('.fl-test-row a:has-text("RWX")');
  await page.waitForSelector('.fl-test-detail');
  assert.match(await page.innerText('.fl-test-detail'), /deleted-cr-instead-of-pod/);
  await shot(page, 'tests');
  await page.close();
});

test('user rules are checked live with located errors and kept in local storage', async () => {
  const { page } = await open('/?demo');
  await ready(page);
  await tab(page, 'Rules');
  await page.waitForSelector('.fl-rule-info');
  assert.ok((await page.locator('.fl-rule-info').count()) >= 5, 'the built-in rules are listed');
  await page.fill('textarea[aria-label="Your rules (TOML)"]', '[[rule]]\nid = "x"\nblame = "nobody"\n');
  await page.waitForSelector('.fl-rule-errors li');
  assert.match(await page.innerText('.fl-rule-errors'), /line \d+, column \d+/);
  await shot(page, 'rules-error');
  await page.fill('textarea[aria-label="Your rules (TOML)"]', '');
  await page.click('button:has-text("Add a rule template")');
  await page.waitForSelector('text=Valid. Saved in this browser.');
  const stored = await page.evaluate(() => localStorage.getItem('faultline.rules'));
  assert.match(stored, /my-suite-node-rebooted/);
  // An edit is never applied on the strength of the check before it: until its own check is back the
  // status says so and Apply is off.
  const editor = 'textarea[aria-label="Your rules (TOML)"]';
  const apply = 'button:has-text("Apply to these artifacts")';
  const template = await page.inputValue(editor);
  await page.fill(editor, `${template}\n[[rule]]\nid = "broken"\nblame = "nobody"\n`);
  assert.ok(await page.isDisabled(apply), 'Apply waits for the edit to be checked');
  assert.match(await page.innerText('#rule-status'), /^(Checking…|\d+ mistake)/);
  await page.waitForSelector('.fl-rule-errors li');
  assert.ok(await page.isDisabled(apply), 'a broken edit cannot be applied');
  await page.fill(editor, template);
  await page.waitForSelector('text=Valid. Saved in this browser.');
  await page.click(apply);
  await ready(page);
  await page.evaluate(() => localStorage.removeItem('faultline.rules'));
  await page.close();
});

/**
 * Makes the page's worker answer requests of the kinds in `ops` with `error` (done inside the worker,
 * before its own handler), until the returned function is called.
 */
async function failInWorker(page, ops, error) {
  const [worker] = engines(page);
  await worker.evaluate(
    ({ ops, error }) => {
      self.failing = ops;
      if (self.handle) return;
      self.handle = self.onmessage;
      self.onmessage = (event) => {
        if (!self.failing.includes(event.data.op)) return self.handle(event);
        postMessage({ id: event.data.id, error: self.failError });
        return undefined;
      };
      self.failError = error;
    },
    { ops, error },
  );
  return () => worker.evaluate(() => (self.failing = []));
}

test('what the worker cannot give is said, not left loading: log rows, the built-in rules', async () => {
  const { page, seen } = await open('/?demo');
  await ready(page);
  const stop = await failInWorker(page, ['lines', 'pick', 'builtinRules'], { kind: 'state', message: 'nothing has been analysed yet' });
  await tab(page, 'Logs');
  const alert = page.locator('.fl-rows-error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /^Could not read the lines of \S+: nothing has been analysed yet$/);
  assert.ok((await page.locator('.fl-log-row.fl-loading').count()) > 0, 'the rows it could not get');
  await shot(page, 'logs-rows-failed');
  await tab(page, 'Rules');
  const rules = page.locator('.fl-rules .fl-error');
  await rules.waitFor();
  assert.equal(await rules.innerText(), 'Could not load the built-in rules: nothing has been analysed yet');
  await shot(page, 'rules-builtin-failed');
  // Once the worker answers again, the rows come and the message goes.
  await stop();
  await tab(page, 'Logs');
  await page.locator('.fl-log-view').evaluate((el) => (el.scrollTop = 200));
  await page.locator('.fl-log-row:not(.fl-loading)').first().waitFor();
  await alert.waitFor({ state: 'detached' });
  await tab(page, 'Rules');
  await page.locator('.fl-rule-list').waitFor();
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test('exports: JSON, Markdown and HTML come from the page', async () => {
  const { page } = await open('/?demo');
  await ready(page);
  for (const [label, pattern] of [
    ['JSON', /"schema": "faultline\.report\/v1"/],
    ['Markdown', /deleted-cr-instead-of-pod/],
    ['HTML', /Content-Security-Policy/],
  ]) {
    // The button says it is at work until the file is ready (a big run's HTML takes a while).
    await page.evaluate((label) => {
      const button = document.querySelector(`button[aria-label="Export the report as ${label}"]`);
      window.__busySeen = false;
      // From the records, not the attribute when the callback runs: by then a fast export may be over.
      new MutationObserver((records) => {
        if (records.some((r) => r.attributeName === 'aria-busy' && r.oldValue === 'false')) window.__busySeen = true;
      }).observe(button, { attributes: true, attributeOldValue: true, attributeFilter: ['aria-busy'] });
    }, label);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button:has-text("${label}")`)]);
    const path = await download.path();
    assert.match(readFileSync(path, 'utf8'), pattern, label);
    assert.ok(await page.evaluate(() => window.__busySeen), `${label}: busy while exporting`);
    const button = page.locator(`button[aria-label="Export the report as ${label}"]`);
    await page.waitForFunction((l) => document.querySelector(`button[aria-label="Export the report as ${l}"]`).getAttribute('aria-busy') === 'false', label);
    assert.ok(await button.isEnabled(), `${label}: usable again`);
    assert.equal(await button.innerText(), label);
  }
  assert.equal(await page.locator('.fl-export-error').count(), 0);

  // A failure in the worker (made there, once) is said beside its button, as text; the button works
  // again, and the next export replaces the message.
  const stop = await failInWorker(page, ['export'], { kind: 'internal', message: 'the renderer <b>broke</b>', file: 'report.md' });
  await page.click('button:has-text("Markdown")');
  const alert = page.locator('.fl-export-error');
  await alert.waitFor();
  await stop();
  assert.equal(await alert.innerText(), 'Markdown export failed: report.md: the renderer <b>broke</b>');
  assert.equal(await page.locator('.fl-export-error b').count(), 0, 'the message is text');
  assert.ok(await page.locator('button[aria-label="Export the report as Markdown"]').isEnabled());
  await shot(page, 'export-failed');
  const [again] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Markdown")')]);
  assert.match(readFileSync(await again.path(), 'utf8'), /deleted-cr-instead-of-pod/);
  assert.equal(await alert.count(), 0);
  await page.close();
});

test('pasted log text and ?src= URLs are analysed; a URL that cannot be read says why', async () => {
  const { page } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await page.fill('textarea[aria-label="Log text to analyse"]', '2024-11-16T10:16:06Z ERROR nfs: server 10.43.12.7 not responding, timed out\n');
  await page.click('button:has-text("Analyse pasted text")');
  await ready(page);
  assert.match(await page.innerText('.fl-tabs'), /Logs\s*1/);
  await page.close();

  const src = await open(`/?src=${encodeURIComponent(`${server.url}/demo/junit.xml`)}`);
  await ready(src.page);
  assert.match(await src.page.innerText('.fl-verdict'), /tests/);
  await src.page.close();

  const blocked = await open(`/?src=${encodeURIComponent('http://127.0.0.1:9/missing.xml')}`);
  await blocked.page.waitForSelector('.fl-root[data-state=failed]');
  assert.match(await blocked.page.innerText('.fl-error'), /could not fetch .*CORS/);
  await blocked.page.close();
});

test('artifact text is shown as text and never runs, in every view', async () => {
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', artifactPaths(XSS));
  await ready(page);
  // Each view checked while it shows the artifacts' text (the Logs view once its rows are in).
  for (const name of ['Summary', 'Replay', 'Logs', 'Tests', 'Rules']) {
    await view(page, name);
    if (name === 'Logs') {
      const text = await page.evaluate(() => document.querySelector('main')?.innerText ?? '');
      assert.match(text, /<script|<img|onerror/i, 'the Logs view shows the payload lines, as text');
    }
    const injected = await page.evaluate(() =>
      [...document.querySelectorAll('img, iframe, object, embed, svg script, script:not([src]), [onerror], [onload], [onclick]')].map(
        (e) => e.outerHTML,
      ),
    );
    assert.deepEqual(injected, [], `${name} turned artifact text into elements`);
  }
  await view(page, 'Tests');
  const names = await page.locator('.fl-test-row a').allInnerTexts();
  assert.ok(names.some((n) => n.includes('<')), `a test name with markup is shown as text: ${names}`);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.foreign, []);
  assert.deepEqual(seen.errors, []);
  await shot(page, 'xss');
  await page.close();
});

test('the whole hostile corpus through the page: a report with its warnings, and nothing runs', async () => {
  const corpus = readdirSync(join(ROOT, 'fixtures', 'hostile'))
    .filter((f) => !['README.md', 'generate.py'].includes(f) && !f.endsWith('.toml'))
    .sort()
    .map((f) => join(ROOT, 'fixtures', 'hostile', f));
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', corpus);
  await ready(page, 120_000);
  // Many failures: the first page of cards at once, the rest on demand.
  const failed = Number((await page.innerText('h2:has-text("Failed tests")')).match(/\((\d+)\)/)[1]);
  assert.ok(failed > 20, `${failed} failures`);
  assert.equal(await page.locator('.fl-card').count(), 20);
  await page.click('button:has-text("Show all")');
  assert.equal(await page.locator('.fl-card').count(), failed);
  await page.click('summary:has-text("problem(s) reading the input")');
  const warnings = await page.locator('.fl-warnings li').count();
  assert.ok(warnings >= 30, `the corpus's problems are listed (${warnings})`);
  const bidi = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
  for (const name of ['Replay', 'Logs', 'Tests', 'Summary']) {
    await view(page, name);
    assert.doesNotMatch(await page.evaluate(() => document.body.innerText), bidi, `${name} shows a bidi control`);
  }
  await tab(page, 'Logs');
  await page.selectOption('select[aria-label="Log file"]', { label: 'log-bidi-and-invisible.log' });
  await page.locator('.fl-log-row[data-line="1"]').waitFor();
  assert.match(await page.innerText('.fl-log-row[data-line="1"]'), /access \[U\+202E\]exe\.txt/);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.foreign, []);
  assert.deepEqual(seen.errors, []);
  await shot(page, 'hostile-corpus');
  await page.close();
});

test('no serious accessibility violations (axe-core) in any view', async () => {
  const { page } = await open('/?demo');
  await ready(page);
  const problems = [];
  for (const name of ['Summary', 'Replay', 'Logs', 'Tests', 'Rules']) {
    await view(page, name);
    await page.evaluate(AXE);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of result.violations.filter((v) => ['serious', 'critical'].includes(v.impact))) {
      problems.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  const landing = await open('/');
  await landing.page.waitForSelector('.fl-root[data-state=empty]');
  await landing.page.evaluate(AXE);
  const result = await landing.page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations.filter((v) => ['serious', 'critical'].includes(v.impact))) {
    problems.push(`landing: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }
  assert.deepEqual(problems, []);
  await landing.page.close();
  await page.close();
});

test('a portal mounts the app in its own element, at its size, and sends artifacts by postMessage', async () => {
  const { page, seen } = await open('/portal.html');
  await page.waitForSelector('#run .fl-root[data-state=ready]', { timeout: 60_000 });
  const box = await page.locator('#run .fl-root').boundingBox();
  assert.ok(Math.abs(box.width - 960) <= 2 && Math.abs(box.height - 620) <= 2, JSON.stringify(box));
  assert.match(await page.innerText('#run .fl-card'), /deleted-cr-instead-of-pod/);
  await page.click('#run .fl-tabs a:has-text("Replay")');
  assert.equal(new URL(page.url()).hash, '', 'the host page keeps its URL');
  await shot(page, 'portal');
  await page.click('#send-log');
  await page.waitForFunction(() => /Logs\s*1/.test(document.querySelector('#run .fl-tabs')?.innerText ?? ''), null, {
    timeout: 30_000,
  });
  assert.deepEqual(seen.errors, []);
  await page.close();
});

/** Writes a log of at least `bytes` of a controller's routine lines into a fresh temporary folder. */
function noiseLog(name, bytes) {
  const dir = tempDir(name);
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  const line = (i) =>
    `2024-11-16T10:${String(12 + Math.floor(i / 400000) % 4).padStart(2, '0')}:00.000Z level=info msg="reconciled volume pvc-${i % 977}" controller=longhorn-volume node=ip-10-0-1-242\n`;
  let written = 0;
  let lines = 0;
  while (written < bytes) {
    let chunk = '';
    for (let k = 0; k < 10_000; k++) chunk += line(lines++);
    writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  closeSync(fd);
  return { dir, path, lines };
}

test('files dropped while others are read replace them: the newer run is shown, and stays', async () => {
  const first = noiseLog('noise-dropped-first.log', 150_000_000);
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', first.path);
  // The first drop is being read (some bytes in) when the user drops the run they meant.
  await page.waitForFunction(() => /Reading noise-dropped-first\.log: [1-9]/.test(document.querySelector('#fl-progress-label')?.textContent ?? ''));
  await drop(page, artifactPaths(FOUNDING).map((p) => ({ name: p.split('/').pop(), bytes: readFileSync(p) })));
  await ready(page);
  await page.waitForFunction(() => /Logs\s*6/.test(document.querySelector('.fl-tabs')?.innerText ?? ''));
  // Long enough for the first file to have been read and analysed, had it not been given up.
  for (let t = 0; t < 20; t++) {
    await page.waitForTimeout(250);
    assert.match(await page.innerText('.fl-tabs'), /Logs\s*6/, 'the founding case is still shown');
    assert.equal(await page.getAttribute('.fl-root', 'data-state'), 'ready');
  }
  assert.match(await page.innerText('.fl-card'), /deleted-cr-instead-of-pod/);
  // The worker holds the founding case too: its log rows are served.
  await page.click('.fl-card a.fl-place:has-text("console.log:161")');
  await page.locator('.fl-log-row[data-line="161"].fl-target').waitFor();
  assert.match(await page.innerText('.fl-log-row[data-line="161"]'), /sharemanagers/);
  assert.deepEqual(seen.errors, []);
  await page.close();
  rmSync(first.dir, { recursive: true, force: true });
});

test('a 200 MB log goes through the page, in the worker, to the diagnosis', async () => {
  const { dir, path: big, lines: i } = noiseLog('longhorn-manager-noise.log', 200_000_000);
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  const started = Date.now();
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', [...artifactPaths(FOUNDING), big]);
  await page.waitForSelector('.fl-root[data-state=working]');
  await shot(page, 'progress-200mb');
  // The page must stay responsive while the worker reads: the longest wait for an animation frame.
  // A frozen page waits for the whole analysis; the bound is generous, this is not a speed check.
  let worstFrame = 0;
  while (!(await page.$('.fl-root[data-state=ready], .fl-root[data-state=failed]'))) {
    const asked = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    worstFrame = Math.max(worstFrame, Date.now() - asked);
    await page.waitForTimeout(100);
  }
  console.log(`# 200 MB log: the longest wait for a frame on the page while it was analysed: ${worstFrame} ms`);
  assert.ok(worstFrame < 2000, `the page froze for ${worstFrame} ms`);
  const ms = await ready(page, 300_000);
  console.log(`# 200 MB log: diagnosis after ${ms} ms in the page (${Date.now() - started} ms wall, ${i} lines)`);
  assert.match(await page.innerText('.fl-card'), /deleted-cr-instead-of-pod/);
  await tab(page, 'Logs');
  await page.selectOption('select[aria-label="Log file"]', 'longhorn-manager-noise.log');
  await page.fill('input[aria-label="Jump to line"]', String(i - 5));
  await page.click('.fl-jump button');
  await page.locator(`.fl-log-row[data-line="${i - 5}"].fl-target`).waitFor({ timeout: 30_000 });
  await shot(page, 'logs-200mb');
  // The worker keeps the memory of that analysis (wasm memory never shrinks), so the next analysis
  // starts in a fresh worker and the old one is gone.
  assert.equal(engines(page).length, 1);
  const old = engines(page)[0];
  const closed = new Promise((resolve) => old.once('close', resolve));
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', artifactPaths(FOUNDING));
  await closed;
  await page.waitForFunction(() => /Logs\s*6/.test(document.querySelector('.fl-tabs')?.innerText ?? ''));
  await ready(page);
  assert.equal(engines(page).length, 1, 'one worker, the new one');
  assert.notEqual(engines(page)[0], old);
  await tab(page, 'Summary');
  assert.match(await page.innerText('.fl-card'), /deleted-cr-instead-of-pod/);
  assert.deepEqual(seen.errors, []);
  await page.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a log over 256 MiB is read from its File, and by URL from the spool, not held: wasm memory stays small', async () => {
  const { dir, path: log, lines } = noiseLog('longhorn-manager-300mb.log', 300_000_000);
  appendFileSync(log, '2024-11-16T10:16:00.000Z level=error msg="the last line of the 300 MB log"\n');
  const total = lines + 1;
  const served = join(DIST, `e2e-300mb-${process.pid}`);
  mkdirSync(served, { recursive: true });
  symlinkSync(log, join(served, 'longhorn-manager-300mb.log'));
  try {
    const dropped = await open('/');
    await dropped.page.waitForSelector('.fl-root[data-state=empty]');
    await dropped.page.setInputFiles('input[type=file]:not([webkitdirectory])', [log, ...artifactPaths(FOUNDING)]);
    const url = `${server.url}/e2e-300mb-${process.pid}/longhorn-manager-300mb.log`;
    const fetched = await open(`/?src=${encodeURIComponent(url)}`);
    for (const [how, { page, seen }] of [['dropped', dropped], ['by URL', fetched]]) {
      const ms = await ready(page, 300_000);
      const memory = await inWorker(page, async () => (await import('./pkg/index.js')).memoryBytes());
      console.log(`# 300 MB log ${how}: diagnosis after ${ms} ms, ${Math.round(memory / 2 ** 20)} MiB of wasm memory`);
      // Held, the log alone would take more than its size.
      assert.ok(memory < 128 * 2 ** 20, `${how}: ${memory} bytes of wasm memory: the log was held`);
      assert.doesNotMatch(await page.innerText('.fl-root'), /limit_exceeded/, 'nothing was cut');
      await view(page, 'Logs');
      await page.selectOption('select[aria-label="Log file"]', 'longhorn-manager-300mb.log');
      await page.waitForFunction((t) => document.querySelector('.fl-toolbar [aria-live]')?.textContent === `${t} lines`, total);
      await page.fill('input[aria-label="Jump to line"]', String(total));
      await page.click('.fl-jump button');
      await page.locator(`.fl-log-row[data-line="${total}"]:not(.fl-loading)`).waitFor({ timeout: 60_000 });
      assert.match(await page.innerText(`.fl-log-row[data-line="${total}"]`), /the last line of the 300 MB log/);
      assert.deepEqual(seen.errors, []);
      await page.close();
    }
  } finally {
    rmSync(served, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a log past the held budget is analysed whole, dropped as a File or fetched by URL; where the browser cannot spool it, cut, and the page says where', async () => {
  // 1.15 GB against the worker's 1 GiB, given first, still read last; its last line is the one that
  // matters, as a failure at the end of a long log is.
  const { dir, path: big, lines } = noiseLog('longhorn-manager-huge.log', 1_150_000_000);
  appendFileSync(big, '2024-11-16T10:16:00.000Z level=error msg="the needle at the end of the huge log"\n');
  const { page, seen } = await open('/');
  await page.waitForSelector('.fl-root[data-state=empty]');
  await page.setInputFiles('input[type=file]:not([webkitdirectory])', [big, ...artifactPaths(FOUNDING)]);
  // While the worker reads the File in passes, the bar moves through the analysis's stages.
  await page.waitForFunction(() => /^Reading the logs/.test(document.querySelector('#fl-progress-label')?.textContent ?? ''), null, {
    timeout: 120_000,
  });
  await page.waitForFunction(() => Number(document.querySelector('.fl-progress')?.getAttribute('aria-valuenow')) > 10, null, {
    timeout: 120_000,
  });
  await shot(page, 'progress-huge-from-file');
  const ms = await ready(page, 600_000);
  console.log(`# 1.15 GB log dropped, read from the File: diagnosis after ${ms} ms in the page`);
  assert.match(await page.innerText('.fl-card'), /deleted-cr-instead-of-pod/);
  assert.doesNotMatch(await page.innerText('.fl-root'), /limit_exceeded/, 'nothing was cut');
  // The worker's wasm memory (the same module instance the worker imported): the log was not held.
  const memory = await inWorker(page, async () => (await import('./pkg/index.js')).memoryBytes());
  console.log(`# 1.15 GB log read from the File: ${Math.round(memory / 2 ** 20)} MiB of wasm memory in the worker`);
  assert.ok(memory < 256 * 2 ** 20, `${memory} bytes of wasm memory: the log was held`);
  await view(page, 'Logs');
  await page.selectOption('select[aria-label="Log file"]', 'longhorn-manager-huge.log');
  const total = lines + 1;
  await page.waitForFunction((t) => document.querySelector('.fl-toolbar [aria-live]')?.textContent === `${t} lines`, total);
  assert.equal(await page.locator('.fl-cut').count(), 0);
  await page.fill('input[aria-label="Jump to line"]', String(total));
  await page.click('.fl-jump button');
  await page.locator(`.fl-log-row[data-line="${total}"]:not(.fl-loading)`).waitFor({ timeout: 60_000 });
  assert.match(await page.innerText(`.fl-log-row[data-line="${total}"]`), /the needle at the end of the huge log/);
  await inView(page, `.fl-log-row[data-line="${total}"]`);
  const searched = Date.now();
  await page.fill('input[aria-label="Search the log"]', 'needle');
  await page.waitForFunction(() => /^1 matching line/.test(document.querySelector('.fl-toolbar [aria-live]').textContent), null, {
    timeout: 120_000,
  });
  console.log(`# 1.15 GB log read again from the File: a search took ${Date.now() - searched} ms`);
  await page.locator(`.fl-log-row[data-line="${total}"]:not(.fl-loading)`).waitFor({ timeout: 60_000 });
  await shot(page, 'logs-huge-from-file');
  assert.deepEqual(seen.errors, []);
  await page.close();

  // A URL's body is written to the origin's private file system first, then read from there as the
  // dropped File was: analysed whole, not held.
  const served = join(DIST, `e2e-huge-${process.pid}`);
  mkdirSync(served, { recursive: true });
  symlinkSync(big, join(served, 'longhorn-manager-huge.log'));
  try {
    const url = `${server.url}/e2e-huge-${process.pid}/longhorn-manager-huge.log`;
    const fetched = await open(`/?src=${encodeURIComponent(url)}`);
    const fetchedMs = await ready(fetched.page, 600_000);
    console.log(`# 1.15 GB log by URL, spooled to OPFS: diagnosis after ${fetchedMs} ms in the page`);
    // A log alone: no verdict on tests that are not there.
    assert.match(await fetched.page.innerText('.fl-verdict'), /^No test results in these artifacts/);
    assert.doesNotMatch(await fetched.page.innerText('.fl-root'), /limit_exceeded/, 'nothing was cut');
    const fetchedMemory = await inWorker(fetched.page, async () => (await import('./pkg/index.js')).memoryBytes());
    assert.ok(fetchedMemory < 256 * 2 ** 20, `${fetchedMemory} bytes of wasm memory: the body was held`);
    assert.deepEqual(await spooled(fetched.page), [statSync(big).size], 'one spool file, the whole body');
    await view(fetched.page, 'Logs');
    await fetched.page.waitForFunction((t) => document.querySelector('.fl-toolbar [aria-live]')?.textContent === `${t} lines`, total);
    assert.equal(await fetched.page.locator('.fl-cut').count(), 0);
    await fetched.page.fill('input[aria-label="Jump to line"]', String(total));
    await fetched.page.click('.fl-jump button');
    await fetched.page.locator(`.fl-log-row[data-line="${total}"]:not(.fl-loading)`).waitFor({ timeout: 60_000 });
    assert.match(await fetched.page.innerText(`.fl-log-row[data-line="${total}"]`), /the needle at the end of the huge log/);
    await inView(fetched.page, `.fl-log-row[data-line="${total}"]`);
    await shot(fetched.page, 'logs-huge-from-url');
    // The spool file goes with its analysis.
    await fetched.page.setInputFiles('input[type=file]:not([webkitdirectory])', artifactPaths(FOUNDING));
    await fetched.page.waitForFunction(() => /Logs\s*6/.test(document.querySelector('.fl-tabs')?.innerText ?? ''));
    await ready(fetched.page);
    await waitUntil(async () => (await spooled(fetched.page)).length === 0, 'the spool file was removed');
    assert.deepEqual(fetched.seen.errors, []);
    await fetched.page.close();

    // Where the browser cannot make that file (no OPFS, storage off), the body past the budget is cut
    // at a line break, and the page says so.
    const cut = await open('/');
    await cut.page.waitForSelector('.fl-root[data-state=empty]');
    await inWorker(cut.page, () => {
      FileSystemFileHandle.prototype.createSyncAccessHandle = () => Promise.reject(new DOMException('off', 'InvalidStateError'));
    });
    await analyzeUrls(cut.page, [url]);
    await ready(cut.page, 600_000);
    assert.notEqual(await cut.page.getAttribute('.fl-warnings', 'open'), null, 'no test failed: the problems are open');
    const warnings = await cut.page.innerText('.fl-warnings');
    assert.match(warnings, /longhorn-manager-huge\.log:\d+ limit_exceeded only the first \d+ of 1150\d{6} bytes were analysed/, warnings);
    await view(cut.page, 'Logs');
    const note = cut.page.locator('.fl-cut');
    await note.waitFor();
    const [, last] = (await note.innerText()).match(/^This view ends at line (\d+): only the first/);
    assert.match(await note.innerText(), /the rest was not read\. To analyse all of it, download the file and drop it here/);
    assert.match(await cut.page.innerText('.fl-toolbar [aria-live]'), new RegExp(`^${last} lines$`));
    // The last line held is whole: the cut fell on a line break.
    await cut.page.fill('input[aria-label="Jump to line"]', last);
    await cut.page.click('.fl-jump button');
    await cut.page.locator(`.fl-log-row[data-line="${last}"]:not(.fl-loading)`).waitFor();
    assert.match(await cut.page.innerText(`.fl-log-row[data-line="${last}"]`), /node=ip-10-0-1-242$/);
    await shot(cut.page, 'logs-cut-by-budget');
    assert.deepEqual(cut.seen.errors, []);
    await cut.page.close();
  } finally {
    rmSync(served, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Waits until the row `selector` is whole inside the log view's viewport, not just drawn. */
async function inView(page, selector) {
  await page.waitForFunction((selector) => {
    const row = document.querySelector(selector)?.getBoundingClientRect();
    const list = document.querySelector('.fl-log-view');
    if (!row || !list) return false;
    const top = list.getBoundingClientRect().top;
    return row.top >= top - 0.5 && row.bottom <= top + list.clientHeight + 0.5;
  }, selector);
}

/** The page's analysis workers (one, but for the moment one replaces another). */
function engines(page) {
  return page.workers().filter((w) => /worker\.js/.test(w.url()));
}

/** Runs `fn(arg)` in the page's analysis worker, once it has started. */
async function inWorker(page, fn, arg) {
  await waitUntil(() => engines(page).length > 0, 'the analysis worker started');
  return engines(page)[0].evaluate(fn, arg);
}

async function waitUntil(check, what, timeout = 10_000) {
  for (const end = Date.now() + timeout; !(await check()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The sizes (or names) of the package's spool files in the page's origin private file system. */
function spooled(page, { sizes = true } = {}) {
  return page.evaluate(async (sizes) => {
    const root = await navigator.storage.getDirectory();
    let dir;
    try {
      dir = await root.getDirectoryHandle('faultline-spool');
    } catch {
      return [];
    }
    const found = [];
    for await (const handle of dir.values()) found.push(sizes ? (await handle.getFile()).size : handle.name);
    return found;
  }, sizes);
}

/** What a portal does: hands the app URLs to analyse. */
function analyzeUrls(page, urls) {
  return page.evaluate((urls) => window.postMessage({ type: 'faultline:analyze', urls }, location.origin), urls);
}

test('a URL body of unknown length goes through the spool: whole when the disk takes it, and when the disk fills up midway; dropped files replace it mid-way', async () => {
  const { dir, path: log, lines } = noiseLog('longhorn-manager-chunked.log', 3_000_000);
  appendFileSync(log, '2024-11-16T10:16:00.000Z level=error msg="the last line of the chunked body"\n');
  const total = lines + 1;
  const served = join(DIST, `e2e-chunked-${process.pid}`);
  mkdirSync(served, { recursive: true });
  symlinkSync(log, join(served, 'longhorn-manager-chunked.log'));
  const url = `${server.url}/e2e-chunked-${process.pid}/longhorn-manager-chunked.log?chunked`;
  const whole = async (page) => {
    await ready(page);
    assert.doesNotMatch(await page.innerText('.fl-root'), /limit_exceeded/, 'nothing was cut');
    await view(page, 'Logs');
    await page.waitForFunction((t) => document.querySelector('.fl-toolbar [aria-live]')?.textContent === `${t} lines`, total);
    await page.fill('input[aria-label="Jump to line"]', String(total));
    await page.click('.fl-jump button');
    await page.locator(`.fl-log-row[data-line="${total}"]:not(.fl-loading)`).waitFor();
    assert.match(await page.innerText(`.fl-log-row[data-line="${total}"]`), /the last line of the chunked body/);
    await inView(page, `.fl-log-row[data-line="${total}"]`);
    // It fitted the budget, so it is held and its spool file is gone.
    await waitUntil(async () => (await spooled(page)).length === 0, 'the spool file was removed');
  };
  try {
    const plain = await open('/');
    await plain.page.waitForSelector('.fl-root[data-state=empty]');
    await inWorker(plain.page, () => {
      const write = FileSystemSyncAccessHandle.prototype.write;
      self.spooledBytes = 0;
      FileSystemSyncAccessHandle.prototype.write = function (buffer, options) {
        self.spooledBytes += buffer.byteLength;
        return write.call(this, buffer, options);
      };
    });
    await analyzeUrls(plain.page, [url]);
    await whole(plain.page);
    assert.equal(await inWorker(plain.page, () => self.spooledBytes), statSync(log).size, 'the body went through the spool');
    assert.deepEqual(plain.seen.errors, []);
    await plain.page.close();

    // The disk refuses the body past its first MiB: what it took is read back, then the rest of the response.
    const full = await open('/');
    await full.page.waitForSelector('.fl-root[data-state=empty]');
    await inWorker(full.page, () => {
      const write = FileSystemSyncAccessHandle.prototype.write;
      let room = 2 ** 20;
      FileSystemSyncAccessHandle.prototype.write = function (buffer, options) {
        if (buffer.byteLength > room) {
          self.refused = true;
          throw new DOMException('the disk is full', 'QuotaExceededError');
        }
        room -= buffer.byteLength;
        return write.call(this, buffer, options);
      };
    });
    await analyzeUrls(full.page, [url]);
    await whole(full.page);
    assert.equal(await inWorker(full.page, () => self.refused), true, 'the disk refused a write');
    assert.deepEqual(full.seen.errors, []);
    await full.page.close();

    // Other files dropped while a body is being spooled replace it: its download stops, its file goes.
    // 30 MB sent at about 3 MB/s: still being sent when the other files come.
    const long = noiseLog('longhorn-manager-slow.log', 30_000_000);
    symlinkSync(long.path, join(served, 'longhorn-manager-slow.log'));
    const slowUrl = `${server.url}/e2e-chunked-${process.pid}/longhorn-manager-slow.log?chunked&slow`;
    const given = await open('/');
    await given.page.waitForSelector('.fl-root[data-state=empty]');
    await analyzeUrls(given.page, [slowUrl]);
    await given.page.waitForFunction(() =>
      /Reading longhorn-manager-slow\.log: [1-9]/.test(document.querySelector('#fl-progress-label')?.textContent ?? ''),
    );
    // Names only: a file being written cannot be opened from the page until it is closed.
    assert.equal((await spooled(given.page, { sizes: false })).length, 1, 'the body is being spooled');
    // Dropped on the page: while it works there is no file input.
    await drop(given.page, artifactPaths(FOUNDING).map((p) => ({ name: p.split('/').pop(), bytes: readFileSync(p) })));
    await given.page.waitForFunction(() => /Logs\s*6/.test(document.querySelector('.fl-tabs')?.innerText ?? ''));
    await ready(given.page);
    assert.match(await given.page.innerText('.fl-card'), /deleted-cr-instead-of-pod/);
    const path = new URL(slowUrl).pathname;
    await waitUntil(() => server.slow.get(path) !== 'reading', 'the download ended', 30_000);
    assert.equal(server.slow.get(path), 'aborted', 'the body was not read to its end');
    await waitUntil(async () => (await spooled(given.page)).length === 0, 'the spool file was removed');
    assert.deepEqual(given.seen.errors, []);
    await given.page.close();
    rmSync(long.dir, { recursive: true, force: true });
  } finally {
    rmSync(served, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
