//! Running an analysis: [`analyze`] in one call, or [`Analyzer`] fed file by file and chunk by chunk.

use faultline_core::InputFile;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::analysis::Analysis;
use crate::error::FaultlineError;
use crate::files::{append, bytes_of, input_files, view_of};
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
    let options = options::parse(&options)?;
    let files = input_files(&files, "files")?;
    Ok(run(files, &options))
}

fn run(files: Vec<InputFile>, options: &Options) -> Analysis {
    let analysis = match &options.on_progress {
        Some(f) => faultline_core::analyze_with_progress(files, &options.analyze, &mut |p| {
            options::report_progress(f, p)
        }),
        None => faultline_core::analyze(files, &options.analyze),
    };
    Analysis::new(analysis)
}

/// An analysis assembled piece by piece: `addFile` for whole files, `addChunk` for bodies that arrive in
/// parts (a `fetch` stream, a `File.stream()`), so a big log is copied into wasm memory chunk by chunk
/// and never held whole in JavaScript; then `finish`.
#[wasm_bindgen]
pub struct Analyzer {
    options: Options,
    files: Vec<Incoming>,
}

/// A file as it arrives. Wasm memory grows and never shrinks, so a file is never grown by doubling
/// (every outgrown buffer would stay behind as a hole: 300 MB in 1 MB chunks took 1,075 MB). With its
/// size known, `head` is reserved once and the chunks are copied into it; otherwise they wait in `rest`
/// and are joined once by `finish`, so the intake peaks at twice the file instead.
struct Incoming {
    name: String,
    head: Vec<u8>,
    rest: Vec<Vec<u8>>,
}

impl Incoming {
    fn new(name: String, head: Vec<u8>) -> Incoming {
        Incoming { name, head, rest: Vec::new() }
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

    fn into_input(self) -> InputFile {
        let total = self.len();
        let Incoming { name, mut head, rest } = self;
        if !rest.is_empty() {
            head.reserve_exact(total - head.len());
            for chunk in rest {
                head.extend_from_slice(&chunk);
            }
        }
        InputFile::new(name, head)
    }
}

#[wasm_bindgen]
impl Analyzer {
    /// Options as for [`analyze`]; mistakes in them (a rule file that does not compile) are thrown here.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Analyzer, JsValue> {
        Ok(Analyzer { options: options::parse(&options)?, files: Vec::new() })
    }

    /// Adds a whole file.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(&mut self, name: String, bytes: JsValue) -> Result<(), JsValue> {
        let bytes = bytes_of(&bytes, "bytes")?;
        self.files.push(Incoming::new(name, bytes));
        Ok(())
    }

    /// Appends `chunk` to the file `name`, starting it if it is new. Chunks of one file must arrive in
    /// order; files may interleave.
    ///
    /// `size`, when the caller knows it (`File.size`, a `Content-Length`), is the whole file's length:
    /// its buffer is then reserved once and each chunk copied straight into it, so wasm memory grows by
    /// the file's size (300 MB in 1 MB chunks: 302 MB). Without it the chunks are kept apart and joined
    /// by `finish`, which briefly holds the file twice. A wrong size only costs that reservation.
    #[wasm_bindgen(js_name = addChunk)]
    pub fn add_chunk(&mut self, name: String, chunk: JsValue, size: Option<f64>) -> Result<(), JsValue> {
        let view = view_of(&chunk, "chunk")?;
        let i = match self.files.iter().rposition(|f| f.name == name) {
            Some(i) => i,
            None => {
                self.files.push(Incoming::new(name, Vec::new()));
                self.files.len() - 1
            }
        };
        // `as` saturates: a size beyond usize asks for everything, and that reservation fails.
        let size = size.filter(|s| s.is_finite() && *s > 0.0).map(|s| s as usize);
        self.files[i].push(&view, size);
        Ok(())
    }

    /// Bytes received so far, over all files.
    #[wasm_bindgen(getter, js_name = bytesReceived)]
    pub fn bytes_received(&self) -> f64 {
        self.files.iter().map(|f| f.len() as f64).sum()
    }

    /// Runs the analysis over everything added. The analyzer is consumed.
    pub fn finish(self) -> Result<Analysis, JsValue> {
        if self.files.is_empty() {
            return Err(FaultlineError::new("input", "no file was added").into());
        }
        Ok(run(self.files.into_iter().map(Incoming::into_input).collect(), &self.options))
    }
}
