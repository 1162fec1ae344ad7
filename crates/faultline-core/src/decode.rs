//! Bytes to text without losing anything: BOMs, UTF-16 with or without BOM, encodings declared in an XML
//! prolog, and invalid UTF-8 (replaced, counted and located, never dropped silently).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

use crate::warning::{Warning, WarningKind};

/// Decodes an artifact to UTF-8. Valid UTF-8 is moved, not copied.
pub fn decode(file: &str, bytes: &[u8], warnings: &mut Vec<Warning>) -> String {
    decode_owned(file, bytes.to_vec(), warnings)
}

/// As [`decode`], taking ownership so the common case (valid UTF-8) costs no copy.
pub fn decode_owned(file: &str, bytes: Vec<u8>, warnings: &mut Vec<Warning>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        if enc == encoding_rs::UTF_8 {
            return utf8(file, bytes[bom_len..].to_vec(), warnings);
        }
        return with_encoding(file, enc, &bytes[bom_len..], warnings);
    }
    if let Some(enc) = utf16_without_bom(&bytes) {
        return with_encoding(file, enc, &bytes, warnings);
    }
    match declared_xml_encoding(&bytes) {
        Some(Declared::Known(enc)) => return with_encoding(file, enc, &bytes, warnings),
        Some(Declared::Unknown { label, at }) => {
            let (line, col) = line_col(&bytes, at);
            warnings.push(
                Warning::new(
                    WarningKind::InvalidEncoding,
                    file,
                    format!(
                        "the XML declaration names encoding {label:?}, which is not known; read as UTF-8"
                    ),
                )
                .at(line, col),
            );
        }
        None => {}
    }
    utf8(file, bytes, warnings)
}

fn utf8(file: &str, bytes: Vec<u8>, warnings: &mut Vec<Warning>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let bytes = e.into_bytes();
            let first_bad = std::str::from_utf8(&bytes).err().map(|e| e.valid_up_to()).unwrap_or(0);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let bad = count_invalid(&bytes);
            let (line, col) = line_col(&bytes, first_bad);
            warnings.push(
                Warning::new(
                    WarningKind::InvalidEncoding,
                    file,
                    format!("{bad} invalid UTF-8 sequence(s) replaced by U+FFFD; the first is here"),
                )
                .at(line, col),
            );
            text
        }
    }
}

fn with_encoding(file: &str, enc: &'static Encoding, bytes: &[u8], warnings: &mut Vec<Warning>) -> String {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        let mut w = Warning::new(
            WarningKind::InvalidEncoding,
            file,
            format!("bytes not valid in {} were replaced by U+FFFD; the first is here", enc.name()),
        );
        if let Some(at) = first_malformed(enc, bytes) {
            let (line, col) = line_col(text.as_bytes(), at);
            w = w.at(line, col);
        }
        warnings.push(w);
    }
    text.into_owned()
}

/// Where (as a byte offset into the decoded text) the first sequence not valid in `enc` lands. Decodes
/// again without replacement, a chunk at a time, keeping only the count of bytes produced.
fn first_malformed(enc: &'static Encoding, bytes: &[u8]) -> Option<usize> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut chunk = String::with_capacity(64 * 1024);
    let mut produced = 0usize;
    let mut rest = bytes;
    loop {
        chunk.clear();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut chunk, true);
        produced += chunk.len();
        rest = rest.get(read..)?;
        match result {
            encoding_rs::DecoderResult::Malformed(..) => return Some(produced),
            encoding_rs::DecoderResult::InputEmpty => return None,
            encoding_rs::DecoderResult::OutputFull if read == 0 && chunk.is_empty() => return None,
            encoding_rs::DecoderResult::OutputFull => {}
        }
    }
}

/// UTF-16 written without a BOM still shows itself: text (and XML in particular) is mostly ASCII, so
/// every other byte is NUL.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nuls * 10 >= pairs * 7 && even_nuls * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_nuls * 10 >= pairs * 7 && odd_nuls * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// An encoding named in an XML declaration.
enum Declared {
    Known(&'static Encoding),
    /// A label `encoding_rs` does not know, and its byte offset.
    Unknown {
        label: String,
        at: usize,
    },
}

/// `<?xml version="1.0" encoding="ISO-8859-1"?>`: honour any encoding other than UTF-8 (and UTF-16, which
/// shows itself by BOM or NULs; a UTF-16 label on bytes that are not is ignored).
fn declared_xml_encoding(bytes: &[u8]) -> Option<Declared> {
    let head = &bytes[..bytes.len().min(200)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = rest[1..].split(quote).next()?;
    let Some(enc) = Encoding::for_label(label.as_bytes()) else {
        let offset = decl.len() - rest.len() + 1;
        return Some(Declared::Unknown { label: label.to_string(), at: offset });
    };
    (enc != encoding_rs::UTF_8 && enc != UTF_16LE && enc != UTF_16BE).then_some(Declared::Known(enc))
}

fn count_invalid(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(_) => return n,
            Err(e) => {
                n += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to()).max(1);
                bytes = bytes.get(skip..).unwrap_or(&[]);
            }
        }
    }
}

