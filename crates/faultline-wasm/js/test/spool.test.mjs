// The parts of the worker's spool that need no browser: which files a sweep may remove, and the body
// rebuilt from a spool file that filled up and the rest of the response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejoin, stale } from '../spool.js';

test('a sweep removes only the files of owners whose lock nobody holds', () => {
  const names = ['a1.1', 'a1.2', 'b2.1', 'c3.7', 'stray', '.hidden'];
  assert.deepEqual(stale(names, ['faultline-spool:a1', 'something-else', 'faultline-spool:c3']), [
    'b2.1',
    'stray',
    '.hidden',
  ]);
  assert.deepEqual(stale(names.slice(0, 2), ['faultline-spool:a1.1']), ['a1.1', 'a1.2'], 'a lock names an owner, not a file');
  assert.deepEqual(stale([], []), []);
});

const bytes = (s) => new TextEncoder().encode(s);
const streamOf = (...chunks) =>
  new ReadableStream({
    pull(c) {
      if (chunks.length) c.enqueue(bytes(chunks.shift()));
      else c.close();
    },
  });
async function text(stream) {
  let out = '';
  for await (const chunk of stream) out += new TextDecoder().decode(chunk);
  return out;
}

test('a rejoined body is the spooled head, the chunk the disk refused, then the rest, in order', async () => {
  const rest = streamOf('d', 'ef').getReader();
  assert.equal(await text(rejoin(streamOf('a', 'b'), bytes('c'), rest)), 'abcdef');
  assert.equal(await text(rejoin(streamOf(), null, streamOf('x').getReader())), 'x', 'nothing spooled yet');
  assert.equal(await text(rejoin(streamOf('a'), new Uint8Array(), streamOf().getReader())), 'a');
});

test('cancelling a rejoined body cancels the response it still reads from', async () => {
  let cancelled = null;
  const rest = new ReadableStream({
    pull(c) {
      c.enqueue(bytes('more'));
    },
    cancel(reason) {
      cancelled = reason;
    },
  }).getReader();
  const reader = rejoin(streamOf('head'), bytes('next'), rest).getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), 'head');
  await reader.cancel('over budget');
  assert.equal(cancelled, 'over budget');
});
