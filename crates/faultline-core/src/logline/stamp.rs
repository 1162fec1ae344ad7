//! Per-line timestamp, format and level. Runs on every line of every log, so it is byte parsing with
//! early exits, not regexes.

use super::{Level, LineFormat};
use crate::timefmt::{self, civil_ms, clock_at, day_at, digits_at, month_abbrev};

pub struct Parsed {
    pub time_ms: Option<i64>,
    pub format: LineFormat,
    pub level: Option<Level>,
}

pub fn parse(line: &str, year: Option<i32>) -> Parsed {
    let b = line.as_bytes();
    let (time_ms, format, rest_at) = stamp(line, b, year);
    let level = if format == LineFormat::Logrus {
        logrus_level(line)
    } else if format == LineFormat::Klog {
        b.first().and_then(|c| match c {
            b'I' => Some(Level::Info),
            b'W' => Some(Level::Warn),
            b'E' => Some(Level::Error),
            b'F' => Some(Level::Fatal),
            _ => None,
        })
    } else {
        word_level(line.get(rest_at..).unwrap_or(""))
    };
    Parsed { time_ms, format, level }
}

/// (time, format, offset where the message starts).
fn stamp(line: &str, b: &[u8], year: Option<i32>) -> (Option<i64>, LineFormat, usize) {
    let Some(&first) = b.first() else { return (None, LineFormat::Plain, 0) };
    if first == b'[' {
        if let Some((ms, used)) = timefmt::iso8601_prefix(&line[1..])
            && b.get(1 + used) == Some(&b']')
        {
            let rest = 2 + used;
            let fmt = if is_kubectl(&line[rest..]) { LineFormat::Kubectl } else { LineFormat::Jenkins };
            return (Some(ms), fmt, rest);
        }
        if let Some((ms, used)) = dmesg_wall(b) {
            return (Some(ms), LineFormat::Dmesg, used);
        }
        if is_dmesg_monotonic(b) {
            return (None, LineFormat::Dmesg, 0);
        }
    }
    if first.is_ascii_digit() {
        if let Some((ms, used)) = timefmt::iso8601_prefix(line) {
            let fmt = if is_kubectl(&line[used..]) { LineFormat::Kubectl } else { LineFormat::Rfc3339 };
            return (Some(ms), fmt, used);
        }
        if let Some((ms, used)) = timefmt::robot_prefix(line) {
            return (Some(ms), LineFormat::Robot, used);
        }
        if let Some((ms, used)) = epoch(b) {
            return (Some(ms), LineFormat::Plain, used);
        }
    }
    if matches!(first, b'I' | b'W' | b'E' | b'F')
        && let Some((ms, used)) = klog(b, year)
    {
        return (Some(ms), LineFormat::Klog, used);
    }
    if let Some(at) = logrus_time_at(line) {
        let value = &line[at..];
        let t = timefmt::iso8601_prefix(value).map(|(ms, _)| ms);
        return (t, LineFormat::Logrus, 0);
    }
    if first.is_ascii_uppercase()
        && let Some((ms, used)) = syslog(b, year)
    {
        return (Some(ms), LineFormat::Syslog, used);
    }
    // `kubectl get events` without timestamps prints relative ages (`5m`); the row is still kubectl's.
    let fmt = if is_event_row(line) { LineFormat::Kubectl } else { LineFormat::Plain };
    (None, fmt, 0)
}

/// The stamp at the start of a line that has the shape of a timestamp (ISO 8601 date and time, bare or
/// in brackets; logrus `time="…"`; klog `I0102 15:04:05`) but did not parse as a real time: the caller
/// warns instead of reading it untimed in silence. Call only for lines whose time did not parse.
pub fn impossible_stamp(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let digits =
        |from: usize, n: usize| b.get(from..from + n).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let iso = |at: usize| {
        let year = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        let d = at + year;
        (4..=6).contains(&year)
            && b.get(d) == Some(&b'-')
            && digits(d + 1, 2)
            && b.get(d + 3) == Some(&b'-')
            && digits(d + 4, 2)
            && matches!(b.get(d + 6), Some(b'T' | b' '))
            && digits(d + 7, 2)
            && b.get(d + 9) == Some(&b':')
    };
    let end = |at: usize| at + line[at..].find([' ', ']', '"']).unwrap_or(line.len() - at);
    if b.first() == Some(&b'[') && iso(1) {
        return line.get(1..end(1));
    }
    if b.first().is_some_and(u8::is_ascii_digit) && iso(0) {
        return line.get(..end(0));
    }
    if let Some(at) = logrus_time_at(line)
        && b.get(at).is_some_and(u8::is_ascii_digit)
    {
        return line.get(at..end(at));
    }
    if matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F'))
        && digits(1, 4)
        && b.get(5) == Some(&b' ')
        && digits(6, 2)
        && b.get(8) == Some(&b':')
    {
        return line.get(
            ..line.find(' ').and_then(|s| line[s + 1..].find(' ').map(|t| s + 1 + t)).unwrap_or(line.len()),
        );
    }
    None
}

