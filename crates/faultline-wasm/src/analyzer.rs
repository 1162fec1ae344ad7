//! Running an analysis: [`analyze`] in one call, or [`Analyzer`] fed file by file and chunk by chunk.

use std::ops::ControlFlow;

use faultline_core::warning::{Warning, WarningKind};
use faultline_core::{Input, InputFile, LogSource};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::analysis::Analysis;
use crate::blob::BlobSource;
use crate::error::FaultlineError;
use crate::files::{append, named_views, view_of};
use crate::options::{self, Options};

/// Analyses `files` (`{ name, bytes }[]`; zip, tar.gz and gz are expanded) and returns the
/// `faultline.report/v1` report as a plain object, exactly the CLI's `--format json`.
#[wasm_bindgen]
pub fn analyze(files: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    analyze_to_analysis(files, options)?.report()
}

/// As [`analyze`], returning an [`Analysis`] for the replay's object states, evidence in context and
/// the exports.
#[wasm_bindgen(js_name = analyzeToAnalysis)]
pub fn analyze_to_analysis(files: JsValue, options: JsValue) -> Result<Analysis, JsValue> {
    let mut analyzer = Analyzer::new(options)?;
    for (name, bytes) in named_views(&files, "files")? {
        analyzer.add_whole(name, &bytes);
    }
    // No file at all is an empty report here, not the Analyzer's mistake.
    Ok(analyzer.run())
}

/// Runs the analysis; `blobs` are the sources among `inputs`, kept for the viewer to read again.
fn run(inputs: Vec<Input>, options: &Options, cuts: Vec<Cut>, blobs: Vec<BlobSource>) -> Analysis {
    let mut progress = |p| {
        if let Some(f) = &options.on_progress {
            options::report_progress(f, p);
        }
    };
    let mut analysis = faultline_core::analyze_inputs(inputs, &options.analyze, &mut progress);
    for cut in cuts {
        let warning = cut.warning(&analysis.report, options.max_held_bytes);
        analysis.report.warnings.push(warning);
    }
    Analysis::new(analysis, blobs)
}

/// A file only partly held: wasm memory is at most 4 GiB, never shrinks, and the analysis needs room
/// of its own, so the intake stops at [`Options::max_held_bytes`] instead of running out of memory and
/// losing everything.
struct Cut {
    name: String,
    /// Bytes held and analysed: up to the last line break that fit.
    kept: usize,
    /// Bytes received.
    total: u64,
}

impl Cut {
    fn warning(&self, report: &faultline_core::Report, budget: u64) -> Warning {
        let message = format!(
            "only the first {} of {} bytes were analysed: the wasm package holds at most {budget} bytes of \
             input (options.limits.maxHeldBytes); the rest was not read",
            self.kept, self.total
        );
        let warning = Warning::new(WarningKind::LimitExceeded, self.name.clone(), message);
        // The first line not read, when the file was read as a log.
        match report.files.iter().find(|f| f.name == self.name).and_then(|f| f.lines) {
            Some(lines) => warning.at_line(u32::try_from(lines + 1).unwrap_or(u32::MAX)),
            None => warning,
        }
    }
}

/// An analysis assembled piece by piece: `addFile` for whole files, `addChunk` for bodies that arrive in
/// parts (a `fetch` stream, a `File.stream()`), so a big log is copied into wasm memory chunk by chunk
/// and never held whole in JavaScript; then `finish`.
#[wasm_bindgen]
pub struct Analyzer {
    options: Options,
    files: Vec<Incoming>,
    /// Bytes held over all files, at most `options.max_held_bytes`.
    held: usize,
}

/// A file as it arrives. Wasm memory grows and never shrinks, so a file is never grown by doubling
/// (every outgrown buffer would stay behind as a hole: 300 MB in 1 MB chunks took 1,075 MB). With its
/// size known, `head` is reserved once and the chunks are copied into it; otherwise they wait in `rest`
/// and are joined once by `finish`, so the intake peaks at twice the file instead.
struct Incoming {
    name: String,
    head: Vec<u8>,
    rest: Vec<Vec<u8>>,
    /// Set once the budget stopped the intake: every byte received, held or not.
    cut: Option<u64>,
    /// A log read from its `Blob` in passes when the analysis runs: nothing is held.
    blob: Option<BlobSource>,
}

