// The package's viewer module (`load(viewerModule)`, what the web app's worker runs) in Node.js: the
// exports and the log viewer's queries, which the default module (package.test.mjs) leaves out.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { ROOT, scenario } from '../../../../e2e/lib/fixtures.mjs';

const PKG = join(ROOT, 'crates/faultline-wasm/pkg');
const pkg = await import(join(PKG, 'index.js'));
pkg.loadSync(readFileSync(pkg.viewerModule));

test('the exports, as the CLI writes them', () => {
  const analysis = pkg.analyzeToAnalysis(scenario('rwx-recovery-cr-deleted'));
  assert.match(analysis.markdown(), /deleted-cr-instead-of-pod/);
  assert.match(analysis.html(), /Content-Security-Policy/);
  assert.equal(JSON.parse(analysis.ctrf()).reportFormat, 'CTRF');
  assert.match(analysis.github(), /^::error /m);
  analysis.free();
});

test('a viewer reads windows of a log and searches it where the analysis keeps it', () => {
  const analyzer = new pkg.Analyzer();
  for (const f of scenario('rwx-recovery-cr-deleted')) analyzer.addFile(f.name, f.bytes);
  const analysis = analyzer.finish();
  const [cited] = analysis.report().diagnoses[0].evidence.filter((e) => e.file === 'console.log');
  const [line] = analysis.lines('console.log', cited.line, 1);
  assert.equal(line.line, cited.line);
  const hits = analysis.search('console.log', { pattern: 'CONNECTION TIMED OUT' });
  assert.ok(hits.lines instanceof Uint32Array && hits.total >= 1 && !hits.truncated, JSON.stringify(hits));
  const picked = analysis.pickLines('console.log', hits.lines);
  assert.ok(picked.every((l) => /connection timed out/i.test(l.text) && l.marks === undefined));
  // Given the query, each row says where it matched, in UTF-16 units of its text.
  const query = { pattern: 'timed OUT' };
  const marked = analysis.pickLines('console.log', hits.lines, query);
  const covered = marked.flatMap((l) => l.marks.map(([s, e]) => l.text.slice(s, e)));
  assert.ok(covered.length >= marked.length && covered.every((t) => t === 'timed out'), covered.join('|'));
  assert.equal(analysis.lines('console.log', cited.line, 1, query)[0].marks, undefined, 'no match, no marks');
  assert.throws(() => analysis.lines('console.log', 1, 1, { pattern: '(', regex: true }), (e) => e.kind === 'options');
  const errors = analysis.search('console.log', { levels: ['error'], limit: 1 });
  assert.ok(errors.lines.length <= 1 && errors.total >= errors.lines.length);
  assert.throws(() => analysis.search('console.log', { pattern: '(', regex: true }), (e) => e.kind === 'options');
  assert.throws(() => analysis.lines('nope.log', 1, 1), (e) => e instanceof pkg.FaultlineError && e.kind === 'state');
  analysis.free();
});

test('every field of a log query is read, and a wrong one is named', () => {
  const log = [
    '2024-11-16T10:15:00Z INFO mounting /data',
    '2024-11-16T10:15:01Z WARN I/O on /data is slow',
    '2024-11-16T10:15:02Z ERROR read /data/data.txt: connection timed out',
    '2024-11-16T10:15:03Z ERROR md5sum: Connection Timed Out',
    'no level here: timed out',
  ].join('\n');
  const analyzer = new pkg.Analyzer();
  analyzer.addFile('app.log', new TextEncoder().encode(log));
  const analysis = analyzer.finish();
  const lines = (query) => Array.from(analysis.search('app.log', query).lines);
  assert.deepEqual(lines({ pattern: 'TIMED OUT' }), [3, 4, 5], 'case-insensitive by default');
  assert.deepEqual(lines({ pattern: 'Timed Out', caseSensitive: true }), [4]);
  assert.deepEqual(lines({ pattern: 'timed.out', regex: true }), [3, 4, 5]);
  assert.deepEqual(lines({ pattern: 'timed.out' }), [], 'a literal unless regex is set');
  assert.deepEqual(lines({ pattern: 'timed out', regex: null, caseSensitive: null }), [3, 4, 5], 'null is absent');
  assert.deepEqual(lines({ levels: ['error'] }), [3, 4]);
  assert.deepEqual(lines({ levels: ['warn', 'info'] }), [1, 2]);
  assert.deepEqual(lines({ pattern: 'data', levels: ['error', 'warn'] }), [2, 3]);
  const limited = analysis.search('app.log', { levels: ['error', 'warn'], limit: 1 });
  assert.deepEqual([Array.from(limited.lines), limited.total, limited.truncated], [[2], 3, true]);
  const wrong = [
    ['timed out', /^the search query must be an object$/],
    [{ pattern: 7 }, /^query\.pattern must be a string$/],
    [{ regex: 'yes' }, /^query\.regex must be a boolean$/],
    [{ caseSensitive: 1 }, /^query\.caseSensitive must be a boolean$/],
    [{ levels: 'error' }, /^query\.levels must be an array of level names$/],
    [{ levels: ['error', 'WARN'] }, /^query\.levels\[1\] must be one of trace, debug, info, warn, error, fatal$/],
    [{ limit: -1 }, /^query\.limit must be a whole number ≥ 0$/],
    [{ limit: 1.5 }, /^query\.limit must be a whole number ≥ 0$/],
  ];
  for (const [query, message] of wrong) {
    for (const call of [() => analysis.search('app.log', query), () => analysis.lines('app.log', 1, 5, query)]) {
      assert.throws(call, (e) => e instanceof pkg.FaultlineError && e.kind === 'options' && message.test(e.message), JSON.stringify(query));
    }
  }
  analysis.free();
});
