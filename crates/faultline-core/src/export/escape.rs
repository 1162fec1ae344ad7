//! Escaping artifact text for each output: test names, messages and log lines are written by anyone who
//! can open a pull request, so they must never become markup, commands or terminal control.

/// Text for HTML element content and double- or single-quoted attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no business in a page; show them.
            c if c.is_control() && c != '\t' && c != '\n' => out.push(visible(c)),
            c => out.push(c),
        }
    }
    out
}

/// Text for one line of a terminal or a Markdown cell: control characters (ESC, CR, BEL…) become visible
/// symbols so that no artifact can move the cursor, recolour the screen or rewrite an earlier line.
pub fn control(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '\t' {
                ' '
            } else if c.is_control() {
                visible(c)
            } else {
                c
            }
        })
        .collect()
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
