//! JUnit reading: any bytes → decoded text → the streaming JUnit reader. Never panics; every warning is
//! located in the file it names.
#![no_main]

use faultline_core::{decode, junit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut warnings = Vec::new();
    let text = decode::decode("junit.xml", data, &mut warnings);
    let doc = junit::read_junit("junit.xml", &text, &mut warnings);
    for case in &doc.cases {
        assert_eq!(case.source.file, "junit.xml");
        assert!(case.source.byte_start <= case.source.byte_end);
        assert!(case.source.byte_end as usize <= text.len());
    }
    assert!(warnings.iter().all(|w| w.file == "junit.xml"));
});