/// The rest of a line after its timestamp is kubectl output: a watch row or an event row.
fn is_kubectl(rest: &str) -> bool {
    // `trim_start`, with ASCII whitespace (nearly always all there is) trimmed by bytes first: it runs
    // on every stamped line.
    let r = rest.trim_ascii_start();
    let r = if r.as_bytes().first().is_some_and(|c| !c.is_ascii()) { r.trim_start() } else { r };
    r.starts_with("ADDED") || r.starts_with("MODIFIED") || r.starts_with("DELETED") || is_event_row(r)
}

/// An event row (`[NAMESPACE|LAST SEEN]  Normal|Warning  REASON  kind/name  message`): the type is the
/// first or second column and the object, written `kind/name`, two columns later.
fn is_event_row(r: &str) -> bool {
    let mut words = r.split_ascii_whitespace();
    let (Some(a), Some(b), Some(c)) = (words.next(), words.next(), words.next()) else { return false };
    let is_type = |w: &str| w == "Normal" || w == "Warning";
    if is_type(a) {
        return c.contains('/');
    }
    is_type(b) && words.next().is_some_and(|d| d.contains('/'))
}

/// `time="…"` within the first 64 bytes (a container-name prefix may come before it).
fn logrus_time_at(line: &str) -> Option<usize> {
    let head = &line[..floor_char(line, 64)];
    let at = head.find("time=\"")?;
    if at > 0 && !line.as_bytes()[at - 1].is_ascii_whitespace() {
        return None;
    }
    Some(at + 6)
}

fn floor_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn logrus_level(line: &str) -> Option<Level> {
    let at = line.find(" level=")? + 7;
    let v = line[at..].split([' ', '"']).find(|s| !s.is_empty())?;
    level_word(v)
}

/// Level words, lowercase.
const LEVEL_WORDS: [(&[u8], Level); 18] = [
    (b"trace", Level::Trace),
    (b"debug", Level::Debug),
    (b"dbg", Level::Debug),
    (b"info", Level::Info),
    (b"inf", Level::Info),
    (b"notice", Level::Info),
    (b"warn", Level::Warn),
    (b"warning", Level::Warn),
    (b"wrn", Level::Warn),
    (b"error", Level::Error),
    (b"err", Level::Error),
    (b"erro", Level::Error),
    (b"crit", Level::Error),
    (b"critical", Level::Error),
    (b"fatal", Level::Fatal),
    (b"panic", Level::Fatal),
    (b"emerg", Level::Fatal),
    (b"alert", Level::Fatal),
];

fn level_word(w: &str) -> Option<Level> {
    // Level words are at most 8 letters: lowercased on the stack (this runs for most lines), then
    // looked up in a table (a `match` on byte strings was 0.9 KB more of wasm).
    let mut buf = [0u8; 8];
    let lower = buf.get_mut(..w.len())?;
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    LEVEL_WORDS.iter().find(|(word, _)| *word == &*lower).map(|&(_, level)| level)
}

/// A level word (`INFO`, `[ERROR]`, `WARNING:`) among the first few words of the message.
///
/// Runs on nearly every line, so words are split by bytes while they are ASCII (the same splits
/// `split_whitespace` makes there: ASCII whitespace is U+0009–U+000D and the space); a non-ASCII byte
/// among the first words (which might be Unicode whitespace) hands the line to `split_whitespace`.
fn word_level(rest: &str) -> Option<Level> {
    let b = rest.as_bytes();
    let mut i = 0;
    for _ in 0..4 {
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while let Some(&c) = b.get(i).filter(|&&c| !is_space(c)) {
            if !c.is_ascii() {
                return word_level_unicode(rest);
            }
            i += 1;
        }
        if let Some(level) = level_token(&rest[start..i]) {
            return Some(level);
        }
    }
    None
}

