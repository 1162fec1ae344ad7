//! A `Blob` (a dropped or picked `File`) as a [`LogSource`]: read in slices with `FileReaderSync`, which
//! only a worker has. The analysis then reads a plain log in passes, as the CLI reads a file on disk, and
//! holds its events and quoted lines, not its bytes: a log past `maxHeldBytes` is analysed whole instead
//! of cut, and the viewer reads the rows it shows from the `Blob` again.

use std::ops::ControlFlow;

use faultline_core::LogSource;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, FileReaderSync};

use crate::error::FaultlineError;

/// Bytes read at once: big enough that a 5 GB log is a few hundred reads a pass, small enough that the
/// slice's copy in JavaScript's memory stays small.
const SLICE_BYTES: u64 = 8 << 20;

#[derive(Clone)]
pub struct BlobSource {
    name: String,
    blob: Blob,
    reader: FileReaderSync,
    size: u64,
    /// The slice being handed over, copied out of JavaScript's memory.
    buf: Vec<u8>,
}

// SAFETY: `LogSource` is `Send` for the CLI's thread pool. Without the `atomics` target feature a wasm
// module's memory belongs to the one thread that instantiated it, nothing can move a value to another
// thread, and the package runs the analysis's jobs inline; natively a JavaScript value cannot exist.
#[cfg(not(target_feature = "atomics"))]
unsafe impl Send for BlobSource {}

impl BlobSource {
    /// `blob` must be a `Blob` (a `File` is one), and `FileReaderSync` must exist (in a worker).
    pub fn new(name: String, blob: &JsValue) -> Result<BlobSource, FaultlineError> {
        let Some(blob) = blob.dyn_ref::<Blob>() else {
            let message = format!("{name}: addBlob takes a Blob or a File");
            return Err(FaultlineError::new("input", message).in_file(name));
        };
        let reader = FileReaderSync::new().map_err(|_| {
            let message = format!(
                "{name}: a Blob can be read only in a worker (FileReaderSync); on a page, hand it to \
                 addStream(name, blob.stream(), onBytes, blob.size)"
            );
            FaultlineError::new("input", message).in_file(&name)
        })?;
        // A Blob's size is an integer below 2^53.
        let size = blob.size() as u64;
        Ok(BlobSource { name, blob: blob.clone(), reader, size, buf: Vec::new() })
    }

    /// Hands the Blob's bytes from `offset` on to `each`, a slice at a time, as views into JavaScript's
    /// memory (not yet copied into wasm's), until the end or until `each` breaks.
    pub fn each_slice(
        &self,
        offset: u64,
        each: &mut dyn FnMut(&Uint8Array) -> ControlFlow<()>,
    ) -> Result<(), String> {
        let mut at = offset;
        while at < self.size {
            let end = at.saturating_add(SLICE_BYTES).min(self.size);
            let slice = self.blob.slice_with_f64_and_f64(at as f64, end as f64).map_err(|e| message(&e))?;
            let bytes = self.reader.read_as_array_buffer(&slice).map_err(|e| message(&e))?;
            let view = Uint8Array::new(&bytes);
            if view.length() == 0 {
                // The file shrank since it was picked: what was read counts.
                break;
            }
            at += u64::from(view.length());
            if each(&view).is_break() {
                break;
            }
        }
        Ok(())
    }
}

/// What a failed read says (a `NotReadableError` when the file changed on disk since it was picked).
fn message(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => e.as_string().unwrap_or_else(|| String::from("the file could not be read")),
    }
}

impl LogSource for BlobSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> u64 {
        self.size
    }

    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        self.read_from(0, sink)
    }

    fn read_from(
        &mut self,
        offset: u64,
        sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    ) -> Result<(), String> {
        let mut buf = std::mem::take(&mut self.buf);
        let result = self.each_slice(offset, &mut |view| {
            buf.resize(view.length() as usize, 0);
            view.copy_to(&mut buf);
            sink(&buf)
        });
        self.buf = buf;
        result
    }
}
