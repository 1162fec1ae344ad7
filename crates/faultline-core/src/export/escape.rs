//! Escaping artifact text for each output: test names, messages and log lines are written by anyone who
//! can open a pull request, so they must never become markup, commands or terminal control.

/// Text for HTML element content and double- or single-quoted attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let _ = html_into(&mut out, text);
    out
}

/// [`html`] written into `out`: runs of text that need nothing are copied whole, so a renderer escapes
/// without a string per call.
pub fn html_into(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    // Most artifact text is printable ASCII without markup: one pass over the bytes finds that, and
    // the text is written whole without decoding a character.
    if text
        .bytes()
        .all(|b| matches!(b, b' '..=b'~' | b'\t' | b'\n') && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        return out.write_str(text);
    }
    let mut run = 0;
    for (i, c) in text.char_indices() {
        let mut buf = [0u8; 4];
        let replacement: &str = match c {
            // Printable ASCII other than markup: the common case, kept in the run.
            ' '..='~' if !matches!(c, '&' | '<' | '>' | '"' | '\'') => continue,
            '\t' | '\n' => continue,
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            // Control characters other than tab and newline have no business in a page; show them.
            c if c.is_control() => visible(c).encode_utf8(&mut buf),
            c if is_bidi_control(c) => {
                out.write_str(&text[run..i])?;
                out.write_str(&bidi_visible(c))?;
                run = i + c.len_utf8();
                continue;
            }
            _ => continue,
        };
        out.write_str(&text[run..i])?;
        out.write_str(replacement)?;
        run = i + c.len_utf8();
    }
    out.write_str(&text[run..])
}

/// Text for one line of a terminal or a Markdown cell: control characters (ESC, CR, BEL…) become visible
/// symbols so that no artifact can move the cursor, recolour the screen or rewrite an earlier line.
pub fn control(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => out.push(visible(c)),
            c if is_bidi_control(c) => out.push_str(&bidi_visible(c)),
            c => out.push(c),
        }
    }
    out
}

/// Neutralises bidirectional controls for any display ([`html`] and [`control`] do it already): text
/// with them shown as `[U+202E]` and nothing else changed.
pub fn bidi(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_bidi_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push_str(&bidi_visible(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Bidirectional embeddings, overrides, isolates and marks: invisible, and able to make a line read in
/// a different order than its bytes run ("Trojan Source"). Shown by code point instead.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn bidi_visible(c: char) -> String {
    format!("[U+{:04X}]", c as u32)
}

/// The Unicode "control picture" for C0 controls and DEL; a replacement character for C1 controls.
fn visible(c: char) -> char {
    match c as u32 {
        n @ 0..0x20 => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7f => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_are_shown_by_code_point_everywhere() {
        let trojan = "access\u{202E}exe.txt\u{202C} level\u{2066}=admin\u{2069}";
        let shown = "access[U+202E]exe.txt[U+202C] level[U+2066]=admin[U+2069]";
        assert_eq!(control(trojan), shown);
        assert_eq!(html(trojan), shown);
        assert_eq!(bidi(trojan), shown);
        assert_eq!(bidi("plain → text"), "plain → text");
        assert!(!is_bidi_control('\u{200B}'), "zero-width space reorders nothing");
    }

    /// The streaming escape is the per-character one, on every kind of character.
    #[test]
    fn html_into_equals_the_character_map() {
        let reference = |text: &str| {
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c if c.is_control() && c != '\t' && c != '\n' => out.push(visible(c)),
                    c if is_bidi_control(c) => out.push_str(&bidi_visible(c)),
                    c => out.push(c),
                }
            }
            out
        };
        let samples = [
            "",
            "plain",
            "<a href='x'>\"&\"</a>",
            "tab\tnl\ncr\r esc\u{1b}[0m del\u{7f} c1\u{85}\u{9b}",
            "é → 日本 \u{202E}evil\u{202C} \u{2066}x\u{2069} \u{061C}\u{200E}\u{200F}",
            "&&<<>>",
            "ends with <",
        ];
        for s in samples {
            assert_eq!(html(s), reference(s), "{s:?}");
        }
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert_eq!(html(&all), reference(&all));
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<img src=x onerror="alert('1')">&"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn html_shows_control_characters() {
        assert_eq!(html("a\u{1b}[31mb\u{0}"), "a\u{241b}[31mb\u{2400}");
        assert_eq!(html("tab\tand\nnewline"), "tab\tand\nnewline");
    }

    #[test]
    fn control_neutralises_terminal_sequences() {
        assert_eq!(control("\u{1b}]0;pwned\u{7}x\ry"), "\u{241b}]0;pwned\u{2407}x\u{240d}y");
        assert_eq!(control("a\u{9b}b"), "a\u{FFFD}b");
    }
}
