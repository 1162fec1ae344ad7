//! [`crate::decode::decode_owned`] a chunk at a time, for a log read as a stream: the same text and the
//! same warnings, whatever the chunk boundaries (a UTF-8 sequence or a UTF-16 code unit may be cut).
//! Encodings it cannot take piecewise (a log that opens with an XML prolog naming one, or, without the
//! `legacy-encodings` feature, anything but UTF-8) are gathered and decoded whole at the end.

use crate::decode::{self, Codec};
use crate::warning::Warning;

/// The first bytes looked at to choose the encoding (what `decode_owned` looks at for UTF-16 without a
/// BOM).
const HEAD_BYTES: usize = 512;

/// Where the first replaced sequence landed (a byte offset into the decoded text) and what the warning
/// says; the line and column are filled in by whoever splits the text into lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadBytes {
    pub at: usize,
    pub message: String,
}

enum Mode {
    Utf8 {
        /// The start of a sequence cut by the chunk boundary.
        carry: Vec<u8>,
        /// Sequences replaced so far.
        replaced: usize,
    },
    #[cfg(feature = "legacy-encodings")]
    Legacy {
        decoder: encoding_rs::Decoder,
        codec: Codec,
    },
    Whole(Vec<u8>),
}

pub(crate) struct ChunkDecoder {
    head: Vec<u8>,
    mode: Option<Mode>,
    /// Bytes of text produced so far.
    produced: usize,
    first_bad: Option<usize>,
    /// Bytes skipped before the text (a BOM).
    skip: usize,
    /// The text is decoded as UTF-8, piecewise.
    utf8: bool,
    /// Where the text's bytes are in the file (see [`ChunkDecoder::file_offset`]).
    map: OffsetMap,
}

/// Replacements of one chunk whose place in the file is kept (16 bytes each).
const RECENT_MAX: usize = if cfg!(test) { 32 } else { 1 << 16 };

/// Where a byte of UTF-8 text is in the file: one for one, but for the replaced sequences (each one to
/// four bytes of the file, three of the text). Only the replacements of the latest chunk are kept, and
/// at most [`RECENT_MAX`] of those, so a log full of invalid bytes costs little; a line start further
/// back is then not known (`None`).
#[derive(Default)]
struct OffsetMap {
    /// File bytes minus text bytes, over every replacement so far.
    shift: i64,
    /// The text's length, and `shift`, when the latest chunk began.
    chunk_start: usize,
    chunk_shift: i64,
    /// The end in the text of each replacement in the latest chunk, and `shift` after it; at most
    /// [`RECENT_MAX`] of them, so a chunk of binary bytes costs no more than a MiB here.
    recent: Vec<(usize, i64)>,
    /// The chunk had more replacements than `recent` keeps: text past the last one kept is not placed
    /// (until the next chunk, or past the chunk's last replacement).
    overflowed: bool,
    /// The end in the text of the last replacement.
    last_end: usize,
}

impl ChunkDecoder {
    pub(crate) fn new() -> ChunkDecoder {
        ChunkDecoder {
            head: Vec::new(),
            mode: None,
            produced: 0,
            first_bad: None,
            skip: 0,
            utf8: false,
            map: OffsetMap::default(),
        }
    }

    /// A decoder for UTF-8 picked up at the start of a line, in the middle of a file already known to be
    /// UTF-8 (nothing is sniffed: that line may look like a BOM or a prolog).
    pub(crate) fn utf8() -> ChunkDecoder {
        ChunkDecoder {
            head: Vec::new(),
            mode: Some(Mode::Utf8 { carry: Vec::new(), replaced: 0 }),
            produced: 0,
            first_bad: None,
            skip: 0,
            utf8: true,
            map: OffsetMap::default(),
        }
    }

    /// Where the byte of text at `at` is in the file, when the file is decoded as UTF-8 and `at` is in
    /// the latest chunk's text or after its last replaced sequence. A reader that starts there at a
    /// line start decodes the same text from there: a replaced sequence never spans a line break.
    pub(crate) fn file_offset(&self, at: usize) -> Option<u64> {
        if !self.utf8 {
            return None;
        }
        let map = &self.map;
        let shift = if at >= map.last_end {
            map.shift
        } else if at >= map.chunk_start && !(map.overflowed && map.recent.last().is_some_and(|r| at > r.0)) {
            // Sorted by their ends: the last replacement that ends at or before `at`.
            let before = map.recent.partition_point(|r| r.0 <= at);
            before.checked_sub(1).and_then(|i| map.recent.get(i)).map_or(map.chunk_shift, |r| r.1)
        } else {
            return None;
        };
        u64::try_from(at as i64 + self.skip as i64 + shift).ok()
    }

    /// Where the first replaced sequence landed in the text decoded so far.
    pub(crate) fn first_bad(&self) -> Option<usize> {
        self.first_bad
    }

    /// Decodes `bytes` (the next chunk), appending the text to `out`.
    pub(crate) fn feed(&mut self, bytes: &[u8], out: &mut String) {
        if self.mode.is_none() {
            self.head.extend_from_slice(bytes);
            if self.head.len() >= HEAD_BYTES {
                let head = std::mem::take(&mut self.head);
                self.start(&head, false, out);
            }
            return;
        }
        self.decode(bytes, false, out);
    }

