//! Running an analysis: [`analyze`] in one call, or [`Analyzer`] fed file by file and chunk by chunk.

use faultline_core::InputFile;
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
    files: Vec<InputFile>,
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
        self.files.push(InputFile::new(name, bytes));
        Ok(())
    }

    /// Appends `chunk` to the file `name`, starting it if it is new. Chunks of one file must arrive in
    /// order; files may interleave.
    ///
    /// `size`, when the caller knows it (`File.size`, a `Content-Length`), is the whole file's length:
    /// the file's buffer is then reserved once at that size instead of doubling as chunks arrive. Every
    /// doubling leaves the old buffer behind as a hole in wasm memory, which never shrinks: 300 MB in
    /// 1 MB chunks took 1,075 MB of memory without the size and 302 MB with it. A wrong size only
    /// costs that reservation; one too big to reserve is ignored.
    #[wasm_bindgen(js_name = addChunk)]
    pub fn add_chunk(&mut self, name: String, chunk: JsValue, size: Option<f64>) -> Result<(), JsValue> {
        let view = view_of(&chunk, "chunk")?;
        let i = match self.files.iter().rposition(|f| f.name == name) {
            Some(i) => i,
            None => {
                self.files.push(InputFile::new(name, Vec::new()));
                self.files.len() - 1
            }
        };
        let bytes = &mut self.files[i].bytes;
        if let Some(size) = size.filter(|s| s.is_finite() && *s > 0.0) {
            // `as` saturates: a size beyond usize asks for everything and is refused below.
            let missing = (size as usize).saturating_sub(bytes.len());
            bytes.try_reserve_exact(missing).ok();
        }
        append(&view, bytes);
        Ok(())
    }

    /// Bytes received so far, over all files.
    #[wasm_bindgen(getter, js_name = bytesReceived)]
    pub fn bytes_received(&self) -> f64 {
        self.files.iter().map(|f| f.bytes.len() as f64).sum()
    }

    /// Runs the analysis over everything added. The analyzer is consumed.
    pub fn finish(self) -> Result<Analysis, JsValue> {
        if self.files.is_empty() {
            return Err(FaultlineError::new("input", "no file was added").into());
        }
        Ok(run(self.files, &self.options))
    }
}
