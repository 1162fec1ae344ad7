//! ANSI escape sequences: stripped for matching, kept for display. Coloured CI consoles are common, and a
//! pattern must not miss `ERROR` because it is wrapped in `\x1b[31m…\x1b[0m`.

use std::borrow::Cow;

/// The text without escape sequences (CSI, OSC, two-byte escapes). Borrowed when there is no ESC byte,
/// which is the common case and costs one memchr.
pub fn strip(s: &str) -> Cow<'_, str> {
    if memchr::memchr(0x1b, s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('[') => {
                chars.next();
                // CSI: parameters and intermediates, then one final byte in @..~
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                chars.next();
                // OSC: ends with BEL or ESC \\
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                        chars.next();
                        break;
                    }
                }
            }
            Some(_) => {
                chars.next();
            }
            None => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_csi_osc_and_short_escapes() {
        assert!(matches!(strip("plain"), Cow::Borrowed("plain")));
        assert_eq!(strip("\u{1b}[1;31mred\u{1b}[0m"), "red");
        assert_eq!(strip("\u{1b}]0;title\u{7}after"), "after");
        assert_eq!(strip("\u{1b}]8;;http://x\u{1b}\\link"), "link");
        assert_eq!(strip("a\u{1b}Mb"), "ab");
        assert_eq!(strip("end\u{1b}"), "end");
        assert_eq!(strip("\u{1b}[31"), "");
    }
}