/// [`word_level`] for words that are not all ASCII.
fn word_level_unicode(rest: &str) -> Option<Level> {
    rest.split_whitespace().take(4).find_map(level_token)
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t'..=b'\r' | b' ')
}

fn level_token(w: &str) -> Option<Level> {
    // Trims what is not an ASCII letter, by bytes: every byte of a non-ASCII character is such a byte,
    // so this cuts where trimming by characters does, without decoding them (it runs on the first
    // words of nearly every line).
    let b = w.as_bytes();
    let start = b.iter().position(u8::is_ascii_alphabetic)?;
    let end = b.iter().rposition(u8::is_ascii_alphabetic).map_or(start, |i| i + 1);
    let w = w.get(start..end)?;
    if w.len() >= 3 && w.len() <= 8 && w.bytes().all(|c| c.is_ascii_uppercase()) {
        level_word(w)
    } else {
        None
    }
}

/// klog: `I1116 10:15:03.123456   12345 file.go:123] msg`. The year is not written.
fn klog(b: &[u8], year: Option<i32>) -> Option<(i64, usize)> {
    let (mo, d) = (digits_at(b, 1, 2)?, digits_at(b, 3, 2)?);
    if b.get(5) != Some(&b' ') {
        return None;
    }
    let (h, mi, s, ms, used) = clock_at(b, 6)?;
    Some((civil_ms(year.unwrap_or(1970), mo, d, h, mi, s, ms)?, 6 + used))
}

/// syslog: `Nov 16 10:15:03 host proc[1]: msg`.
fn syslog(b: &[u8], year: Option<i32>) -> Option<(i64, usize)> {
    let mo = month_abbrev(b)?;
    if b.get(3) != Some(&b' ') {
        return None;
    }
    let d = day_at(b, 4)?;
    if b.get(6) != Some(&b' ') {
        return None;
    }
    let (h, mi, s, ms, used) = clock_at(b, 7)?;
    Some((civil_ms(year.unwrap_or(1970), mo, d, h, mi, s, ms)?, 7 + used))
}

/// dmesg -T: `[Sat Nov 16 10:16:06 2024] msg`.
fn dmesg_wall(b: &[u8]) -> Option<(i64, usize)> {
    if b.get(4) != Some(&b' ') {
        return None;
    }
    let mo = month_abbrev(b.get(5..)?)?;
    let d = day_at(b, 9)?;
    let (h, mi, s, ms, used) = clock_at(b, 12)?;
    let y_at = 12 + used + 1;
    let y = digits_at(b, y_at, 4)?;
    if b.get(y_at + 4) != Some(&b']') {
        return None;
    }
    Some((civil_ms(i32::try_from(y).ok()?, mo, d, h, mi, s, ms)?, y_at + 5))
}

/// `[  123.456789] msg`: seconds since boot, no wall time.
fn is_dmesg_monotonic(b: &[u8]) -> bool {
    let Some(close) = b.iter().take(20).position(|&c| c == b']') else { return false };
    let inner = &b[1..close];
    !inner.is_empty()
        && inner.iter().all(|c| c.is_ascii_digit() || *c == b' ' || *c == b'.')
        && inner.contains(&b'.')
}

/// Epoch seconds (10 digits, optional fraction) or milliseconds (13 digits) followed by a space.
fn epoch(b: &[u8]) -> Option<(i64, usize)> {
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let whole: i64 = std::str::from_utf8(&b[..n]).ok()?.parse().ok()?;
    let (ms, used) = match n {
        10 => {
            let frac = if b.get(10) == Some(&b'.') {
                b[11..].iter().take_while(|c| c.is_ascii_digit()).count()
            } else {
                0
            };
            let mut ms = whole * 1000;
            if frac > 0 {
                let digits = &b[11..11 + frac.min(3)];
                let mut f: i64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
                for _ in digits.len()..3 {
                    f *= 10;
                }
                ms += f;
            }
            (ms, 10 + if frac > 0 { frac + 1 } else { 0 })
        }
        13 => (whole, 13),
        _ => return None,
    };
    if !matches!(b.get(used), Some(b' ' | b'\t')) {
        return None;
    }
    // 2000-01-01 .. 2100-01-01: anything else is a number that merely starts the line.
    (946_684_800_000..4_102_444_800_000).contains(&ms).then_some((ms, used))
}

