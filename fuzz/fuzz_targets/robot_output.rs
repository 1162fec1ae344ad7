//! Robot Framework output.xml reading: any bytes → decoded text → the output.xml reader.
#![no_main]

use faultline_core::{decode, robot};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut warnings = Vec::new();
    let text = decode::decode("output.xml", data, &mut warnings);
    let run = robot::read_output_xml("output.xml", &text, &mut warnings);
    for t in &run.tests {
        assert!(t.case.source.byte_end as usize <= text.len());
        for s in &t.steps {
            assert!(s.source.byte_end as usize <= text.len());
        }
    }
    assert!(warnings.iter().all(|w| w.file == "output.xml"));
});
