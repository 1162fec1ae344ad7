//! Bytes to text without losing anything: BOMs, UTF-16, declared XML encodings, invalid UTF-8. OWNER: helper B.

use crate::warning::Warning;

/// Decodes an artifact to UTF-8. Invalid sequences become U+FFFD with one warning naming the first
/// bad position (line and column).
pub fn decode(file: &str, bytes: &[u8], warnings: &mut Vec<Warning>) -> String {
    let _ = (file, bytes, warnings);
    todo!("helper B")
}
