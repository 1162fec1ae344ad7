//! What a file holds, judged from its first bytes: JUnit, Robot output.xml, a log, or binary.

use crate::decode::decode;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactKind {
    Junit,
    RobotOutput,
    Log,
    Binary,
}

/// How much of a file is looked at to decide; enough for any XML prolog, comments and root element.
const SNIFF_BYTES: usize = 64 * 1024;

pub fn sniff(name: &str, bytes: &[u8]) -> ArtifactKind {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if looks_binary(head) {
        return ArtifactKind::Binary;
    }
    let mut ignored = Vec::new();
    let text = decode(name, head, &mut ignored);
    match root_element(&text) {
        Some(root) if root == "testsuites" || root == "testsuite" => ArtifactKind::Junit,
        Some("robot") => ArtifactKind::RobotOutput,
        _ => ArtifactKind::Log,
    }
}

/// Binary data has NUL and control bytes in numbers text never has. UTF-16 text has NULs too, but in
/// every other position, so it is let through to the decoder.
fn looks_binary(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let nuls_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let nuls_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    let utf16ish =
        half > 0 && (nuls_even.min(nuls_odd) * 10 <= half) && (nuls_even.max(nuls_odd) * 10 >= half * 7);
    if utf16ish {
        return false;
    }
    let suspicious = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x1b | 0x0c)))
        .count();
    suspicious * 100 > head.len() * 5 || nuls_even + nuls_odd > head.len() / 100 + 8
}

/// Local name of the first element, skipping the prolog, comments, doctype and processing instructions.
pub(crate) fn root_element(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>")?.1;
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->")?.1;
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = skip_declaration(r)?;
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(r.len());
            let qname = &r[..end];
            return Some(qname.rsplit(':').next().unwrap_or(qname));
        } else {
            return None;
        }
    }
}

/// The rest after a `<!DOCTYPE …>` (or other `<!…>` declaration) whose `<!` is already consumed. A
/// DOCTYPE's internal subset (`[ <!ENTITY x "…"> … ]`) holds `>` characters of its own, so it is skipped
/// whole, quoted strings included; `None` when the text ends inside it.
fn skip_declaration(r: &str) -> Option<&str> {
    let mut quote: Option<char> = None;
    let mut in_subset = false;
    for (i, c) in r.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => in_subset = true,
            (None, ']') => in_subset = false,
            (None, '>') if !in_subset => return Some(&r[i + 1..]),
            _ => {}
        }
    }
    None
}

/// True when the text starts like an XML document (prolog, DOCTYPE or comment) but no root element
/// could be found before it ends: a report cut off before its first element.
pub(crate) fn truncated_xml_head(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    (t.starts_with("<?xml") || t.starts_with("<!DOCTYPE") || t.starts_with("<!--"))
        && root_element(t).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_reports_logs_and_binary() {
        assert_eq!(sniff("a", b"<?xml version=\"1.0\"?>\n<!-- x -->\n<testsuites>"), ArtifactKind::Junit);
        assert_eq!(sniff("a", b"<testsuite name=\"Tests\">"), ArtifactKind::Junit);
        assert_eq!(sniff("a", b"<ns:testsuite xmlns:ns=\"u\">"), ArtifactKind::Junit);
        assert_eq!(
            sniff("a", b"<?xml version=\"1.0\"?>\n<robot generator=\"Robot 6.1.1\">"),
            ArtifactKind::RobotOutput
        );
        assert_eq!(sniff("a", b"time=\"2024\" level=info msg=\"x\"\n"), ArtifactKind::Log);
        assert_eq!(sniff("a", b"<html><body>"), ArtifactKind::Log);
        let blob: Vec<u8> = (0..2048u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        assert_eq!(sniff("a", &blob), ArtifactKind::Binary);
    }

    #[test]
    fn a_doctype_with_an_internal_subset_is_skipped_whole() {
        let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuites [\n  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n  \
                   <!ENTITY q \"a > b ] c\">\n]>\n<testsuites><testsuite/></testsuites>";
        assert_eq!(sniff("a", xxe.as_bytes()), ArtifactKind::Junit);
        assert_eq!(
            sniff("a", b"<!DOCTYPE robot [<!ENTITY % r SYSTEM 'x'> %r;]><robot>"),
            ArtifactKind::RobotOutput
        );
        assert_eq!(root_element("<!DOCTYPE t [ <!ENTITY a \"b\""), None);
        assert!(truncated_xml_head("<?xml version=\"1.0\" enc"));
        assert!(truncated_xml_head("<?xml version=\"1.0\"?>\n<!DOCTYPE t [ <!ENTITY a \"b\""));
        assert!(!truncated_xml_head("<?xml version=\"1.0\"?><testsuite"));
        assert!(!truncated_xml_head("plain log line"));
    }

    #[test]
    fn utf16_junit_is_not_binary() {
        let le: Vec<u8> =
            "<testsuites><testsuite/></testsuites>".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(sniff("a", &le), ArtifactKind::Junit);
    }
}
