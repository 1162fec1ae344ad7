//! Rule-file and pattern-pack parsing: any text → every mistake located (file:line:column), never a
//! panic, a hang or an unbounded regex.
#![no_main]

use faultline_core::extract::Pack;
use faultline_core::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX).saturating_add(1);
    for e in RuleSet::check("rules.toml", &text) {
        assert!(e.line >= 1 && e.line <= lines, "{e}");
        assert!(e.column >= 1, "{e}");
    }
    if let Err(e) = Pack::from_toml("patterns.toml", &text) {
        assert!(e.line >= 1 && e.line <= lines, "{e}");
    }
});