/// Formats that do not write the year; their time depends on the year the file reveals elsewhere.
pub fn needs_year(format: LineFormat) -> bool {
    matches!(format, LineFormat::Klog | LineFormat::Syslog)
}

pub fn year_of(ms: i64) -> Option<i32> {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_731_752_103_123; // 2024-11-16T10:15:03.123Z

    /// The byte-wise trims give what the character-wise ones they replace gave, non-ASCII text included.
    #[test]
    fn byte_trims_cut_where_character_trims_cut() {
        let by_chars = |w: &str| {
            let w = w.trim_matches(|c: char| !c.is_ascii_alphabetic());
            if w.len() >= 3 && w.len() <= 8 && w.bytes().all(|c| c.is_ascii_uppercase()) {
                level_word(w)
            } else {
                None
            }
        };
        let words = [
            "",
            "INFO",
            "[INFO]",
            "WARNING:",
            "éERRORé",
            "«ERROR»",
            "ERROR\u{a0}",
            "1ERROR2",
            "E",
            "::",
            "é",
            "日本INFO日本",
            "Info",
            "ERRORS",
            "TRACE…",
            "\u{2003}DEBUG",
            "ab",
            "[",
            "x]",
            "FATAL!",
        ];
        for w in words {
            assert_eq!(level_token(w), by_chars(w), "{w:?}");
        }
        let kubectl_by_chars = |r: &str| {
            let r = r.trim_start();
            r.starts_with("ADDED") || r.starts_with("MODIFIED") || r.starts_with("DELETED") || is_event_row(r)
        };
        for r in
            ["  ADDED x", "\u{a0}ADDED x", " \u{2003} DELETED", "\tMODIFIED", "é ADDED", "", "   ", "ADDED"]
        {
            assert_eq!(is_kubectl(r), kubectl_by_chars(r), "{r:?}");
        }
    }

    fn p(s: &str) -> Parsed {
        parse(s, Some(2024))
    }

    #[test]
    fn formats() {
        let cases: &[(&str, Option<i64>, LineFormat, Option<Level>)] = &[
            ("[2024-11-16T10:15:03.123Z] Waiting for x", Some(T), LineFormat::Jenkins, None),
            ("[2024-11-16T10:15:03.123Z] DELETED  pvc-1 running", Some(T), LineFormat::Kubectl, None),
            (
                r#"time="2024-11-16T10:15:03.123456789Z" level=warning msg="x""#,
                Some(T),
                LineFormat::Logrus,
                Some(Level::Warn),
            ),
            (
                r#"longhorn-manager time="2024-11-16T10:15:03.123Z" level=error msg="x""#,
                Some(T),
                LineFormat::Logrus,
                Some(Level::Error),
            ),
            (
                "E1116 10:15:03.123456   12345 file.go:123] boom",
                Some(T),
                LineFormat::Klog,
                Some(Level::Error),
            ),
            ("2024-11-16T10:15:03.123Z INFO [t] waiting", Some(T), LineFormat::Rfc3339, Some(Level::Info)),
            ("20241116 10:15:03.123 FAIL x", Some(T), LineFormat::Robot, None),
            (
                "Nov 16 10:15:03 node kernel: nfs: server x not responding",
                Some(T - 123),
                LineFormat::Syslog,
                None,
            ),
            (
                "[Sat Nov 16 10:15:03 2024] nfs: server 10.43.12.7 not responding",
                Some(T - 123),
                LineFormat::Dmesg,
                None,
            ),
            ("[  123.456789] nfs: server not responding", None, LineFormat::Dmesg, None),
            ("1731752103.123 ERROR epoch line", Some(T), LineFormat::Plain, Some(Level::Error)),
            ("1731752103123 WARN epoch millis", Some(T), LineFormat::Plain, Some(Level::Warn)),
            (
                "[2024-11-16T10:15:03.123Z] longhorn-system  Normal   Killing   pod/share-manager-pvc-1   Stopping",
                Some(T),
                LineFormat::Kubectl,
                None,
            ),
            ("2024-11-16T10:15:03.123Z MODIFIED   pvc-1   starting", Some(T), LineFormat::Kubectl, None),
            (
                "5m   Warning   FailedMount   pod/x   MountVolume.SetUp failed",
                None,
                LineFormat::Kubectl,
                None,
            ),
            (
                "2024-11-16 10:15:03.123 [ERROR] space-separated",
                Some(T),
                LineFormat::Rfc3339,
                Some(Level::Error),
            ),
            (
                "2024-11-16T12:15:03.123456789+02:00 WARNING: offset",
                Some(T),
                LineFormat::Rfc3339,
                Some(Level::Warn),
            ),
            (
                "2024-11-16T10:15:03 FATAL: no zone, no fraction",
                Some(T - 123),
                LineFormat::Rfc3339,
                Some(Level::Fatal),
            ),
            ("[2024-11-16T10:15:03.123Z] DEBUG jenkins", Some(T), LineFormat::Jenkins, Some(Level::Debug)),
            ("20241116 10:15:03.123 INFO robot", Some(T), LineFormat::Robot, Some(Level::Info)),
            (
                "W1116 10:15:03.123456       1 reflector.go:1] watch closed",
                Some(T),
                LineFormat::Klog,
                Some(Level::Warn),
            ),
            ("F1116 10:15:03.123456 1 x.go:9] fatal", Some(T), LineFormat::Klog, Some(Level::Fatal)),
            (
                r#"time="2024-11-16T10:15:03.123Z" level=fatal msg="x""#,
                Some(T),
                LineFormat::Logrus,
                Some(Level::Fatal),
            ),
            ("Nov  6 10:15:03 node kubelet[1]: x", Some(1_730_888_103_000), LineFormat::Syslog, None),
            ("plain text that mentions ERROR late in the line", None, LineFormat::Plain, None),
            ("Normal operation resumed", None, LineFormat::Plain, None),
        ];
        for &(line, t, f, l) in cases {
            let got = p(line);
            assert_eq!((got.time_ms, got.format, got.level), (t, f, l), "{line}");
        }
    }

    #[test]
    fn level_words_split_like_split_whitespace() {
        // The byte splitter must find what `split_whitespace` finds, on ASCII and Unicode whitespace.
        let alphabet: Vec<char> = "INFO ERROR WARN x[]:\t\u{b}\u{c}\r\u{a0}\u{3000}é1 ".chars().collect();
        let mut seed: u64 = 9;
        for _ in 0..20_000 {
            let mut s = String::new();
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            for _ in 0..(seed >> 59) as usize * 2 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            assert_eq!(word_level(&s), word_level_unicode(&s), "{s:?}");
        }
        assert_eq!(word_level("a\u{a0}b c ERROR"), Some(Level::Error));
        assert_eq!(word_level("a\u{a0}b c d ERROR"), None);
        assert_eq!(word_level("a\u{3000}ERROR"), Some(Level::Error));
        assert_eq!(word_level("\u{b}[WARN]"), Some(Level::Warn));
    }

    #[test]
    fn impossible_stamps_are_recognised_and_real_ones_and_prose_are_not() {
        for (line, stamp) in [
            ("2024-13-01T00:00:00Z month 13", "2024-13-01T00:00:00Z"),
            ("[2024-11-16T25:61:61Z] hour 25", "2024-11-16T25:61:61Z"),
            ("time=\"99999-11-16T10:15:02Z\" level=error", "99999-11-16T10:15:02Z"),
            ("I9999 99:99:99.999999   1 x.go:1] klog", "I9999 99:99:99.999999"),
        ] {
            assert_eq!(p(line).time_ms, None, "{line}");
            assert_eq!(impossible_stamp(line), Some(stamp), "{line}");
        }
        for line in ["2024 was a year", "12:00 lunch", "I think so", "Error 2024-01-01 happened", ""] {
            assert_eq!(impossible_stamp(line), None, "{line}");
        }
    }

    #[test]
    fn junk_never_parses_as_time() {
        for line in [
            "12345 items",
            "I9999 99:99:99.0 x",
            "Nov 99 10:15:03 x",
            "[Sat Xyz 16 10:16:06 2024] x",
            "2024-02-30T00:00:00Z x",
            "2024-13-16T10:15:03Z month 13",
            "99999-11-16T10:15:03Z year 99999",
            "2024-11-16T24:00:00Z hour 24",
            "[2024-11-16T10:15:03.123Z no closing bracket",
            "1731752103seconds glued to a word",
            "9999999999 far future",
            "0000000001 epoch start",
            "20241116 10:15 short robot",
            "",
        ] {
            assert_eq!(p(line).time_ms, None, "{line}");
        }
    }
}
