//! Artifact text on its way to the screen. Yew already makes it a text node (never markup); this also
//! shows bidirectional controls by code point, so no name, message or log line displays in another
//! order than it reads (Trojan Source).

pub fn shown(text: &str) -> String {
    faultline_core::export::escape::bidi(text).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn overrides_are_visible_and_plain_text_is_untouched() {
        assert_eq!(super::shown("a\u{202E}b"), "a[U+202E]b");
        assert_eq!(super::shown("pvc-4f2a → ok"), "pvc-4f2a → ok");
    }
}
