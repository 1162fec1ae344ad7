// Type-checked with `tsc --noEmit` by `cargo xtask test`: the package's types describe real use.
import { Analyzer, FaultlineError, analyze, analyzeToAnalysis, checkRules, load, memoryBytes, viewerModule, warmUp } from '../../pkg/index.js';
import type { Diagnosis, InputFile, ObjectState, Report, SearchHits, ViewLine } from '../../pkg/index.js';

export async function diagnose(files: File[]): Promise<string[]> {
  await load();
  const analyzer = new Analyzer({ rules: [], tests: '*RWX*', onProgress: (p) => console.log(p.stage, p.done / p.total) });
  for (const f of files) await analyzer.addStream(f.name, f.stream(), (n) => console.log(n / f.size), f.size);
  analyzer.addChunk('note.txt', new TextEncoder().encode('done'), 4);
  const analysis = analyzer.finish();
  const report: Report = analysis.report();
  const lines = report.diagnoses.map((d: Diagnosis) => `${d.test.name}: ${d.rule} (${d.blame}, ${d.confidence.toFixed(2)})`);
  const first = report.timeline[0];
  if (first) {
    const objects: ObjectState[] = analysis.stateAt(first.test, first.steps.length - 1);
    lines.push(...objects.map((o) => `${o.kind}/${o.name}: ${o.existence}`));
  }
  const log = report.files.find((f) => f.kind === 'log');
  if (log) {
    const hits: SearchHits = analysis.search(log.name, { pattern: 'timed out', levels: ['error'] });
    const rows: ViewLine[] = analysis.pickLines(log.name, hits.lines.subarray(0, 10), { pattern: 'timed out' });
    lines.push(...rows.map((r) => `${r.line}: ${r.level ?? ''} ${r.text}`));
    lines.push(...rows.flatMap((r) => (r.marks ?? []).map(([start, end]) => r.text.slice(start, end))));
  }
  analysis.free();
  lines.push(`wasm memory: ${memoryBytes() / 2 ** 20} MiB`);
  return lines;
}

export function validate(text: string): string[] {
  try {
    analyze([{ name: 'x.log', bytes: new TextEncoder().encode('hello') }], { rules: text });
  } catch (e) {
    if (e instanceof FaultlineError && e.kind === 'rules') return [`${e.file}:${e.line}:${e.column}: ${e.message}`];
    throw e;
  }
  return checkRules(text).map((c) => `${c.line}:${c.column} ${c.message}`);
}

/** In a worker: a file past the held budget is read from the File itself, never held. */
export async function inWorker(files: File[]): Promise<Report> {
  const analyzer = new Analyzer();
  for (const f of files) {
    if (f.size > analyzer.heldRoom) analyzer.addBlob(f.name, f);
    else await analyzer.addStream(f.name, f.stream(), null, f.size);
  }
  const analysis = analyzer.finish();
  const report = analysis.report();
  analysis.free();
  return report;
}

/** In a worker: artifacts by URL, each read whole, whatever its size. */
export async function fromUrls(urls: string[], onProgress: (url: string, share: number) => void): Promise<Report> {
  const analyzer = new Analyzer();
  for (const url of urls) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const name = new URL(url).pathname.split('/').pop() ?? url;
    await analyzer.addResponse(name, response, (bytes, size) => onProgress(url, size ? bytes / size : 0), {
      holdUpTo: 256 * 2 ** 20,
    });
  }
  const analysis = analyzer.finish();
  try {
    return analysis.report();
  } finally {
    analysis.free(); // and the file a big body was written to
  }
}

/** A portal that lets its user cancel a long read gives the analyzer up with `free()`. */
export async function cancellable(file: File, signal: AbortSignal): Promise<Report | null> {
  const analyzer = new Analyzer();
  signal.addEventListener('abort', () => analyzer.free(), { once: true });
  try {
    await analyzer.addStream(file.name, file.stream(), null, file.size);
  } catch (e) {
    if (e instanceof FaultlineError && e.kind === 'state' && signal.aborted) return null;
    throw e;
  }
  const analysis = analyzer.finish();
  try {
    return analysis.report();
  } finally {
    analysis.free();
  }
}

/** A portal's worker warms the engine up while it waits for artifacts, and stops when they come. */
export async function warmWhileWaiting(artifacts: Promise<InputFile[]>): Promise<Report> {
  await load();
  const arrived = new AbortController();
  const warming: Promise<number> = warmUp({ signal: arrived.signal });
  const files = await artifacts;
  arrived.abort();
  await warming;
  return analyze(files);
}

/** A page that offers the HTML report for download loads the viewer module; the default one says so. */
export async function htmlReport(files: InputFile[]): Promise<string | null> {
  await load(viewerModule);
  const analysis = analyzeToAnalysis(files);
  try {
    return analysis.html();
  } catch (e) {
    if (e instanceof FaultlineError && e.kind === 'module') return null;
    throw e;
  } finally {
    analysis.free();
  }
}
