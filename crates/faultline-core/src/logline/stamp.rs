//! Per-line timestamp, format and level. Runs on every line of every log, so it is byte parsing with
//! early exits, not regexes.

use super::{Level, LineFormat, LogLine};
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
            let fmt = if is_watch(&line[rest..]) { LineFormat::Kubectl } else { LineFormat::Jenkins };
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
            return (Some(ms), LineFormat::Rfc3339, used);
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
    (None, LineFormat::Plain, 0)
}

fn is_watch(rest: &str) -> bool {
    let r = rest.trim_start();
    r.starts_with("ADDED") || r.starts_with("MODIFIED") || r.starts_with("DELETED")
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

fn level_word(w: &str) -> Option<Level> {
    Some(match w.to_ascii_lowercase().as_str() {
        "trace" => Level::Trace,
        "debug" | "dbg" => Level::Debug,
        "info" | "inf" | "notice" => Level::Info,
        "warn" | "warning" | "wrn" => Level::Warn,
        "error" | "err" | "erro" | "crit" | "critical" => Level::Error,
        "fatal" | "panic" | "emerg" | "alert" => Level::Fatal,
        _ => return None,
    })
}

/// A level word (`INFO`, `[ERROR]`, `WARNING:`) among the first few words of the message.
fn word_level(rest: &str) -> Option<Level> {
    rest.split_whitespace().take(4).find_map(|w| {
        let w = w.trim_matches(|c: char| !c.is_ascii_alphabetic());
        if w.len() >= 3 && w.len() <= 8 && w.chars().all(|c| c.is_ascii_uppercase()) {
            level_word(w)
        } else {
            None
        }
    })
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

/// The year of the first line that carries one, for formats that omit it.
pub fn first_year(text: &str, lines: &[LogLine]) -> Option<i32> {
    use chrono::Datelike;
    lines.iter().take(2000).find_map(|l| {
        let line = text.get(l.start..l.end)?;
        let clean = super::ansi::strip(line);
        let (t, fmt, _) = stamp(&clean, clean.as_bytes(), None);
        if matches!(fmt, LineFormat::Klog | LineFormat::Syslog) {
            return None;
        }
        chrono::DateTime::from_timestamp_millis(t?).map(|d| d.year())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_731_752_103_123; // 2024-11-16T10:15:03.123Z

    fn p(s: &str) -> Parsed {
        parse(s, Some(2024))
    }

    #[test]
    fn formats() {
        let cases: [(&str, Option<i64>, LineFormat, Option<Level>); 11] = [
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
        ];
        for (line, t, f, l) in cases {
            let got = p(line);
            assert_eq!((got.time_ms, got.format, got.level), (t, f, l), "{line}");
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
            "",
        ] {
            assert_eq!(p(line).time_ms, None, "{line}");
        }
    }
}