/// 1-based line and column (in characters) of a byte offset. `\n`, `\r\n` and a lone `\r` end lines.
pub fn line_col(bytes: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(bytes.len());
    let mut line = 1usize;
    let mut line_start = 0usize;
    for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[..offset]) {
        // A `\r` followed by `\n` (even just past `offset`) ends its line at the `\n`.
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        line += 1;
        line_start = i + 1;
    }
    let col = String::from_utf8_lossy(&bytes[line_start..offset]).chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
}

/// As [`line_col`], but only `\n` (or `\r\n`) ends a line: positions in TOML rule and pattern files,
/// whose grammar has no lone-CR line end (a stray CR is a character of the line, as editors show it).
pub fn line_col_lf(bytes: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map(|i| i + 1).unwrap_or(0);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(bytes: &[u8]) -> (String, Vec<Warning>) {
        let mut w = Vec::new();
        (decode("f", bytes, &mut w), w)
    }

    #[test]
    fn valid_utf8_passes_unchanged_and_bom_is_stripped() {
        assert_eq!(run("héllo".as_bytes()).0, "héllo");
        assert_eq!(run(b"\xEF\xBB\xBFabc").0, "abc");
        assert!(run(b"abc").1.is_empty());
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let le: Vec<u8> = "<a>é</a>".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = "<a>é</a>".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend(&le);
        assert_eq!(run(&le_bom).0, "<a>é</a>");
        assert_eq!(run(&le).0, "<a>é</a>");
        assert_eq!(run(&be).0, "<a>é</a>");
    }

    #[test]
    fn declared_latin1_is_honoured() {
        let mut b = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t n=\"".to_vec();
        b.push(0xE9);
        b.extend(b"\"/>");
        assert!(run(&b).0.contains("n=\"é\""));
    }

    #[test]
    fn positions_count_every_line_ending() {
        assert_eq!(line_col(b"a\rb\rcd", 6), (3, 3));
        assert_eq!(line_col(b"a\r\nb", 4), (2, 2));
        assert_eq!(line_col(b"a\r\nb", 3), (2, 1));
        assert_eq!(line_col(b"a\r\nb", 1), (1, 2));
        assert_eq!(line_col(b"a\r\nb", 2), (1, 3));
        assert_eq!(line_col(b"x", 99), (1, 2));
    }

    #[test]
    fn toml_positions_end_lines_at_lf_only() {
        assert_eq!(line_col_lf(b"\"\r\r", 3), (1, 4));
        assert_eq!(line_col_lf(b"a\r\nb", 3), (2, 1));
        assert_eq!(line_col(b"\"\r\r", 3), (3, 1), "artifacts: a lone CR ends a line");
    }

    #[test]
    fn invalid_utf16_and_unknown_labels_are_located() {
        let mut be: Vec<u8> = "<a>\nok\nx".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        be.extend([0xD8, 0x3D, 0x00, b'y']); // a lone high surrogate, then `y`
        let (text, w) = run(&be);
        assert_eq!(text, "<a>\nok\nx\u{FFFD}y");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].line, w[0].column), (Some(3), Some(2)));
        let (text, w) = run(b"<?xml version=\"1.0\" encoding=\"X-NOPE\"?><t/>");
        assert_eq!(text, "<?xml version=\"1.0\" encoding=\"X-NOPE\"?><t/>");
        assert_eq!((w[0].kind, w[0].line, w[0].column), (WarningKind::InvalidEncoding, Some(1), Some(31)));
    }

    #[test]
    fn invalid_utf8_is_replaced_counted_and_located() {
        let (text, w) = run(b"ok\nab\xFFcd\xC3\n");
        assert_eq!(text, "ok\nab\u{FFFD}cd\u{FFFD}\n");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].kind, WarningKind::InvalidEncoding);
        assert_eq!((w[0].line, w[0].column), (Some(2), Some(3)));
        assert!(w[0].message.starts_with("2 invalid"), "{}", w[0].message);
    }
}
