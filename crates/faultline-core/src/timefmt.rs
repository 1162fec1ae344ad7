//! Timestamp parsing shared by every reader. Hand-rolled byte parsing: it runs on every log line, where a
//! regex or a general date parser would dominate the cost.

/// Epoch milliseconds for a UTC civil time, or `None` when the fields are out of range.
///
/// Arithmetic rather than chrono's checked constructors: it runs once per log line, and chrono's date
/// validation was a visible share of reading a log. It accepts exactly what chrono's
/// `NaiveDate::from_ymd_opt(..).and_hms_milli_opt(..)` accepts (a test compares them), including a
/// millisecond field of 1000–1999 in the 59th second, chrono's leap second.
pub fn civil_ms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> Option<i64> {
    if !(1970..=2200).contains(&y) || !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let s = s.min(59); // a leap second is folded into the last second of its minute
    if h > 23 || mi > 59 || ms >= 2000 || (ms >= 1000 && s != 59) {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s);
    Some(secs * 1000 + i64::from(ms))
}

fn days_in_month(y: i32, mo: u32) -> u32 {
    match mo {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i32, mo: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(mo <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((mo + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Fractional seconds after a `.` or `,` at `at`: returns (milliseconds, bytes consumed).
fn fraction(b: &[u8], at: usize) -> (u32, usize) {
    if !matches!(b.get(at), Some(b'.') | Some(b',')) {
        return (0, 0);
    }
    let mut n = 0;
    let mut ms = 0u32;
    while let Some(c) = b.get(at + 1 + n).filter(|c| c.is_ascii_digit()) {
        if n < 3 {
            ms = ms * 10 + u32::from(c - b'0');
        }
        n += 1;
    }
    if n == 0 {
        return (0, 0);
    }
    for _ in n..3 {
        ms *= 10;
    }
    (ms, n + 1)
}

/// Zone suffix at `at`: `Z`, `±HH:MM`, `±HHMM`, `±HH`; returns (offset in minutes, bytes consumed).
fn zone(b: &[u8], at: usize) -> (i64, usize) {
    match b.get(at) {
        Some(b'Z') | Some(b'z') => (0, 1),
        Some(&sign @ (b'+' | b'-')) => {
            let Some(h) = digits(b, at + 1, 2) else { return (0, 0) };
            let (m, used) = if b.get(at + 3) == Some(&b':') {
                (digits(b, at + 4, 2), 6)
            } else if let Some(m) = digits(b, at + 3, 2) {
                (Some(m), 5)
            } else {
                (Some(0), 3)
            };
            let Some(m) = m else { return (0, 0) };
            let off = i64::from(h * 60 + m);
            (if sign == b'-' { -off } else { off }, used)
        }
        _ => (0, 0),
    }
}

/// ISO 8601 / RFC 3339 at the start of `s` (`2024-11-16T10:15:03.123Z`, space instead of `T`, any
/// fraction, optional zone; no zone means UTC). Returns (epoch ms, bytes consumed).
pub fn iso8601_prefix(s: &str) -> Option<(i64, usize)> {
    let b = s.as_bytes();
    let y = digits(b, 0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (mo, d) = (digits(b, 5, 2)?, digits(b, 8, 2)?);
    let (h, mi) = (digits(b, 11, 2)?, digits(b, 14, 2)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let sec = digits(b, 17, 2)?;
    let (ms, fl) = fraction(b, 19);
    let (off, zl) = zone(b, 19 + fl);
    let base = civil_ms(i32::try_from(y).ok()?, mo, d, h, mi, sec, ms)?;
    Some((base - off * 60_000, 19 + fl + zl))
}

/// A whole string that is an ISO 8601 timestamp, or a date alone.
pub fn iso8601(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some((ms, used)) = iso8601_prefix(s) {
        return (used == s.len()).then_some(ms);
    }
    let b = s.as_bytes();
    if s.len() == 10 && b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
        return civil_ms(
            i32::try_from(digits(b, 0, 4)?).ok()?,
            digits(b, 5, 2)?,
            digits(b, 8, 2)?,
            0,
            0,
            0,
            0,
        );
    }
    None
}

/// Robot Framework 6 style `20241116 10:15:03.123` at the start of `s`. Robot writes local time without
/// a zone; it is read as UTC, which is what CI machines almost always run in.
pub fn robot_prefix(s: &str) -> Option<(i64, usize)> {
    let b = s.as_bytes();
    let (y, mo, d) = (digits(b, 0, 4)?, digits(b, 4, 2)?, digits(b, 6, 2)?);
    if b.get(8) != Some(&b' ') || b.get(11) != Some(&b':') || b.get(14) != Some(&b':') {
        return None;
    }
    let (h, mi, sec) = (digits(b, 9, 2)?, digits(b, 12, 2)?, digits(b, 15, 2)?);
    let (ms, fl) = fraction(b, 17);
    Some((civil_ms(i32::try_from(y).ok()?, mo, d, h, mi, sec, ms)?, 17 + fl))
}

/// Month abbreviation (`Jan`…`Dec`) to 1–12.
pub fn month_abbrev(s: &[u8]) -> Option<u32> {
    const M: [&[u8; 3]; 12] =
        [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    let s = s.get(..3)?;
    M.iter().position(|m| m.eq_ignore_ascii_case(s)).map(|i| i as u32 + 1)
}

/// `HH:MM:SS[.frac]` at `at`: (h, m, s, ms, bytes consumed).
pub fn clock_at(b: &[u8], at: usize) -> Option<(u32, u32, u32, u32, usize)> {
    let (h, mi, s) = (digits(b, at, 2)?, digits(b, at + 3, 2)?, digits(b, at + 6, 2)?);
    if b.get(at + 2) != Some(&b':') || b.get(at + 5) != Some(&b':') {
        return None;
    }
    let (ms, fl) = fraction(b, at + 8);
    Some((h, mi, s, ms, 8 + fl))
}

/// Two decimal digits at `at`, with a leading space allowed (`Nov  6`).
pub fn day_at(b: &[u8], at: usize) -> Option<u32> {
    match b.get(at) {
        Some(b' ') => digits(b, at + 1, 1),
        _ => digits(b, at, 2),
    }
}

pub fn digits_at(b: &[u8], at: usize, n: usize) -> Option<u32> {
    digits(b, at, n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_ms_agrees_with_chrono() {
        let chrono_ms = |y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32| {
            if !(1970..=2200).contains(&y) {
                return None;
            }
            chrono::NaiveDate::from_ymd_opt(y, mo, d)?
                .and_hms_milli_opt(h, mi, s.min(59), ms)
                .map(|t| t.and_utc().timestamp_millis())
        };
        let mut seed: u64 = 7;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as u32 % n
        };
        for _ in 0..200_000 {
            let y = 1960 + next(260) as i32;
            let (mo, d, h, mi, s) = (next(14), next(33), next(26), next(62), next(62));
            let ms = [next(1000), 999, 1000, 1500, 1999, 2000][next(6) as usize];
            assert_eq!(
                civil_ms(y, mo, d, h, mi, s, ms),
                chrono_ms(y, mo, d, h, mi, s, ms),
                "{y}-{mo}-{d} {h}:{mi}:{s}.{ms}"
            );
        }
        for y in [1970, 2000, 2024, 2100, 2200] {
            for (mo, d) in [(2, 28), (2, 29), (12, 31), (1, 1)] {
                assert_eq!(civil_ms(y, mo, d, 23, 59, 60, 999), chrono_ms(y, mo, d, 23, 59, 60, 999));
            }
        }
    }

    use super::*;

    const T: i64 = 1_731_752_103_123; // 2024-11-16T10:15:03.123Z

    #[test]
    fn iso_forms() {
        assert_eq!(iso8601_prefix("2024-11-16T10:15:03.123Z rest"), Some((T, 24)));
        assert_eq!(iso8601("2024-11-16T10:15:03.123456789Z"), Some(T));
        assert_eq!(iso8601("2024-11-16 10:15:03.123"), Some(T));
        assert_eq!(iso8601("2024-11-16T12:15:03.123+02:00"), Some(T));
        assert_eq!(iso8601("2024-11-16T05:15:03,123-0500"), Some(T));
        assert_eq!(iso8601("2024-11-16T10:15:03"), Some(T - 123));
        assert_eq!(iso8601("2024-13-16T10:15:03"), None);
        assert_eq!(iso8601("99999-11-16T10:15:03"), None);
        assert_eq!(iso8601("2024-11-16T25:15:03"), None);
        assert_eq!(iso8601("garbage"), None);
    }

    #[test]
    fn robot_form() {
        assert_eq!(robot_prefix("20241116 10:15:03.123"), Some((T, 21)));
        assert_eq!(robot_prefix("20241116 10:15:03"), Some((T - 123, 17)));
        assert_eq!(robot_prefix("2024111610:15:03"), None);
    }
}