impl Incoming {
    fn new(name: String) -> Incoming {
        Incoming { name, head: Vec::new(), rest: Vec::new(), cut: None, blob: None }
    }

    fn len(&self) -> usize {
        self.head.len() + self.rest.iter().map(Vec::len).sum::<usize>()
    }

    fn push(&mut self, chunk: &Uint8Array, size: Option<usize>) {
        if self.rest.is_empty() {
            if let Some(size) = size {
                // A size too big to reserve is only a hint missed.
                self.head.try_reserve_exact(size.saturating_sub(self.head.len())).ok();
            }
            if self.head.capacity() - self.head.len() >= chunk.length() as usize {
                append(chunk, &mut self.head);
                return;
            }
        }
        self.rest.push(chunk.to_vec());
    }

    /// The file to analyse and, when the budget cut it, what was left out. A cut file ends at its last
    /// line break: a line read in part would be a different line.
    fn into_input(self) -> (InputFile, Option<Cut>) {
        let total = self.len();
        let Incoming { name, mut head, rest, cut, .. } = self;
        if !rest.is_empty() {
            head.reserve_exact(total - head.len());
            for chunk in rest {
                head.extend_from_slice(&chunk);
            }
        }
        let cut = cut.map(|received| {
            head.truncate(head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1));
            Cut { name: name.clone(), kept: head.len(), total: received }
        });
        (InputFile::new(name, head), cut)
    }
}

#[wasm_bindgen]
impl Analyzer {
    /// Options as for [`analyze`]; mistakes in them (a rule file that does not compile) are thrown here.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Analyzer, JsValue> {
        Ok(Analyzer { options: options::parse(&options)?, files: Vec::new(), held: 0 })
    }

    /// Adds a whole file.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(&mut self, name: String, bytes: JsValue) -> Result<(), JsValue> {
        self.add_whole(name, &view_of(&bytes, "bytes")?);
        Ok(())
    }

    /// Appends `chunk` to the file `name`, starting it if it is new. Chunks of one file must arrive in
    /// order; files may interleave.
    ///
    /// `size`, when the caller knows it (`File.size`, a `Content-Length`), is the whole file's length:
    /// its buffer is then reserved once and each chunk copied straight into it, so wasm memory grows by
    /// the file's size (300 MB in 1 MB chunks: 302 MB). Without it the chunks are kept apart and joined
    /// by `finish`, which briefly holds the file twice. A wrong size only costs that reservation.
    ///
    /// Past `limits.maxHeldBytes` over all files, bytes are counted and not held; `finish` analyses what
    /// was held and says, in a `limit_exceeded` warning per file, what was left out.
    #[wasm_bindgen(js_name = addChunk)]
    pub fn add_chunk(&mut self, name: String, chunk: JsValue, size: Option<f64>) -> Result<(), JsValue> {
        let view = view_of(&chunk, "chunk")?;
        // `as` saturates: a size beyond usize asks for everything, and that reservation fails.
        let size = size.filter(|s| s.is_finite() && *s > 0.0).map(|s| s as usize);
        self.take(name, &view, size);
        Ok(())
    }

    /// Adds a `Blob` (a `File`), in a worker: a plain log is read from it in passes when `finish` runs,
    /// in slices, and is never held, so a log of any size is analysed whole, and the `Analysis` reads the
    /// rows a viewer asks for from it again. Anything else (an archive, a test report, any file when
    /// there is a baseline) is read now, into the held budget, as `addChunk` would take it. Throws
    /// `input` off a worker (no `FileReaderSync`: use `addStream`) or given something else than a Blob.
    #[wasm_bindgen(js_name = addBlob)]
    pub fn add_blob(&mut self, name: String, blob: JsValue) -> Result<(), JsValue> {
        let mut source = BlobSource::new(name.clone(), &blob)?;
        let mut file = Incoming::new(name.clone());
        if faultline_core::stream::streams(&mut source, &self.options.analyze) {
            file.blob = Some(source);
            self.files.push(file);
            return Ok(());
        }
        self.files.push(file);
        let size = usize::try_from(source.size()).ok();
        let mut read = 0u64;
        let result = source.each_slice(0, &mut |view| {
            read += u64::from(view.length());
            self.take(name.clone(), view, size);
            if self.is_cut(&name) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        });
        result.map_err(|e| FaultlineError::new("input", format!("{name}: {e}")).in_file(&name))?;
        if self.is_cut(&name) {
            // Its size is known: the rest is counted without being read.
            self.skip_bytes(&name, source.size().saturating_sub(read) as f64)?;
        }
        Ok(())
    }

    /// Bytes the budget (`limits.maxHeldBytes`) still has room for: a `File` bigger than this is best
    /// given to `addBlob`, in a worker, where it is analysed whole without being held.
    #[wasm_bindgen(getter, js_name = heldRoom)]
    pub fn held_room(&self) -> f64 {
        self.options.max_held_bytes.saturating_sub(self.held as u64) as f64
    }

    /// True once the budget has cut the file `name`: the rest of it would only be counted.
    #[wasm_bindgen(js_name = isCut)]
    pub fn is_cut(&self, name: &str) -> bool {
        self.last(name).is_some_and(|i| self.files[i].cut.is_some())
    }

    /// Counts `bytes` more of the cut file `name` without their being handed over: a stream of known
    /// size can stop being read once the budget has cut it, and the warning still says how big it was.
    #[wasm_bindgen(js_name = skipBytes)]
    pub fn skip_bytes(&mut self, name: &str, bytes: f64) -> Result<(), JsValue> {
        let Some(received) = self.last(name).and_then(|i| self.files[i].cut.as_mut()) else {
            return Err(
                FaultlineError::new("state", format!("{name} was not cut: its bytes must be added")).into()
            );
        };
        if bytes.is_finite() && bytes > 0.0 {
            // `as` saturates.
            *received = received.saturating_add(bytes as u64);
        }
        Ok(())
    }

    /// Bytes received so far, over all files (held or, past the budget, only counted).
    #[wasm_bindgen(getter, js_name = bytesReceived)]
    pub fn bytes_received(&self) -> f64 {
        let received = |f: &Incoming| match (&f.blob, f.cut) {
            (Some(blob), _) => blob.size(),
            (None, Some(n)) => n,
            (None, None) => f.len() as u64,
        };
        self.files.iter().map(|f| received(f) as f64).sum()
    }

    /// Runs the analysis over everything added. The analyzer is consumed.
    pub fn finish(self) -> Result<Analysis, JsValue> {
        if self.files.is_empty() {
            return Err(FaultlineError::new("input", "no file was added").into());
        }
        Ok(self.run())
    }
}

