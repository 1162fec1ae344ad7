//! Artifact text on its way to the screen. Yew already makes it a text node (never markup); this also
//! shows bidirectional controls by code point, so no name, message or log line displays in another
//! order than it reads (Trojan Source).

use yew::{Html, html};

pub fn shown(text: &str) -> String {
    faultline_core::export::escape::bidi(text).into_owned()
}

/// A generated sentence (a diagnosis's summary or fix): its backtick-quoted names become `<code>`, as
/// in the HTML report, and every part stays a text node.
pub fn prose(sentence: &str) -> Html {
    let parts = faultline_core::export::quoted_spans(sentence).map(|(code, part)| {
        if code {
            html! { <code>{ shown(part) }</code> }
        } else {
            html! { { shown(part) } }
        }
    });
    html! { <>{ for parts }</> }
}

#[cfg(test)]
mod tests {
    #[test]
    fn overrides_are_visible_and_plain_text_is_untouched() {
        assert_eq!(super::shown("a\u{202E}b"), "a[U+202E]b");
        assert_eq!(super::shown("pvc-4f2a → ok"), "pvc-4f2a → ok");
    }
}
