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
            rest = r.split_once('>')?.1;
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(r.len());
            let qname = &r[..end];
            return Some(qname.rsplit(':').next().unwrap_or(qname));
        } else {
            return None;
        }
    }
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
    fn utf16_junit_is_not_binary() {
        let le: Vec<u8> =
            "<testsuites><testsuite/></testsuites>".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(sniff("a", &le), ArtifactKind::Junit);
    }
}
