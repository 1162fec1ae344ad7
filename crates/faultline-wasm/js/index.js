// faultline for browsers, Web Workers and bundlers: analyse CI artifacts (JUnit XML, Robot output.xml,
// logs, zip/tar.gz bundles) without a server. This wrapper over the wasm-bindgen module adds loading
// helpers, stream intake, and one error type: every failure is a FaultlineError with `kind`, `file`,
// `line` and `column`, including the panic that should never happen (which would otherwise surface as
// an opaque `RuntimeError: unreachable`).
import init, * as raw from './faultline_wasm.js';
import { forget, spool, sweep } from './spool.js';
import { warmUpInputs } from './warmup.js';

export class FaultlineError extends Error {
  constructor(message, { kind = 'input', file = null, line = null, column = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'FaultlineError';
    this.kind = kind;
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

function translate(e) {
  if (e instanceof FaultlineError) return e;
  if (e && e.name === 'FaultlineError') {
    return new FaultlineError(e.message, { kind: e.kind, file: e.file, line: e.line, column: e.column });
  }
  if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
    let panic = null;
    let memory = null;
    try {
      panic = raw.lastPanic() ?? null;
      memory = raw.memoryBytes();
    } catch {
      // The instance is gone; keep the runtime's message.
    }
    if (panic === null && memory !== null) {
      // Every panic leaves its message; an abort without one is an allocation that failed: wasm memory
      // (at most 4 GiB) could not grow any further.
      return new FaultlineError(
        `faultline ran out of memory: its wasm memory holds ${memory} bytes and could not grow further. ` +
          `Analyse less at once, or lower options.limits.maxHeldBytes (this faultline instance must be reloaded)`,
        { kind: 'memory', cause: e },
      );
    }
    return new FaultlineError(`${panic ?? e.message} (this faultline instance must be reloaded)`, { kind: 'panic', cause: e });
  }
  return e;
}

function guard(fn) {
  try {
    return fn();
  } catch (e) {
    throw translate(e);
  }
}

/**
 * The package's viewer module: the default module's analysis, plus the exports (`html()`, `markdown()`,
 * `ctrf()`, `github()`) and the log viewer's queries (`lines`, `pickLines`, `search`), for a page that
 * shows logs or offers downloads. `load(viewerModule)` loads it instead of the default module, which
 * is smaller and throws a FaultlineError of kind `module` from those methods.
 */
export const viewerModule = new URL('./faultline_wasm_viewer_bg.wasm', import.meta.url);

/**
 * Loads the wasm module: by default the default module, `faultline_wasm_bg.wasm` next to this file;
 * or pass a URL (`viewerModule`), a Response, bytes or a compiled WebAssembly.Module. Call once before
 * anything else.
 */
export async function load(source) {
  void sweep();
  await init(source === undefined ? undefined : { module_or_path: source });
}

/** Loads the module synchronously from bytes or a WebAssembly.Module (Node.js, workers with the bytes). */
export function loadSync(module) {
  void sweep();
  raw.initSync({ module });
}

// The spool files (spool.js) each Analysis reads its logs from: removed when it is freed.
const spooledBy = new WeakMap();

/** Analyses `{ name, bytes }[]` and returns the `faultline.report/v1` report, exactly the CLI's JSON. */
export function analyze(files, options) {
  return guard(() => raw.analyze(files, options));
}

/** As `analyze`, returning an `Analysis` (report, stateAt, excerpt, exports). Call `free()` when done. */
export function analyzeToAnalysis(files, options) {
  return guard(() => raw.analyzeToAnalysis(files, options));
}

/** Files added whole or in chunks (streams), then `finish()`; or `free()` to give up. */
export class Analyzer {
  #inner;
  #gone = null;
  /** Spool files of bodies given to `addBlob`: they go with the analysis. */
  #spooled = [];

  constructor(options) {
    this.#inner = guard(() => new raw.Analyzer(options));
  }

  /** The wasm side, or a `state` error saying why there is none (finished or freed). */
  #live() {
    if (!this.#inner) throw new FaultlineError(this.#gone, { kind: 'state' });
    return this.#inner;
  }

  addFile(name, bytes) {
    const inner = this.#live();
    guard(() => inner.addFile(name, bytes));
    return this;
  }

  /** `size`: the whole file's length when known; its buffer is then reserved once, not grown by doubling. */
  addChunk(name, chunk, size) {
    const inner = this.#live();
    guard(() => inner.addChunk(name, chunk, size));
    return this;
  }

  /**
   * Reads a ReadableStream of bytes (`response.body`, `file.stream()`) into file `name`, chunk by chunk.
   * `size` as for `addChunk` (`file.size`, a Content-Length).
   */
  async addStream(name, stream, onBytes, size) {
    if (!this.#inner) {
      // Handed over to a finished or freed analyzer: nobody will read it, so let its source go.
      stream.cancel().catch(() => {});
      this.#live();
    }
    const reader = stream.getReader();
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // `free()` while this awaited: stop reading (the source is cancelled below) and say so.
        this.addChunk(name, value, size);
        total += value.byteLength;
        if (onBytes) onBytes(total);
        if (size > total && this.#live().isCut(name)) {
          // Past `limits.maxHeldBytes` the rest would only be counted: its size is known, so stop reading.
          this.#live().skipBytes(name, size - total);
          total = size;
          if (onBytes) onBytes(total);
          await reader.cancel().catch(() => {});
          break;
        }
      }
    } catch (e) {
      reader.cancel(e).catch(() => {});
      throw e;
    } finally {
      reader.releaseLock();
    }
    if (total === 0) this.addChunk(name, new Uint8Array(0));
    return this;
  }

