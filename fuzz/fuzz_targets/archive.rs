//! Archive reading: any bytes → bounded expansion of zip / tar / gzip (nested) → what each member holds.
//! Limits are small so the fuzzer explores structure rather than inflating bombs. Every member and
//! warning is named inside the input, and nothing expands past the limit.
#![no_main]

use faultline_core::InputFile;
use faultline_core::input::{self, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // 1 MiB in all (the ratio floor): bombs hit the limit at once instead of inflating for a second.
    let limits = Limits { max_decompressed_bytes: 1 << 20, max_entries: 1000, ..Limits::default() };
    let mut warnings = Vec::new();
    let members = input::expand(InputFile::new("bundle.zip", data.to_vec()), &limits, &mut warnings);
    let total: u64 = members.iter().map(|m| m.bytes.len() as u64).sum();
    let plain = members.len() == 1 && members[0].bytes == data;
    assert!(plain || total <= limits.max_decompressed_bytes, "{total} bytes expanded");
    for m in &members {
        assert!(m.name.starts_with("bundle.zip"), "{}", m.name);
        let _ = input::sniff(&m.name, &m.bytes);
    }
    assert!(warnings.iter().all(|w| w.file.starts_with("bundle.zip")));
});