    /// The end of the input: the last text goes to `out`. Whole-file decoding reports its own warnings
    /// (into `warnings`); otherwise the first replacement, if any, is returned to be located.
    pub(crate) fn finish(
        &mut self,
        name: &str,
        out: &mut String,
        warnings: &mut Vec<Warning>,
    ) -> Option<BadBytes> {
        if self.mode.is_none() {
            let head = std::mem::take(&mut self.head);
            self.start(&head, true, out);
        } else {
            self.decode(&[], true, out);
        }
        match self.mode.take()? {
            Mode::Whole(bytes) => {
                out.push_str(&decode::decode_owned(name, bytes, warnings));
                None
            }
            Mode::Utf8 { replaced, .. } => self.first_bad.map(|at| BadBytes {
                at,
                message: format!(
                    "{replaced} invalid UTF-8 sequence(s) replaced by U+FFFD; the first is here"
                ),
            }),
            #[cfg(feature = "legacy-encodings")]
            Mode::Legacy { codec, .. } => self.first_bad.map(|at| BadBytes {
                at,
                message: format!(
                    "bytes not valid in {} were replaced by U+FFFD; the first is here",
                    codec.name()
                ),
            }),
        }
    }

    /// Chooses the encoding from the first bytes, as `decode_owned` does, and decodes them.
    fn start(&mut self, head: &[u8], last: bool, out: &mut String) {
        let (mode, skip) = if let Some((codec, bom)) = decode::for_bom(head) {
            (piecewise(codec), bom)
        } else if let Some(codec) = decode::utf16_without_bom(head) {
            (piecewise(codec), 0)
        } else if head.starts_with(b"<?xml") {
            (Mode::Whole(Vec::new()), 0)
        } else {
            (Mode::Utf8 { carry: Vec::new(), replaced: 0 }, 0)
        };
        // Gathered bytes are decoded whole at the end, BOM and all, exactly as a file held in memory.
        let skip = if matches!(mode, Mode::Whole(_)) { 0 } else { skip };
        self.utf8 = matches!(mode, Mode::Utf8 { .. });
        self.mode = Some(mode);
        self.skip = skip;
        self.decode(head.get(skip..).unwrap_or_default(), last, out);
    }

    fn decode(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        let before = out.len();
        self.map.chunk_start = self.produced;
        self.map.chunk_shift = self.map.shift;
        self.map.recent.clear();
        self.map.overflowed = false;
        match &mut self.mode {
            None => {}
            Some(Mode::Whole(all)) => all.extend_from_slice(bytes),
            Some(Mode::Utf8 { carry, replaced }) => {
                let joined;
                let data: &[u8] = if carry.is_empty() {
                    bytes
                } else {
                    joined = [carry.as_slice(), bytes].concat();
                    carry.clear();
                    &joined
                };
                let mut rest = data;
                loop {
                    match std::str::from_utf8(rest) {
                        Ok(s) => {
                            out.push_str(s);
                            break;
                        }
                        Err(e) => {
                            let (valid, bad) = rest.split_at(e.valid_up_to());
                            // Valid by construction: `valid_up_to` says so.
                            out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                            match e.error_len() {
                                None if !last => {
                                    carry.extend_from_slice(bad);
                                    break;
                                }
                                len => {
                                    let at = self.produced + (out.len() - before);
                                    self.first_bad.get_or_insert(at);
                                    *replaced += 1;
                                    out.push('\u{FFFD}');
                                    let taken = len.unwrap_or(bad.len());
                                    let map = &mut self.map;
                                    map.shift += taken as i64 - '\u{FFFD}'.len_utf8() as i64;
                                    map.last_end = at + '\u{FFFD}'.len_utf8();
                                    if map.recent.len() < RECENT_MAX {
                                        map.recent.push((map.last_end, map.shift));
                                    } else {
                                        map.overflowed = true;
                                    }
                                    rest = bad.get(taken..).unwrap_or_default();
                                    if rest.is_empty() {
                                        break;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            #[cfg(feature = "legacy-encodings")]
            Some(Mode::Legacy { decoder, .. }) => {
                let mut rest = bytes;
                loop {
                    let room = decoder
                        .max_utf8_buffer_length_without_replacement(rest.len())
                        .unwrap_or(rest.len().saturating_mul(3))
                        .max(16);
                    out.reserve(room);
                    let (result, read) = decoder.decode_to_string_without_replacement(rest, out, last);
                    rest = rest.get(read..).unwrap_or_default();
                    match result {
                        encoding_rs::DecoderResult::InputEmpty => break,
                        encoding_rs::DecoderResult::OutputFull => {}
                        encoding_rs::DecoderResult::Malformed(..) => {
                            let at = self.produced + (out.len() - before);
                            self.first_bad.get_or_insert(at);
                            out.push('\u{FFFD}');
                        }
                    }
                }
            }
        }
        self.produced += out.len() - before;
    }
}

/// UTF-8 and, with encoding_rs, every other encoding decode piecewise; the rest is gathered whole.
fn piecewise(codec: Codec) -> Mode {
    if decode::is_utf8(codec) {
        return Mode::Utf8 { carry: Vec::new(), replaced: 0 };
    }
    #[cfg(feature = "legacy-encodings")]
    {
        Mode::Legacy { decoder: codec.new_decoder_without_bom_handling(), codec }
    }
    #[cfg(not(feature = "legacy-encodings"))]
    {
        Mode::Whole(Vec::new())
    }
}