impl Analyzer {
    fn run(self) -> Analysis {
        let (mut inputs, mut cuts, mut blobs) = (Vec::new(), Vec::new(), Vec::new());
        for mut file in self.files {
            if let Some(blob) = file.blob.take() {
                blobs.push(blob.clone());
                inputs.push(Input::Stream(Box::new(blob)));
                continue;
            }
            let (input, cut) = file.into_input();
            inputs.push(Input::Bytes(input));
            cuts.extend(cut);
        }
        run(inputs, &self.options, cuts, blobs)
    }

    /// The file chunks named `name` go to: the last one of that name, unless that is a Blob's.
    fn last(&self, name: &str) -> Option<usize> {
        self.files.iter().rposition(|f| f.name == name).filter(|&i| self.files[i].blob.is_none())
    }

    /// A whole file: a file of its own even when another one has its name.
    fn add_whole(&mut self, name: String, view: &Uint8Array) {
        self.files.push(Incoming::new(name.clone()));
        self.take(name, view, None);
    }

    /// `view`'s bytes into the file `name` (the last one of that name, started if new), as far as the
    /// budget allows.
    fn take(&mut self, name: String, view: &Uint8Array, size: Option<usize>) {
        let i = match self.last(&name) {
            Some(i) => i,
            None => {
                self.files.push(Incoming::new(name));
                self.files.len() - 1
            }
        };
        let file = &mut self.files[i];
        let n = view.length() as usize;
        if let Some(received) = &mut file.cut {
            *received += n as u64;
            return;
        }
        let budget = usize::try_from(self.options.max_held_bytes).unwrap_or(usize::MAX);
        let room = budget.saturating_sub(self.held);
        if n <= room {
            file.push(view, size.map(|s| s.min(file.len() + room)));
            self.held += n;
            return;
        }
        let before = file.len() as u64;
        file.push(&view.subarray(0, room as u32), None);
        self.held += room;
        file.cut = Some(before + n as u64);
    }
}