  /**
   * A fetched body, analysed whole whatever its size: one known to fit the held budget is read as it
   * arrives (`addStream`); in a worker, a bigger one or one of unknown length is written to the origin
   * private file system first and read from there (`addBlob`), its file removed with the analysis.
   * Without that storage (a page, plain http) it is read as it arrives, and cut past the budget.
   * `onBytes(bytes, size)`: the body's bytes read so far, and its length when the headers say it.
   * `holdUpTo`: hold no body bigger than this, even with room for it (wasm memory never shrinks).
   * The status is the caller's to check: any body given is read.
   */
  async addResponse(name, response, onBytes, { holdUpTo = Infinity } = {}) {
    const inner = this.#live();
    if (!response.body) return this.addFile(name, new Uint8Array(0)); // a 204, a HEAD
    const headers = response.headers;
    // The length on the wire; a compressed body's decoded length is unknown until it has been read.
    const encoded = !['', 'identity'].includes(headers.get('content-encoding') ?? '');
    const size = encoded ? 0 : Number(headers.get('content-length')) || 0;
    const progress = (bytes) => onBytes?.(bytes, size || undefined);
    const room = Math.min(holdUpTo, guard(() => inner.heldRoom));
    const spooled = size && size <= room ? null : await spool(response.body, progress, () => this.#live());
    if (!spooled) return this.addStream(name, response.body, progress, size || undefined);
    this.#spooled.push(spooled.name);
    if (spooled.file && spooled.size > Math.min(holdUpTo, this.heldRoom)) return this.addBlob(name, spooled.file);
    // It fits after all, or the disk took only part of it (then held as far as the budget goes, the
    // rest cut): held, so its file is not needed any more.
    try {
      if (spooled.file) await this.addStream(name, spooled.file.stream(), undefined, spooled.size);
      else await this.addStream(name, spooled.stream, progress, size || undefined);
    } finally {
      void forget(this.#spooled.splice(this.#spooled.indexOf(spooled.name), 1));
    }
    return this;
  }

  /** In a worker: a log read from the Blob when `finish()` runs, never held (see the README). */
  addBlob(name, blob) {
    const inner = this.#live();
    guard(() => inner.addBlob(name, blob));
    return this;
  }

  get heldRoom() {
    const inner = this.#live();
    return guard(() => inner.heldRoom);
  }

  get bytesReceived() {
    const inner = this.#live();
    return guard(() => inner.bytesReceived);
  }

  /** Runs the analysis; the analyzer cannot be used afterwards. */
  finish() {
    const inner = this.#live();
    this.#inner = undefined;
    this.#gone = 'finish() was already called';
    const files = this.#spooled.splice(0);
    let analysis;
    try {
      analysis = guard(() => inner.finish());
    } catch (e) {
      void forget(files);
      throw e;
    }
    if (files.length) spooledBy.set(analysis, files);
    return analysis;
  }

  /**
   * Gives up: the bytes received so far leave wasm memory for reuse now (not whenever the garbage
   * collector gets to it), and an `addStream` in progress cancels its stream and rejects with a `state`
   * error. Safe to call more than once, and after `finish()`.
   */
  free() {
    const inner = this.#inner;
    this.#inner = undefined;
    this.#gone ??= 'this analyzer was freed: it received no more bytes and cannot finish';
    if (inner) inner.free();
    void forget(this.#spooled.splice(0));
  }
}

/** Every mistake in a rule file: `{ file, line, column, message }[]`. */
export function checkRules(text, file) {
  return guard(() => raw.checkRules(text, file));
}

/** The built-in rules: `{ source, rules }`. */
export function builtinRules() {
  return guard(() => raw.builtinRules());
}

export function version() {
  return raw.version();
}

/**
 * Analyses about 1 MB of synthetic artifacts `rounds` times, so the engine's hot code is optimised
 * before the first real analysis (see warmup.js). For a page or worker that loads the module before it
 * has anything to analyse: each round is one synchronous call of about 100 ms, the rounds yield to the
 * event loop in between, and `signal` aborting (an analysis came) stops the rounds left. Resolves to
 * the number of rounds run. Wasm memory grows by a few MB, as after any analysis of that size.
 */
export async function warmUp({ rounds = 3, signal } = {}) {
  const inputs = warmUpInputs();
  let ran = 0;
  while (ran < rounds) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal?.aborted) break;
    // The path a page's analysis takes: files into an Analyzer, then the report as JSON.
    const analyzer = new Analyzer();
    try {
      for (const { name, bytes } of inputs) analyzer.addFile(name, bytes);
      const analysis = analyzer.finish();
      try {
        analysis.reportJson(true);
      } finally {
        analysis.free();
      }
    } finally {
      analyzer.free();
    }
    ran += 1;
  }
  return ran;
}

/** Bytes of wasm memory this instance holds: the high-water mark of its analyses (it never shrinks). */
export function memoryBytes() {
  return raw.memoryBytes();
}

export function reportSchema() {
  return raw.reportSchema();
}

// An Analysis comes from wasm-bindgen directly (from `finish()` or `analyzeToAnalysis`); its methods get
// the same error translation as everything else, so a viewer's `search` with a bad pattern throws a
// FaultlineError too, not wasm-bindgen's bare error object.
for (const name of Object.getOwnPropertyNames(raw.Analysis.prototype)) {
  const method = Object.getOwnPropertyDescriptor(raw.Analysis.prototype, name).value;
  if (name === 'constructor' || typeof method !== 'function') continue;
  raw.Analysis.prototype[name] = function (...args) {
    return guard(() => method.apply(this, args));
  };
}

// Freeing an Analysis also removes the spool files it read its logs from.
const freeAnalysis = raw.Analysis.prototype.free;
raw.Analysis.prototype.free = function () {
  const files = spooledBy.get(this);
  spooledBy.delete(this);
  freeAnalysis.call(this);
  if (files) void forget(files);
};

export const { Analysis } = raw;

/** For the package's own tests: checks that a panic becomes a FaultlineError of kind `panic`. */
export function __panicForTests() {
  return guard(() => raw.__panicForTests());
}
