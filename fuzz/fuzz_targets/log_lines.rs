//! Log line parsing: any bytes → decoded text → lines with timestamps, formats and levels → console
//! frames → the built-in pattern pack's events.
#![no_main]

use std::sync::OnceLock;

use faultline_core::extract::Pack;
use faultline_core::{decode, logline};
use libfuzzer_sys::fuzz_target;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(Pack::builtin)
}

fuzz_target!(|data: &[u8]| {
    let mut warnings = Vec::new();
    let text = decode::decode("console.log", data, &mut warnings);
    let log = logline::read_log("console.log", text, None, &mut warnings);
    for (i, line) in log.lines.iter().enumerate() {
        assert!(line.start <= line.end && line.end <= log.text.len());
        let _ = log.clean(i);
    }
    let frames = logline::detect_frames(&log);
    for f in &frames {
        assert!(f.first <= f.last && f.last < log.lines.len());
    }
    let mut events = Vec::new();
    pack().extract_log(&log, &mut events, |_, _| {});
    for e in &events {
        assert!(e.source.byte_end as usize <= log.text.len());
    }
});
