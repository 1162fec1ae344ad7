//! Drives ingestion end to end. OWNER: lead.

use crate::report::Report;
use crate::source::InputFile;

#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {}

pub struct Analysis {
    pub report: Report,
}

pub fn analyze(files: Vec<InputFile>, options: &AnalyzeOptions) -> Analysis {
    let _ = (files, options);
    todo!()
}
