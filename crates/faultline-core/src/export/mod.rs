//! Reports for people and tools, rendered from an [`Analysis`](crate::Analysis).
//!
//! Pure functions, text out: the CLI writes them to files, the wasm package and the web app offer them
//! as downloads, and all three produce the same bytes for the same inputs. Artifact text is data, never
//! markup: every renderer escapes for its own target through [`escape`].

pub mod ctrf;
pub mod decimal;
pub mod describe;
pub mod escape;
pub mod excerpt;
pub mod github;
pub mod html;
pub mod markdown;

use std::borrow::Cow;

/// Generated sentences (a diagnosis's summary and fix) quote names between backticks, as Markdown
/// does, and every renderer that has a code style shows those spans in it: the HTML report and the
/// web app split the same way. Yields `(is_code, part)` in order; empty parts are left out.
pub fn quoted_spans(sentence: &str) -> impl Iterator<Item = (bool, &str)> {
    sentence.split('`').enumerate().filter(|(_, part)| !part.is_empty()).map(|(i, part)| (i % 2 == 1, part))
}

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

#[cfg(test)]
mod tests {
    use super::quoted_spans;

    #[test]
    fn backtick_spans_are_code_and_the_rest_is_prose() {
        let spans: Vec<_> = quoted_spans("deleted `pvc-1` (management plane), not `sm-pvc-1`.").collect();
        assert_eq!(
            spans,
            [
                (false, "deleted "),
                (true, "pvc-1"),
                (false, " (management plane), not "),
                (true, "sm-pvc-1"),
                (false, ".")
            ]
        );
        assert_eq!(quoted_spans("`a` and ``").collect::<Vec<_>>(), [(true, "a"), (false, " and ")]);
        assert_eq!(quoted_spans("no quotes").collect::<Vec<_>>(), [(false, "no quotes")]);
    }
}
