//! The public path a log takes: read, frame, extract with the built-in pack. The console below is written
//! in the shapes a Longhorn Robot run prints (Jenkins timestamper prefixes, a CR deleted where a pod was
//! meant, the checksum read timing out).

use faultline_core::EventKind;
use faultline_core::extract::{Candidate, Origin, Pack};
use faultline_core::logline::{LineFormat, detect_frames, read_log};
use faultline_core::model::TestStatus;

const VOL: &str = "pvc-0b7e2c44-51d8-4c1a-9f3e-2a6d8e1c7b90";

fn console() -> String {
    let sep = "=".repeat(78);
    let dash = "-".repeat(78);
    let name = "Test Longhorn Dynamic Provisioned RWX Volume Recovery";
    [
        format!("[2024-11-16T10:12:00.100Z] {sep}"),
        "[2024-11-16T10:12:00.100Z] Tests.Negative.Component Resilience :: Negative Test Cases".to_string(),
        format!("[2024-11-16T10:12:00.100Z] {sep}"),
        format!("[2024-11-16T10:12:00.300Z] {name:<70}Initialized in-cluster k8s api client"),
        format!("[2024-11-16T10:14:59.000Z] deleting sharemanager {VOL} ..."),
        format!("[2024-11-16T10:15:01.000Z] wait sharemanager {VOL} running, current status = starting"),
        "[2024-11-16T10:16:06.189Z] Checked e2e-test-deployment-0-7d9c5b6f4-k2x8p file data.txt checksum:".to_string(),
        "[2024-11-16T10:16:06.189Z] Got /data/data.txt checksum = md5sum: can't open '/data/data.txt': Connection timed out".to_string(),
        "[2024-11-16T10:16:06.189Z]  Expected checksum = 0f3c9a1b2d4e5f60718293a4b5c6d7e8".to_string(),
        format!("[2024-11-16T10:18:17.203Z] {name:<70}| FAIL |"),
        "[2024-11-16T10:18:17.203Z] Checking pod e2e-test-deployment-0-7d9c5b6f4-k2x8p data checksum failed".to_string(),
        format!("[2024-11-16T10:18:17.203Z] {dash}"),
    ]
    .join("\n")
}

#[test]
fn founding_case_console_yields_the_facts_in_order() {
    let file = read_log("console.log", console(), None, &mut Vec::new());
    assert!(file.lines.iter().all(|l| l.format == LineFormat::Jenkins && l.time_ms.is_some()));

    let frames = detect_frames(&file);
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].status, Some(TestStatus::Failed));
    assert_eq!((frames[0].first, frames[0].last), (3, 11));

    let pack = Pack::builtin();
    let mut events = Vec::new();
    pack.extract_log(&file, &mut events, |_, _| {});
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::ObjectDeleted,
            EventKind::StateChanged,
            EventKind::Wait,
            EventKind::Checksum,
            EventKind::IoError,
            EventKind::Assertion,
        ],
        "{events:#?}"
    );
    let deleted = &events[0];
    assert_eq!(deleted.field("kind"), Some("ShareManager"));
    assert_eq!(deleted.field("plane"), Some("management"));
    assert_eq!(deleted.time_ms, Some(1_731_752_099_000));
    let checksum = &events[3];
    assert_eq!(checksum.field("result"), Some("read_failed"));
    assert_eq!((checksum.source.line, checksum.source.line_end), (8, Some(9)));
    assert_eq!(
        events[5].field("message"),
        Some("Checking pod e2e-test-deployment-0-7d9c5b6f4-k2x8p data checksum failed")
    );
}

#[test]
fn a_user_pack_extends_the_builtin() {
    let mut pack = Pack::builtin();
    let before = pack.pattern_count();
    let mine = Pack::from_toml(
        "team.toml",
        r#"
[[object_kind]]
kind = "Widget"
group = "example.com"
plane = "management"
aliases = ["widgets", "widgets.example.com"]

[[pattern]]
id = "widget-reset"
event = "object_deleted"
contains = ["resetting widget"]
regex = '''resetting widget (?P<name>\S+)'''
[pattern.fields]
kind = "widgets"
via = "harness"
"#,
    )
    .expect("valid pack");
    pack.merge(mine);
    assert_eq!(pack.pattern_count(), before + 1);
    let src = faultline_core::SourceRef::new("t.log", 1, 0, 10);
    let mut out = Vec::new();
    pack.extract(
        &Candidate {
            text: "resetting widget w-1",
            next: None,
            origin: Origin::Log,
            source: &src,
            time_ms: None,
        },
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(
        (out[0].field("kind"), out[0].field("group"), out[0].field("plane")),
        (Some("Widget"), Some("example.com"), Some("management"))
    );
}
