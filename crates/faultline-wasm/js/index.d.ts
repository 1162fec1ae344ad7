// Types of the faultline package. The report types (`Report` and everything in it) are generated from
// the committed JSON Schema (schema/faultline.report.v1.schema.json) into ./report.d.ts.
import type { FaultlineReportV1, ObjectState, RuleInfo } from './report.js';

export type * from './report.js';
/** The `faultline.report/v1` report (the schema's root type, named from its title). */
export type Report = FaultlineReportV1;

/** An artifact: a file's name (a label, shown in citations) and its bytes. zip, tar.gz and gz are expanded. */
export interface InputFile {
  name: string;
  bytes: Uint8Array | ArrayBuffer;
}

export interface Progress {
  stage: 'reading' | 'logs' | 'diagnosing';
  done: number;
  total: number;
}

export interface Limits {
  /**
   * Input bytes held in wasm memory, all the run's files together (default 1 GiB; `baseline` files
   * are read whole, outside it). Wasm memory is at most 4 GiB and the analysis needs room of its own.
   * Past it, bytes are counted, not held: what was held is analysed, each file cut at a line break,
   * and a `limit_exceeded` warning per file names what was left out.
   */
  maxHeldBytes?: number;
  /** Bytes expanded from one archive input (default here 1 GiB; the CLI's is 4 GiB). */
  maxDecompressedBytes?: number;
  maxRatio?: number;
  maxDepth?: number;
  maxEntries?: number;
  /** Characters of one artifact line kept where reports show it (default 2000). */
  maxLineChars?: number;
  /** Events kept per test (default 10000). */
  maxEventsPerTest?: number;
}

export interface AnalyzeOptions {
  /** User rule files (TOML text), used with the built-in rules; errors name them `rules[N].toml`. */
  rules?: string | string[];
  /** User pattern packs (TOML text); errors name them `patterns[N].toml`. */
  patterns?: string | string[];
  /** Keep only matching tests: `*` and `?` wildcards, otherwise a substring of id, name or suite.name. */
  tests?: string | string[];
  /** A passing run's artifacts: lines new in this run are reported in `report.baseline`, ranked. */
  baseline?: InputFile[];
  limits?: Limits;
  onProgress?: (progress: Progress) => void;
}

/** `module`: a viewer method called on the default module (see `viewerModule`). */
export type ErrorKind = 'options' | 'rules' | 'patterns' | 'input' | 'state' | 'panic' | 'memory' | 'module';

export class FaultlineError extends Error {
  readonly name: 'FaultlineError';
  readonly kind: ErrorKind;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
}

