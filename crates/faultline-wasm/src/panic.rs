//! A panic in wasm aborts the instance with an opaque `RuntimeError: unreachable`. The hook keeps the
//! message (and where it happened) so the package's JavaScript wrapper can turn that `RuntimeError` into
//! a `FaultlineError` of kind `panic` that says what went wrong.

use std::sync::Mutex;

use wasm_bindgen::prelude::*;

static LAST: Mutex<Option<String>> = Mutex::new(None);

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        if let Ok(mut last) = LAST.lock() {
            *last = Some(format!("faultline panicked{place}: {what}"));
        }
    }));
}

/// The message of the panic that stopped this instance, if any.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    LAST.lock().ok().and_then(|l| l.clone())
}

/// Panics on purpose, so the wrapper's panic path can be tested. Not part of the documented API.
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests() {
    panic!("deliberate panic for the tests");
}
