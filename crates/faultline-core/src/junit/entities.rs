//! Entity and character references, resolved exactly. Unknown entities are kept verbatim (and reported)
//! rather than dropped: losing `&bogus;` from a failure message would corrupt the evidence.

/// Resolves one reference name (`lt`, `#10`, `#x41`); `None` when it is not a known entity.
pub fn resolve(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')
        }
    }
}

/// Unescapes an attribute value as written: references resolved, whitespace kept exactly. Returns the
/// text and the first unknown reference, if any.
pub fn unescape(raw: &str) -> (std::borrow::Cow<'_, str>, Option<String>) {
    if !raw.contains('&') {
        return (std::borrow::Cow::Borrowed(raw), None);
    }
    let mut out = String::with_capacity(raw.len());
    let mut unknown = None;
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';').filter(|&semi| semi <= 32) {
            Some(semi) => match resolve(&after[..semi]) {
                Some(c) => {
                    out.push(c);
                    rest = &after[semi + 1..];
                }
                None => {
                    unknown.get_or_insert_with(|| format!("&{};", &after[..semi]));
                    out.push('&');
                    rest = after;
                }
            },
            None => {
                unknown.get_or_insert_with(|| "&".to_string());
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (std::borrow::Cow::Owned(out), unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_predefined_and_numeric() {
        assert_eq!(unescape("a &lt;b&gt; &amp; &#10;&#x41;").0, "a <b> & \nA");
        assert_eq!(unescape("no refs").0, "no refs");
    }

    #[test]
    fn keeps_unknown_verbatim() {
        let (s, bad) = unescape("x &bogus; y & z");
        assert_eq!(s, "x &bogus; y & z");
        assert_eq!(bad.as_deref(), Some("&bogus;"));
        assert_eq!(resolve("#0"), None);
        assert_eq!(resolve("#x110000"), None);
    }
}
