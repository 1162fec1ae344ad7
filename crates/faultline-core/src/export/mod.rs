//! Reports for people and tools, rendered from an [`Analysis`](crate::Analysis).
//!
//! Pure functions, text out: the CLI writes them to files, the wasm package and the web app offer them
//! as downloads, and all three produce the same bytes for the same inputs. Artifact text is data, never
//! markup: every renderer escapes for its own target through [`escape`].

pub mod ctrf;
pub mod describe;
pub mod escape;
pub mod excerpt;
pub mod github;
pub mod html;
pub mod markdown;

use std::borrow::Cow;

/// `text` cut to `max_chars` characters with an ellipsis: one artifact line (a 1 GB single-line log
/// included) must never become a report's whole size.
pub fn clip(text: &str, max_chars: usize) -> Cow<'_, str> {
    // A character is at least a byte: a text no longer in bytes needs no count.
    if text.len() <= max_chars {
        return Cow::Borrowed(text);
    }
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
        None => Cow::Borrowed(text),
    }
}
