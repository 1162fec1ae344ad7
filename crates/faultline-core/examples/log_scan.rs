//! Times one log analysed held whole or streamed from disk, to compare the two paths' CPU time under
//! `perf` or `/usr/bin/time` (the CLI always streams): `cargo run --release -p faultline-core --example
//! log_scan -- held|streamed FILE...`. Prints the report's size and a hash of it, which must agree.

use std::io::{Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use faultline_core::{AnalyzeOptions, Input, InputFile, LogSource, analyze, analyze_inputs};

/// A file read from disk a MiB at a time, as the CLI reads one.
struct Disk {
    path: String,
    size: u64,
}

impl LogSource for Disk {
    fn name(&self) -> &str {
        &self.path
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
        let mut file = std::fs::File::open(&self.path).map_err(|e| e.to_string())?;
        file.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 || sink(&buf[..n]).is_break() {
                return Ok(());
            }
        }
    }
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().ok_or("usage: log_scan held|streamed FILE...")?;
    let paths: Vec<String> = args.collect();
    let options = AnalyzeOptions::default();
    let analysis = match mode.as_str() {
        "held" => {
            let files = paths
                .iter()
                .map(|p| std::fs::read(p).map(|b| InputFile::new(p.clone(), b)).map_err(|e| e.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            analyze(files, &options)
        }
        "streamed" => {
            let mut inputs = Vec::new();
            for p in &paths {
                let size = std::fs::metadata(p).map_err(|e| e.to_string())?.len();
                inputs.push(Input::Stream(Box::new(Disk { path: p.clone(), size })));
            }
            analyze_inputs(inputs, &options, &mut |_| {})
        }
        other => return Err(format!("unknown mode {other}")),
    };
    let json = analysis.report.to_json_pretty();
    println!("{} bytes, md5 {:x}", json.len(), md5::compute(json.as_bytes()));
    Ok(())
}
