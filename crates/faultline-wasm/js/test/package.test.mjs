// The built npm package (crates/faultline-wasm/pkg, made by `cargo xtask pkg`) in Node.js: it loads from
// its own files, analyses the founding case like the CLI, and every failure is a FaultlineError.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { ROOT, scenario } from '../../../../e2e/lib/fixtures.mjs';

const PKG = join(ROOT, 'crates/faultline-wasm/pkg');
const pkg = await import(join(PKG, 'index.js'));
pkg.loadSync(readFileSync(join(PKG, 'faultline_wasm_bg.wasm')));

test('the founding case: deleted-cr-instead-of-pod, blame test, with its evidence', () => {
  const report = pkg.analyze(scenario('rwx-recovery-cr-deleted'));
  assert.equal(report.schema, 'faultline.report/v1');
  assert.equal(report.summary.failed, 1);
  const [d] = report.diagnoses;
  assert.equal(d.rule, 'deleted-cr-instead-of-pod');
  assert.equal(d.blame, 'test');
  assert.ok(d.evidence.some((e) => e.file === 'console.log' && e.line === 161), JSON.stringify(d.evidence));
  assert.equal(typeof report.events[0].time_ms, 'number', 'times are numbers, not BigInts');
});

test('streamed chunks, the replay, evidence in context; the viewer\'s methods say where they are', async () => {
  const analyzer = new pkg.Analyzer({ onProgress: () => {} });
  for (const f of scenario('rwx-recovery-cr-deleted')) {
    const stream = new Blob([f.bytes]).stream();
    await analyzer.addStream(f.name, stream);
  }
  const analysis = analyzer.finish();
  const report = analysis.report();
  const id = report.diagnoses[0].test.id;
  const steps = report.timeline.find((t) => t.test === id).steps.length;
  const last = analysis.stateAt(id, steps - 1);
  assert.ok(last.some((o) => o.kind === 'ShareManager' && o.existence === 'recreated'));
  const [cited] = report.diagnoses[0].evidence.filter((e) => e.file === 'console.log');
  const context = analysis.excerpt('console.log', cited.line, 2);
  assert.ok(context.some((l) => l.line === cited.line && l.cited), JSON.stringify(context));
  assert.equal(JSON.parse(analysis.reportJson()).diagnoses[0].rule, 'deleted-cr-instead-of-pod');
  // The exports and the log viewer's queries are in the viewer module (viewer.test.mjs), not this one.
  const viewerOnly = [
    () => analysis.markdown(),
    () => analysis.html(),
    () => analysis.ctrf(),
    () => analysis.github(),
    () => analysis.lines('console.log', 1, 1),
    () => analysis.pickLines('console.log', [1]),
    () => analysis.search('console.log', { pattern: 'timed out' }),
  ];
  for (const call of viewerOnly) {
    assert.throws(call, (e) => e instanceof pkg.FaultlineError && e.kind === 'module' && /load\(viewerModule\)/.test(e.message), String(call));
  }
  analysis.free();
  assert.throws(() => analyzer.finish(), (e) => e instanceof pkg.FaultlineError && e.kind === 'state');
});

test('fetched bodies: with a length, without one, compressed, empty; all read whole as addFile would', async () => {
  const files = scenario('rwx-recovery-cr-deleted');
  const expected = JSON.stringify(pkg.analyze(files));
  const shapes = [
    (f) => new Response(f.bytes, { headers: { 'content-length': String(f.bytes.length) } }),
    // Chunked: no length. In Node there is no origin private file system, so it is read as it arrives.
    (f) => new Response(new Blob([f.bytes]).stream()),
    // A compressed body's Content-Length is its length on the wire: not the bytes it decodes to.
    (f) => new Response(f.bytes, { headers: { 'content-length': '3', 'content-encoding': 'gzip' } }),
  ];
  // `holdUpTo` below every file's size: still read whole (there is nowhere to spool it in Node.js).
  for (const [shape, holdUpTo] of [...shapes.map((s) => [s, undefined]), [shapes[0], 10]]) {
    const analyzer = new pkg.Analyzer();
    const seen = [];
    for (const f of files) {
      await analyzer.addResponse(f.name, shape(f), (bytes, size) => seen.push([bytes, size]), { holdUpTo });
    }
    const analysis = analyzer.finish();
    assert.equal(JSON.stringify(analysis.report()), expected);
    analysis.free();
    assert.ok(seen.length > 0 && seen.every(([b, s]) => b > 0 && (s === undefined || b <= s)), JSON.stringify(seen));
  }
  const empty = new pkg.Analyzer();
  await empty.addResponse('empty.log', new Response(null, { status: 204 }));
  const report = empty.finish().report();
  assert.deepEqual(report.files.map((f) => [f.name, f.bytes]), [['empty.log', 0]]);
});

