// The page's side of the worker protocol and the browser APIs that are awkward from Rust: folder
// traversal in drops, and downloads. Everything here moves data; nothing renders artifact text.

// The app's files (worker.js, pkg/, demo/) sit at the root of the dist folder; this script is staged by
// Trunk at snippets/<crate>/js/bridge.js. Resolving against it, not the page, lets a portal mount the app
// from a page that lives elsewhere on the same origin.
const DIST = new URL('../../../', import.meta.url);

export function distUrl(path) {
  return new URL(path, DIST).href;
}

/**
 * Wasm memory grows and never shrinks, so a worker that analysed a big run keeps that memory for the
 * tab's life. Past this much, the next analysis starts in a fresh worker (its module is in the HTTP
 * cache; the old worker's analysis is being replaced anyway).
 */
const RECYCLE_BYTES = 256 * 1024 * 1024;

/** The package's default `limits.maxHeldBytes`: input past it is counted, not held. */
const HELD_BYTES = 2 ** 30;

/**
 * The order the worker reads `inputs` in. Past the package's budget the files read last are the ones
 * that do not fit, so then the biggest go last: a JUnit report dropped next to a 3 GB log is held whole
 * and the log is read from its File in passes (`addBlob`), not the other way round. Otherwise the order
 * is kept (it is the report's file order).
 */
export function readingOrder(inputs) {
  const size = (input) => input.file?.size ?? 0;
  if (inputs.reduce((total, input) => total + size(input), 0) <= HELD_BYTES) return inputs;
  return [...inputs].sort((a, b) => size(a) - size(b));
}

export class Engine {
  constructor(workerUrl) {
    this.workerUrl = workerUrl;
    this.next = 1;
    this.pending = new Map();
    this.start();
  }

  start() {
    this.worker = new Worker(this.workerUrl, { type: 'module', name: 'faultline-engine' });
    this.memory = 0;
    this.broken = false;
    this.worker.onmessage = ({ data }) => {
      if (typeof data.memory === 'number') this.memory = data.memory;
      const entry = this.pending.get(data.id);
      if (!entry) return;
      if (data.progress) {
        if (entry.onProgress) entry.onProgress(data.progress);
        return;
      }
      this.pending.delete(data.id);
      // After a panic or running out of memory the worker's wasm instance is unusable: the next
      // request gets a fresh worker.
      if (data.error && (data.error.kind === 'panic' || data.error.kind === 'memory')) this.broken = true;
      if (data.error) entry.reject(Object.assign(new Error(data.error.message), data.error));
      else entry.resolve(data.ok);
    };
    this.worker.onerror = (event) => {
      this.broken = true;
      this.failAll(
        Object.assign(new Error(event.message || 'the analysis worker failed to start'), { kind: 'worker' }),
      );
    };
  }

  failAll(error) {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }

  /** A fresh worker in place of this one; what this one still owed is rejected with `reason`. */
  replace(reason) {
    this.worker.terminate();
    this.failAll(Object.assign(new Error(reason), { kind: 'state' }));
    this.start();
  }

  /** A fresh worker when the current one holds more memory than a new analysis should inherit. */
  recycleIfBig() {
    if (this.memory > RECYCLE_BYTES) this.replace('a new analysis replaced this one');
  }

  /** A fresh worker in place of one that failed to start or whose wasm instance broke. */
  restartIfBroken() {
    if (this.broken) this.replace('the analysis worker was restarted');
  }

  call(op, args, onProgress) {
    this.restartIfBroken();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ id, op, args });
    });
  }

  /** `inputs`: `{ name?, file }`, `{ name?, url }` or `{ name, text }`; resolves to the report's JSON. */
  analyze(inputs, rules, onProgress) {
    this.recycleIfBig();
    return this.call('analyze', { inputs: readingOrder(inputs), rules }, onProgress);
  }
  lines(file, first, count, query) {
    return this.call('lines', { file, first, count, query });
  }
  pick(file, lines, query) {
    return this.call('pick', { file, lines, query });
  }
  search(file, query) {
    return this.call('search', { file, query });
  }
  exportAs(format) {
    return this.call('export', { format });
  }
  checkRules(text) {
    return this.call('checkRules', { text });
  }
  builtinRules() {
    return this.call('builtinRules', {});
  }
}

function readEntries(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every file in a drop, folders walked, each as `{ name, file }` with its path inside the drop. */
export async function filesFromDrop(dataTransfer) {
  const entries = [];
  for (const item of dataTransfer.items ?? []) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) entries.push({ isFile: true, file: () => file, plain: file });
    }
  }
  const out = [];
  const walk = async (entry, prefix) => {
    if (entry.plain) {
      out.push({ name: entry.plain.name, file: entry.plain });
    } else if (entry.isFile) {
      const file = await fileOf(entry);
      out.push({ name: prefix + file.name, file });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await readEntries(reader);
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const entry of entries) await walk(entry, '');
  if (out.length === 0) {
    for (const file of dataTransfer.files ?? []) out.push({ name: file.name, file });
  }
  return out;
}

/** Files from an `<input type=file>` (with `webkitdirectory`, names keep their folder path). */
export function filesFromInput(input) {
  return Array.from(input.files ?? [], (file) => ({ name: file.webkitRelativePath || file.name, file }));
}

export function download(name, text, mime) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The bundled demo (the founding case), staged into dist/demo/ with a manifest of its files. */
export async function demoInputs() {
  const response = await fetch(distUrl('demo/manifest.json'));
  if (!response.ok) throw Object.assign(new Error(`the demo is missing (HTTP ${response.status})`), { kind: 'fetch' });
  const manifest = await response.json();
  return manifest.files.map((name) => ({ name, url: distUrl(`demo/${encodeURIComponent(name)}`) }));
}

/** `{ name, bytes | file | url | text }[]` from a portal (`mount` options or `postMessage`), normalised. */
export function normaliseInputs(files, urls) {
  const out = [];
  for (const f of files ?? []) {
    if (typeof File !== 'undefined' && f instanceof File) out.push({ name: f.name, file: f });
    else if (f && f.file) out.push({ name: f.name ?? f.file.name, file: f.file });
    else if (f && f.bytes) out.push({ name: f.name ?? 'artifact', file: new File([f.bytes], f.name ?? 'artifact') });
    else if (f && typeof f.text === 'string') out.push({ name: f.name ?? 'pasted.log', text: f.text });
    else if (f && f.url) out.push({ name: f.name, url: f.url });
  }
  for (const url of urls ?? []) out.push({ url: String(url) });
  return out;
}
