//! Bytes to text without losing anything: BOMs, UTF-16 with or without BOM, encodings declared in an XML
//! prolog, and invalid UTF-8 (replaced, counted and located, never dropped silently).

use crate::warning::{Warning, WarningKind};
use codec::Decode;
pub(crate) use codec::{Codec, for_bom};

/// Decodes an artifact to UTF-8. Valid UTF-8 is moved, not copied.
pub fn decode(file: &str, bytes: &[u8], warnings: &mut Vec<Warning>) -> String {
    decode_owned(file, bytes.to_vec(), warnings)
}

/// As [`decode`], taking ownership so the common case (valid UTF-8) costs no copy.
pub fn decode_owned(file: &str, bytes: Vec<u8>, warnings: &mut Vec<Warning>) -> String {
    if let Some((enc, bom_len)) = codec::for_bom(&bytes) {
        if enc.is_utf8() {
            return utf8(file, bytes[bom_len..].to_vec(), warnings);
        }
        return with_encoding(file, enc, &bytes[bom_len..], warnings);
    }
    if let Some(enc) = utf16_without_bom(&bytes) {
        return with_encoding(file, enc, &bytes, warnings);
    }
    match declared_xml_encoding(&bytes) {
        Some(Ok(enc)) => with_encoding(file, enc, &bytes, warnings),
        Some(Err((label, at))) => {
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
            utf8(file, bytes, warnings)
        }
        None => utf8(file, bytes, warnings),
    }
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

fn with_encoding(file: &str, enc: Codec, bytes: &[u8], warnings: &mut Vec<Warning>) -> String {
    let (text, first_bad) = enc.decode_all(bytes);
    if let Some(at) = first_bad {
        let (line, col) = line_col(text.as_bytes(), at);
        warnings.push(
            Warning::new(
                WarningKind::InvalidEncoding,
                file,
                format!("bytes not valid in {} were replaced by U+FFFD; the first is here", enc.name()),
            )
            .at(line, col),
        );
    }
    text
}

/// True for UTF-8 (whose BOM a streamed decode strips and then reads piecewise like any UTF-8).
pub(crate) fn is_utf8(codec: Codec) -> bool {
    codec.is_utf8()
}

/// UTF-16 written without a BOM still shows itself: text (and XML in particular) is mostly ASCII, so
/// every other byte is NUL.
pub(crate) fn utf16_without_bom(bytes: &[u8]) -> Option<Codec> {
    let head = &bytes[..bytes.len().min(512)];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nuls * 10 >= pairs * 7 && even_nuls * 10 <= pairs {
        Some(codec::UTF_16LE)
    } else if even_nuls * 10 >= pairs * 7 && odd_nuls * 10 <= pairs {
        Some(codec::UTF_16BE)
    } else {
        None
    }
}

/// `<?xml version="1.0" encoding="ISO-8859-1"?>`: honour any encoding other than UTF-8; `Err((label,
/// byte offset))` for one this build cannot decode.
fn declared_xml_encoding(bytes: &[u8]) -> Option<Result<Codec, (String, usize)>> {
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
    match codec::for_label(label) {
        Some(enc) => (!enc.is_utf8() && enc != codec::UTF_16LE && enc != codec::UTF_16BE).then_some(Ok(enc)),
        None => Some(Err((label.to_string(), decl.len() - rest.len() + 1))),
    }
}

/// Every encoding the WHATWG Encoding Standard names, through encoding_rs (the `legacy-encodings`
/// feature, on by default).
#[cfg(feature = "legacy-encodings")]
mod codec {
    pub use encoding_rs::{UTF_16BE, UTF_16LE};

    pub type Codec = &'static encoding_rs::Encoding;

    pub fn for_bom(bytes: &[u8]) -> Option<(Codec, usize)> {
        encoding_rs::Encoding::for_bom(bytes)
    }

    /// `None` for a label no encoding has (then it is read as UTF-8, with a warning).
    pub fn for_label(label: &str) -> Option<Codec> {
        encoding_rs::Encoding::for_label(label.as_bytes())
    }

    pub trait Decode {
        fn is_utf8(&self) -> bool;
        /// The text, and where (a byte offset into it) the first malformed sequence was replaced.
        fn decode_all(self, bytes: &[u8]) -> (String, Option<usize>);
    }

    impl Decode for Codec {
        fn is_utf8(&self) -> bool {
            *self == encoding_rs::UTF_8
        }
        fn decode_all(self, bytes: &[u8]) -> (String, Option<usize>) {
            let (text, had_errors) = self.decode_without_bom_handling(bytes);
            let first = if had_errors { first_malformed(self, bytes) } else { None };
            (text.into_owned(), first)
        }
    }

    /// Where (as a byte offset into the decoded text) the first sequence not valid in `enc` lands.
    /// Decodes again without replacement, a chunk at a time, keeping only the count of bytes produced.
    fn first_malformed(enc: Codec, bytes: &[u8]) -> Option<usize> {
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
}

/// Without encoding_rs's tables (about half a megabyte in a wasm module): UTF-8, UTF-16 and
/// windows-1252 (which the Encoding Standard also uses for `ISO-8859-1`, `latin1` and `US-ASCII`) — what
/// test reporters write in practice. Other declared encodings are read as UTF-8 with a warning.
#[cfg(not(feature = "legacy-encodings"))]
mod codec {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Codec {
        Utf8,
        Utf16Le,
        Utf16Be,
        Windows1252,
    }

    pub const UTF_16LE: Codec = Codec::Utf16Le;
    pub const UTF_16BE: Codec = Codec::Utf16Be;

    pub fn for_bom(bytes: &[u8]) -> Option<(Codec, usize)> {
        match bytes {
            [0xEF, 0xBB, 0xBF, ..] => Some((Codec::Utf8, 3)),
            [0xFF, 0xFE, ..] => Some((Codec::Utf16Le, 2)),
            [0xFE, 0xFF, ..] => Some((Codec::Utf16Be, 2)),
            _ => None,
        }
    }

    pub fn for_label(label: &str) -> Option<Codec> {
        match label.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" => Some(Codec::Utf8),
            "utf-16" | "utf-16le" => Some(Codec::Utf16Le),
            "utf-16be" => Some(Codec::Utf16Be),
            "iso-8859-1" | "iso8859-1" | "latin1" | "l1" | "windows-1252" | "cp1252" | "us-ascii"
            | "ascii" | "x-cp1252" | "cp819" | "ibm819" => Some(Codec::Windows1252),
            _ => None,
        }
    }

    /// windows-1252's 0x80–0x9F; the other bytes are their own code points.
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
        '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];

    pub trait Decode {
        fn is_utf8(&self) -> bool;
        /// The text, and where (a byte offset into it) the first malformed sequence was replaced.
        fn decode_all(self, bytes: &[u8]) -> (String, Option<usize>);
        fn name(self) -> &'static str;
    }

    impl Decode for Codec {
        fn is_utf8(&self) -> bool {
            *self == Codec::Utf8
        }
        fn decode_all(self, bytes: &[u8]) -> (String, Option<usize>) {
            match self {
                Codec::Utf8 => {
                    let first = std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
                    (String::from_utf8_lossy(bytes).into_owned(), first)
                }
                Codec::Utf16Le | Codec::Utf16Be => {
                    let units = bytes.chunks(2).map(|p| match (self, p) {
                        (Codec::Utf16Le, [a, b]) => u16::from_le_bytes([*a, *b]),
                        (_, [a, b]) => u16::from_be_bytes([*a, *b]),
                        _ => 0xFFFD,
                    });
                    let mut text = String::with_capacity(bytes.len() / 2);
                    let mut first = None;
                    for c in char::decode_utf16(units) {
                        let c = c.unwrap_or_else(|_| {
                            first.get_or_insert(text.len());
                            '\u{FFFD}'
                        });
                        text.push(c);
                    }
                    if bytes.len() % 2 == 1 {
                        first.get_or_insert(text.len().saturating_sub('\u{FFFD}'.len_utf8()));
                    }
                    (text, first)
                }
                Codec::Windows1252 => {
                    let text = bytes
                        .iter()
                        .map(|&b| {
                            if (0x80..0xA0).contains(&b) {
                                HIGH[usize::from(b - 0x80)]
                            } else {
                                char::from(b)
                            }
                        })
                        .collect();
                    (text, None)
                }
            }
        }
        fn name(self) -> &'static str {
            match self {
                Codec::Utf8 => "UTF-8",
                Codec::Utf16Le => "UTF-16LE",
                Codec::Utf16Be => "UTF-16BE",
                Codec::Windows1252 => "windows-1252",
            }
        }
    }
}

pub(crate) fn count_invalid(mut bytes: &[u8]) -> usize {
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
    fn invalid_utf8_is_replaced_counted_and_located() {
        let (text, w) = run(b"ok\nab\xFFcd\xC3\n");
        assert_eq!(text, "ok\nab\u{FFFD}cd\u{FFFD}\n");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].kind, WarningKind::InvalidEncoding);
        assert_eq!((w[0].line, w[0].column), (Some(2), Some(3)));
        assert!(w[0].message.starts_with("2 invalid"), "{}", w[0].message);
    }

    #[test]
    fn windows_1252_high_bytes_and_unknown_labels() {
        let mut b = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><t n=\"".to_vec();
        b.extend([0x80, 0x93, 0xE9, 0x94]);
        b.extend(b"\"/>");
        assert!(run(&b).0.contains("n=\"€“é”\""), "{}", run(&b).0);
        let (text, w) = run(b"<?xml version=\"1.0\" encoding=\"x-no-such-encoding\"?><t/>");
        assert!(text.ends_with("<t/>"));
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("x-no-such-encoding"), "{}", w[0].message);
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
}