test('free() gives an analyzer up: its stream is cancelled, its memory reused, and it cannot finish', async () => {
  const line = '2024-11-16T10:15:03.123Z INFO volume attached\n';
  const chunk = new TextEncoder().encode(line.repeat(4096));
  let pulls = 0;
  let cancelled = null;
  const analyzer = new pkg.Analyzer();
  const stream = new ReadableStream({
    pull(controller) {
      pulls += 1;
      controller.enqueue(chunk.slice());
      if (pulls === 3) analyzer.free(); // the embedder gives up while the stream is being read
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  await assert.rejects(analyzer.addStream('big.log', stream), (e) => e.kind === 'state' && /freed/.test(e.message));
  assert.ok(cancelled, 'the stream was cancelled');
  assert.ok(pulls < 6, `reading stopped (${pulls} pulls)`);
  assert.throws(() => analyzer.finish(), (e) => e.kind === 'state');
  assert.throws(() => analyzer.addFile('x.log', chunk), (e) => e.kind === 'state');
  assert.throws(() => analyzer.bytesReceived, (e) => e.kind === 'state');
  analyzer.free(); // twice is harmless
  let late = false;
  const unread = new ReadableStream({ cancel: () => void (late = true) });
  await assert.rejects(analyzer.addStream('late.log', unread), (e) => e.kind === 'state');
  assert.ok(late, 'a stream handed to a freed analyzer is cancelled, not left open');
  await assert.rejects(analyzer.addResponse('late.log', new Response('x')), (e) => e.kind === 'state');

  // What a freed analyzer received is reused at once, not when the garbage collector runs.
  const size = 16 * chunk.length;
  const fill = (a) => {
    for (let i = 0; i < 16; i++) a.addChunk('big.log', chunk, size);
  };
  const first = new pkg.Analyzer();
  fill(first);
  first.free();
  const before = pkg.memoryBytes();
  const second = new pkg.Analyzer();
  fill(second);
  assert.ok(pkg.memoryBytes() - before < size / 2, 'the second file took the first one\'s place');
  // free() after finish() leaves the analysis usable.
  const analysis = second.finish();
  second.free();
  assert.equal(analysis.report().files[0].lines, 16 * 4096);
  assert.throws(() => second.finish(), (e) => e.kind === 'state' && /already called/.test(e.message));
  analysis.free();
});

test('past the held budget a stream of known size stops being read; the warning still has its size', async () => {
  const chunk = new TextEncoder().encode('2024-11-16T10:12:00.000Z level=info msg="reconciled volume pvc-1"\n'.repeat(16));
  const size = chunk.length * 1000;
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream({
    pull(controller) {
      pulled += 1;
      if (pulled > 1000) controller.close();
      else controller.enqueue(chunk.slice());
    },
    cancel() {
      cancelled = true;
    },
  });
  const analyzer = new pkg.Analyzer({ limits: { maxHeldBytes: 5000 } });
  let seen = 0;
  await analyzer.addStream('big.log', stream, (n) => (seen = n), size);
  assert.ok(cancelled, 'the stream was cancelled');
  assert.ok(pulled < 20, `${pulled} chunks were read of 1000`);
  assert.equal(analyzer.bytesReceived, size);
  assert.equal(seen, size, 'progress reaches the end');
  const report = analyzer.finish().report();
  const cut = report.warnings.filter((w) => /maxHeldBytes/.test(w.message));
  assert.equal(cut.length, 1);
  assert.equal(cut[0].file, 'big.log');
  assert.match(cut[0].message, new RegExp(`^only the first \\d+ of ${size} bytes were analysed`));
  assert.ok(report.files[0].bytes <= 5000 && report.files[0].bytes > 4000, `${report.files[0].bytes} bytes held`);
});

test('errors are FaultlineErrors with a kind and a place', () => {
  assert.throws(
    () => pkg.analyze(scenario('rwx-recovery-cr-deleted'), { rules: '[[rule]]\nid = 3\n' }),
    (e) => e instanceof pkg.FaultlineError && e.kind === 'rules' && e.file === 'rules[0].toml' && e.line >= 1,
  );
  assert.throws(() => pkg.analyze('nope'), (e) => e instanceof pkg.FaultlineError && e.kind === 'input');
  // A Blob is read with FileReaderSync, which only a browser's worker has: elsewhere, a typed error
  // saying what to use instead.
  const analyzer = new pkg.Analyzer();
  assert.equal(analyzer.heldRoom, 2 ** 30);
  assert.throws(
    () => analyzer.addBlob('console.log', new Blob(['a line\n'])),
    (e) => e instanceof pkg.FaultlineError && e.kind === 'input' && e.file === 'console.log' && /FileReaderSync.*addStream/.test(e.message),
  );
  analyzer.free();
  const checks = pkg.checkRules('[[rule]]\nid = 3\n', 'mine.toml');
  assert.equal(checks[0].file, 'mine.toml');
  assert.ok(pkg.builtinRules().rules.some((r) => r.id === 'deleted-cr-instead-of-pod'));
});

test('the hostile corpus: every input gives a report, never a panic; hostile rule files are located', () => {
  const dir = join(ROOT, 'fixtures', 'hostile');
  const files = readdirSync(dir).filter((f) => !['README.md', 'generate.py'].includes(f)).sort();
  assert.ok(files.length >= 30, `only ${files.length} hostile inputs`);
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(join(dir, f)));
    if (f.endsWith('.toml')) {
      // Rule and pattern files go in as options: a located error or a working rule set, nothing else.
      const key = f.startsWith('patterns-') ? 'patterns' : 'rules';
      try {
        pkg.analyze(scenario('rwx-recovery-cr-deleted'), { [key]: new TextDecoder().decode(bytes) });
      } catch (e) {
        assert.ok(e instanceof pkg.FaultlineError, `${f}: ${e}`);
        assert.equal(e.kind, key, `${f}: ${e.message}`);
        assert.ok(e.line >= 1 && e.column >= 1, `${f}: unlocated: ${e.message}`);
      }
      continue;
    }
    const report = pkg.analyze([{ name: f, bytes }]);
    assert.equal(report.schema, 'faultline.report/v1', f);
    // A .gz member is named without its suffix.
    for (const w of report.warnings) assert.ok(w.file.startsWith(f.replace(/\.gz$/, '')), `${f}: a warning names ${w.file}`);
    assert.ok(!JSON.stringify(report).includes('root:x:0:0'), `${f}: an external entity was expanded`);
  }
  // And everything together with the founding case: the diagnosis still comes through.
  const all = files.filter((f) => !f.endsWith('.toml')).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  const report = pkg.analyze([...all, ...scenario('rwx-recovery-cr-deleted')]);
  assert.ok(report.diagnoses.some((d) => d.rule === 'deleted-cr-instead-of-pod'));
});

// Last: a panic leaves the instance unusable, by design.
test('a panic becomes a FaultlineError of kind panic that says what happened', () => {
  assert.throws(
    () => pkg.__panicForTests(),
    (e) => e instanceof pkg.FaultlineError && e.kind === 'panic' && /deliberate panic/.test(e.message),
  );
});

test('warmUp runs its rounds over artifacts that reach every stage, and stops when told', async () => {
  // What it analyses must be worth warming up on: tests read, failures diagnosed by rules, log events.
  const { warmUpInputs } = await import(join(PKG, 'warmup.js'));
  const report = pkg.analyze(warmUpInputs());
  assert.equal(report.summary.tests, 200);
  assert.equal(report.summary.failed, 10);
  assert.equal(report.diagnoses.length, 10);
  assert.ok(report.diagnoses.every((d) => d.rule !== 'unclassified'), JSON.stringify(report.diagnoses[0]));
  assert.ok(report.events.length > 1000, `${report.events.length} events`);
  assert.ok(report.warnings.length === 0, JSON.stringify(report.warnings));

  assert.equal(await pkg.warmUp({ rounds: 2 }), 2);
  const stop = new AbortController();
  stop.abort();
  assert.equal(await pkg.warmUp({ signal: stop.signal }), 0);
  // Aborted between rounds: the round under way finishes, none starts after.
  const later = new AbortController();
  const warming = pkg.warmUp({ rounds: 50, signal: later.signal });
  await new Promise((resolve) => setTimeout(resolve, 0));
  later.abort();
  assert.ok((await warming) < 50);
  // And the engine is as it was.
  assert.equal(pkg.analyze(scenario('rwx-recovery-cr-deleted')).diagnoses[0].rule, 'deleted-cr-instead-of-pod');
});