export interface RuleCheck {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface ExcerptLine {
  line: number;
  text: string;
  cited: boolean;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** A log line as a viewer shows it: without ANSI sequences, clipped to `maxLineChars`. */
export interface ViewLine {
  line: number;
  text: string;
  level?: LogLevel;
  time_ms?: number;
  /**
   * With a query: where it matches `text`, `[start, end)` in UTF-16 units (`text.slice(start, end)`),
   * in order; adjacent matches are one mark, and a line has at most 64.
   */
  marks?: [number, number][];
}

export interface LogQuery {
  pattern?: string;
  /** `pattern` is a regular expression (linear-time, size-limited); otherwise a literal. */
  regex?: boolean;
  caseSensitive?: boolean;
  levels?: LogLevel[];
  /** At most this many line numbers (default 2,000,000); `total` still counts every match. */
  limit?: number;
}

export interface SearchHits {
  lines: Uint32Array;
  total: number;
  truncated: boolean;
}

/** A finished analysis held in wasm memory. Call `free()` when done with it. */
export class Analysis {
  private constructor();
  free(): void;
  report(): Report;
  /** The report as pretty JSON, byte-identical to `faultline analyze --format json`. */
  /** Pretty JSON, byte-identical to the CLI's; `compact` gives one line without spaces. */
  reportJson(compact?: boolean): string;
  /** Every object the test touched as it stood after replay step `step` (0-based). */
  stateAt(testId: string, step: number): ObjectState[];
  /** Lines `line` ± `radius` of a log the analysis read; null when `file` is not a log. */
  excerpt(file: string, line: number, radius: number): ExcerptLine[] | null;
  /**
   * The methods below are in the viewer module only (`load(viewerModule)`); the default module throws a
   * FaultlineError of kind `module` from them.
   *
   * Lines `first .. first + count` (1-based) of a log, clamped to it: what a virtualised viewer shows.
   */
  lines(file: string, first: number, count: number, query?: LogQuery): ViewLine[];
  /** The given lines (1-based) of a log, as `search` returns them; numbers past its end are skipped. */
  pickLines(file: string, lines: Uint32Array | number[], query?: LogQuery): ViewLine[];
  /** Lines of a log matching the query; an empty pattern with `levels` is a level filter. */
  search(file: string, query?: LogQuery): SearchHits;
  /** GitHub-flavoured Markdown, as `faultline analyze --format markdown`. Viewer module only. */
  markdown(): string;
  /** The self-contained HTML report, as `--format html`. Viewer module only. */
  html(): string;
  /** Common Test Report Format JSON, as `--format ctrf`. Viewer module only. */
  ctrf(): string;
  /** GitHub workflow commands, as `--format github`. Viewer module only. */
  github(): string;
}

export class Analyzer {
  constructor(options?: AnalyzeOptions);
  addFile(name: string, bytes: Uint8Array | ArrayBuffer): this;
  /** `size`: the whole file's length when known (`File.size`, a Content-Length), so its buffer is reserved once. */
  addChunk(name: string, chunk: Uint8Array | ArrayBuffer, size?: number): this;
  addStream(
    name: string,
    stream: ReadableStream<Uint8Array>,
    onBytes?: ((total: number) => void) | null,
    size?: number,
  ): Promise<this>;
  /**
   * In a worker only (it reads with `FileReaderSync`): a plain log is read from the Blob in passes when
   * `finish()` runs and never held, so it is analysed whole at any size, and the `Analysis` reads the
   * rows a viewer asks for from it again (keep the file unchanged while it is in use). Anything else is
   * read now, into the held budget. Throws kind `input` on a page, or given something else.
   */
  addBlob(name: string, blob: Blob): this;
  /**
   * A fetched body, analysed whole at any size: one known to fit the held budget is read as it
   * arrives; in a worker, a bigger one or one of unknown length is written to the origin private file
   * system first and given to `addBlob` (its file is removed when the `Analysis` is freed). Without
   * that storage it is read as it arrives, and cut past the budget. The status is the caller's to check.
   * `onBytes(bytes, size)`: bytes read so far, and the body's length when its headers say it.
   * `holdUpTo`: hold no body bigger than this even when there is room (wasm memory never shrinks).
   */
  addResponse(
    name: string,
    response: Response,
    onBytes?: ((bytes: number, size: number | undefined) => void) | null,
    options?: { holdUpTo?: number },
  ): Promise<this>;
  readonly bytesReceived: number;
  /** Bytes `limits.maxHeldBytes` still has room for: a bigger `File` is best given to `addBlob`. */
  readonly heldRoom: number;
  finish(): Analysis;
  /**
   * Gives up: what was received leaves wasm memory now, and an `addStream` or `addResponse` in progress
   * cancels its stream and rejects with kind `state`. Safe to call twice or after `finish()`.
   */
  free(): void;
}

export type WasmSource = string | URL | Response | BufferSource | WebAssembly.Module;

/** The URL of the package's viewer module: the default module plus the exports and the log viewer's queries. */
export const viewerModule: URL;

export function load(source?: WasmSource | Promise<WasmSource>): Promise<void>;
export function loadSync(module: BufferSource | WebAssembly.Module): void;
export function analyze(files: InputFile[], options?: AnalyzeOptions): Report;
export function analyzeToAnalysis(files: InputFile[], options?: AnalyzeOptions): Analysis;
export function checkRules(text: string, file?: string): RuleCheck[];
export function builtinRules(): { source: string; rules: RuleInfo[] };
export function version(): string;
/**
 * Analyses about 1 MB of synthetic artifacts `rounds` times (default 3), so the engine's hot code is
 * optimised before the first real analysis. Call after `load()` while nothing waits; each round is one
 * synchronous call of about 100 ms, and `signal` aborting stops the rounds left. Resolves to the rounds run.
 */
export function warmUp(options?: { rounds?: number; signal?: AbortSignal }): Promise<number>;
/** Bytes of wasm memory this instance holds: the high-water mark of its analyses (it never shrinks). */
export function memoryBytes(): number;
export function reportSchema(): 'faultline.report/v1';
