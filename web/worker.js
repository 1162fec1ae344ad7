// The analysis engine of the web app, in a module worker: the faultline-wasm package (built by `cargo
// xtask pkg`, staged into dist/pkg by Trunk's pre-build hook) reads the artifacts and keeps the finished
// analysis, logs included, so the page only ever holds the report and the log rows on screen.
import { Analyzer, FaultlineError, builtinRules, checkRules, load, memoryBytes, viewerModule, warmUp } from './pkg/index.js';

// The viewer module: the Logs view's queries and the exports are in it, not in the package's default one.
const ready = load(viewerModule);
// While the page waits for files the worker warms the engine up (the package's `warmUp`: the first
// analysis then runs optimised code); an analysis asked for first stops it. `pending` until it ends,
// then `done`, or `skipped` when an analysis came first or it failed (it is only an optimisation).
// Tests read it.
self.faultlineWarmUp = 'pending';
const WARM_UP_ROUNDS = 3;
const warming = new AbortController();
ready
  .then(() => warmUp({ rounds: WARM_UP_ROUNDS, signal: warming.signal }))
  .then(
    (ran) => (self.faultlineWarmUp = ran === WARM_UP_ROUNDS ? 'done' : 'skipped'),
    () => (self.faultlineWarmUp = 'skipped'),
  );
let analysis = null;
// A file bigger than this is read from itself (`addBlob`), not held: held, it would cost its size and
// more in wasm memory that never shrinks (836 MiB for a 500 MB log, against 34 MiB read from the File,
// which analyses about as fast; only a search over it takes twice as long).
const FROM_FILE_BYTES = 256 * 2 ** 20;
// The analysis still reading, if any: a newer analysis (the user dropped other files) gives it up, so
// the two never run side by side and the older one can never finish last and replace the newer.
let running = null;

/** A progress message at most every 80 ms: a 500 MB log must not flood the page with messages. */
function throttled(id) {
  let last = 0;
  return (progress, force = false) => {
    const now = performance.now();
    if (force || now - last > 80) {
      last = now;
      postMessage({ id, progress });
    }
  };
}

function basename(url) {
  try {
    const path = new URL(url, self.location.href).pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || 'download';
  } catch {
    return 'download';
  }
}

async function fetchInto(job, input, report) {
  let response;
  try {
    response = await fetch(input.url, { credentials: 'omit', signal: job.abort.signal });
  } catch (e) {
    if (job.abort.signal.aborted) throw e;
    throw new FaultlineError(
      `could not fetch ${input.url}: the server is unreachable or does not allow this page to read it ` +
        `(CORS). Download the file and drop it here instead.`,
      { kind: 'fetch', file: input.url },
    );
  }
  if (!response.ok) {
    throw new FaultlineError(`could not fetch ${input.url}: HTTP ${response.status} ${response.statusText}`, {
      kind: 'fetch',
      file: input.url,
    });
  }
  const name = input.name ?? basename(input.url);
  // Big, or of unknown length, the package spools it to OPFS and reads it from there, whole.
  await job.analyzer.addResponse(
    name,
    response,
    (bytes, total = 0) => report({ stage: 'reading', file: name, bytes, total }),
    { holdUpTo: FROM_FILE_BYTES },
  );
}

async function analyze(id, { inputs, rules }) {
  await ready;
  // Its addStream (or the next one, after a fetch) rejects with kind `state`; the page ignores that reply.
  if (running) {
    running.abort.abort();
    running.analyzer.free();
  }
  if (analysis) {
    analysis.free(); // and the spool files its logs were read from
    analysis = null;
  }
  const report = throttled(id);
  const analyzer = new Analyzer({
    rules,
    onProgress: ({ stage, done, total }) => report({ stage, done, total }, done === total),
  });
  const job = { analyzer, abort: new AbortController() };
  running = job;
  try {
    await read(job, inputs, report);
    report({ stage: 'diagnosing', done: 0, total: 1 }, true);
    analysis = analyzer.finish();
    return analysis.reportJson(true);
  } finally {
    analyzer.free(); // a no-op once finished; after a failed read, its bytes go back at once
    if (running === job) running = null;
  }
}

async function read(job, inputs, report) {
  const { analyzer } = job;
  for (const input of inputs) {
    if (input.file) {
      const name = input.name ?? input.file.name;
      const total = input.file.size;
      if (total > Math.min(FROM_FILE_BYTES, analyzer.heldRoom)) {
        // Big, or past the held budget: a log is read from the File in passes, whole, and never held.
        analyzer.addBlob(name, input.file);
        report({ stage: 'reading', file: name, bytes: total, total });
        continue;
      }
      await analyzer.addStream(
        name,
        input.file.stream(),
        (bytes) => report({ stage: 'reading', file: name, bytes, total }),
        total,
      );
    } else if (input.url) {
      await fetchInto(job, input, report);
    } else {
      analyzer.addFile(input.name, new TextEncoder().encode(input.text ?? ''));
    }
  }
}

function current() {
  if (!analysis) throw new FaultlineError('nothing has been analysed yet', { kind: 'state' });
  return analysis;
}

const ops = {
  analyze,
  lines: (_, { file, first, count, query }) => JSON.stringify(current().lines(file, first, count, query)),
  pick: (_, { file, lines, query }) => JSON.stringify(current().pickLines(file, lines, query)),
  search: (_, { file, query }) => current().search(file, query),
  export: (_, { format }) => {
    const a = current();
    switch (format) {
      case 'json':
        return a.reportJson();
      case 'markdown':
        return a.markdown();
      case 'html':
        return a.html();
      default:
        throw new FaultlineError(`unknown export format ${format}`, { kind: 'options' });
    }
  },
  checkRules: async (_, { text }) => {
    await ready;
    return JSON.stringify(checkRules(text, 'user rules'));
  },
  builtinRules: async () => {
    await ready;
    return JSON.stringify(builtinRules());
  },
};

onmessage = async ({ data }) => {
  const { id, op, args } = data;
  if (op === 'analyze') warming.abort();
  try {
    const handler = ops[op];
    if (!handler) throw new FaultlineError(`unknown request ${op}`, { kind: 'state' });
    const ok = await handler(id, args ?? {});
    // The page starts a fresh worker for its next analysis when this one has grown big (bridge.js).
    let memory;
    try {
      memory = memoryBytes();
    } catch {
      // The module is not loaded (yet): nothing held.
    }
    postMessage({ id, ok, memory });
  } catch (e) {
    const error = {
      kind: e?.kind ?? 'internal',
      message: String(e?.message ?? e),
      file: e?.file ?? null,
      line: e?.line ?? null,
      column: e?.column ?? null,
    };
    postMessage({ id, error });
  }
};
