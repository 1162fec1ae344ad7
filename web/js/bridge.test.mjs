// The page's side of the worker protocol, against a stand-in Worker: a worker whose wasm instance broke
// (a panic, memory run out) or that failed to start is replaced before the next request, and requests
// in flight are never left hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const workers = [];
globalThis.Worker = class {
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.posted = [];
    this.terminated = false;
    workers.push(this);
  }
  postMessage(message) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data) {
    this.onmessage({ data });
  }
};

const { Engine, readingOrder } = await import('./bridge.js');

test('a worker whose instance broke is replaced before the next request', async () => {
  workers.length = 0;
  const engine = new Engine('worker.js');
  const first = workers[0];
  const ok = engine.search('console.log', null);
  first.reply({ id: first.posted[0].id, ok: '[]' });
  assert.equal(await ok, '[]');
  const unanswered = engine.lines('console.log', 0, 10, null);
  assert.equal(workers.length, 1, 'a healthy worker stays');

  for (const kind of ['memory', 'panic']) {
    const worker = workers.at(-1);
    const failed = engine.analyze([], []);
    const { id } = worker.posted.at(-1);
    worker.reply({ id, error: { kind, message: `${kind} in the worker` } });
    await assert.rejects(failed, (e) => e.kind === kind && e.message === `${kind} in the worker`);
    const before = workers.length;
    const next = engine.checkRules('');
    if (kind === 'memory') {
      // What the broken worker still owed is answered, not left waiting forever.
      await assert.rejects(unanswered, (e) => e.kind === 'state' && /restarted/.test(e.message));
    }
    assert.equal(workers.length, before + 1, `after a ${kind} error the next request starts a worker`);
    assert.ok(worker.terminated);
    const fresh = workers.at(-1);
    assert.equal(fresh.posted.length, 1, 'the request went to the new worker');
    fresh.reply({ id: fresh.posted[0].id, ok: '[]' });
    assert.equal(await next, '[]');
  }
});

test('an ordinary error keeps the worker; one that fails to start is replaced and fails what waited', async () => {
  workers.length = 0;
  const engine = new Engine('worker.js');
  const worker = workers[0];
  const bad = engine.search('console.log', { pattern: '(' });
  worker.reply({ id: worker.posted[0].id, error: { kind: 'input', message: 'bad pattern' } });
  await assert.rejects(bad, /bad pattern/);
  const rules = engine.builtinRules();
  assert.equal(workers.length, 1);

  const waiting = engine.exportAs('json');
  worker.onerror({ message: 'worker.js: 404' });
  for (const request of [rules, waiting]) {
    await assert.rejects(request, (e) => e.kind === 'worker' && /404/.test(e.message));
  }
  const retried = engine.exportAs('json');
  assert.equal(workers.length, 2, 'the next request starts a worker');
  assert.ok(worker.terminated);
  workers[1].reply({ id: workers[1].posted[0].id, ok: '{}' });
  assert.equal(await retried, '{}');
});

test('past the held budget the biggest files are read last; otherwise the order is kept', () => {
  const file = (name, size) => ({ name, file: { size } });
  const small = [file('console.log', 300e6), file('junit.xml', 20e3), { url: 'https://ci/x.log' }];
  assert.deepEqual(readingOrder(small), small);
  const big = [file('console.log', 3e9), file('junit.xml', 20e3), { name: 'pasted.log', text: 'x' }, file('a.log', 2e6)];
  // Pasted text has no size of its own here: it is small, and read first.
  assert.deepEqual(readingOrder(big).map((i) => i.name), ['pasted.log', 'junit.xml', 'a.log', 'console.log']);
  assert.deepEqual(big.map((i) => i.name), ['console.log', 'junit.xml', 'pasted.log', 'a.log'], "the caller's list is left alone");
  workers.length = 0;
  const engine = new Engine('worker.js');
  engine.analyze(big, []);
  assert.deepEqual(
    workers[0].posted[0].args.inputs.map((i) => i.name),
    ['pasted.log', 'junit.xml', 'a.log', 'console.log'],
  );
});
