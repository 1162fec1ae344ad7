//! JUnit `time` attributes as tools really write them: `1.5`, `1,234.5`, `0,5`, ``, `abc`.

/// Longest duration accepted: a century. Anything longer is an overflow, not a test.
const MAX_SECONDS: f64 = 100.0 * 365.25 * 86_400.0;

/// Seconds from a `time` attribute. `Err(())` when the text is present but not a usable duration.
pub fn seconds(raw: &str) -> Result<Option<f64>, ()> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    // `1,234.5` uses a thousands separator; `0,5` (no dot, not three digits after the comma) is a
    // decimal comma from a European locale.
    let normalised = if t.contains('.') {
        t.replace(',', "")
    } else if let Some((_, frac)) = t.split_once(',') {
        if frac.len() == 3 && !t.starts_with("0,") { t.replace(',', "") } else { t.replacen(',', ".", 1) }
    } else {
        t.to_string()
    };
    // In milliseconds the value must stay finite (`1e308` seconds does not) and within a century.
    match crate::parse_float::parse_f64(&normalised) {
        Some(v) if v.is_finite() && (0.0..=MAX_SECONDS).contains(&v) => Ok(Some(v.abs())),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_values() {
        assert_eq!(seconds("1.5"), Ok(Some(1.5)));
        assert_eq!(seconds("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(seconds("0,5"), Ok(Some(0.5)));
        assert_eq!(seconds("12,345"), Ok(Some(12345.0)));
        assert_eq!(seconds(""), Ok(None));
        assert_eq!(seconds("  "), Ok(None));
        assert_eq!(seconds("abc"), Err(()));
        assert_eq!(seconds("-1"), Err(()));
        assert_eq!(seconds("NaN"), Err(()));
        assert_eq!(seconds("inf"), Err(()));
        assert_eq!(seconds("1e308"), Err(()));
        assert_eq!(seconds("99999999999999"), Err(()));
        assert_eq!(seconds("-0"), Ok(Some(-0.0)));
    }
}
