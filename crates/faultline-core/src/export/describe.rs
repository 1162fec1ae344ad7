//! Plain words for events and phases, shared by every report so that a step reads the same in the
//! terminal, in Markdown, in HTML and in the web app.

use std::fmt::Write;

use crate::event::{Event, EventKind};
use crate::replay::Phase;

/// A short human phrase for the event, from its fields.
pub fn describe(e: &Event) -> String {
    let f = |k: &str| e.field(k).unwrap_or("");
    match e.kind {
        EventKind::ObjectDeleted | EventKind::ObjectCreated | EventKind::ObjectRecreated => {
            let plane = e.field("plane").map(|p| format!(" ({p} plane)")).unwrap_or_default();
            let name = match (e.field("name"), e.field("component"), e.field("workload")) {
                (Some(n), _, _) => n.to_string(),
                (None, Some(c), Some(w)) => format!("of {c}, {w}"),
                (None, Some(c), None) => format!("of {c}"),
                _ => String::new(),
            };
            format!("{} {name}{plane}", f("kind"))
        }
        EventKind::StateChanged => format!("{} {} -> {}", f("kind"), f("name"), f("state")),
        EventKind::Wait | EventKind::Retry | EventKind::Timeout => {
            let mut s = f("condition").to_string();
            if let Some(a) = e.field("attempt") {
                let _ = write!(s, " #{a}");
            }
            if let Some(o) = e.field("last_observed") {
                let _ = write!(s, " (last: {o})");
            }
            s
        }
        EventKind::Checksum => {
            format!("{} {} got {:?} want {}", f("path"), f("result"), f("got"), f("expected"))
        }
        EventKind::IoError => f("error").to_string(),
        EventKind::Infra => infra(e),
        EventKind::TestStarted => "start".into(),
        EventKind::TestFinished => f("status").to_string(),
        EventKind::StepStarted => format!("> {}", f("name")),
        EventKind::StepFinished => format!("< {} {}", f("name"), f("status")),
        EventKind::Assertion => assertion(e),
    }
}

/// An assertion's message; a bare `AssertionError` has none, and is named by its exception.
/// What failed or was done, and to what: a power-off names its node or its cloud instance, a cloud API
/// error its code and call (`cloud_api i-0c4e…: IncorrectInstanceState (StartInstances)`).
fn infra(e: &Event) -> String {
    let mut s = e.field("reason").unwrap_or("").to_string();
    if let Some(subject) = ["node", "host", "instance", "pod", "image"].iter().find_map(|k| e.field(k)) {
        let _ = write!(s, " {subject}");
    }
    if let Some(error) = e.field("error") {
        let _ = write!(s, ": {error}");
    }
    if let Some(operation) = e.field("operation") {
        let _ = write!(s, " ({operation})");
    }
    s
}

fn assertion(e: &Event) -> String {
    e.field("message").or_else(|| e.field("exception")).unwrap_or("assertion failed").to_string()
}

/// The long form of [`describe`], with namespace, plane, how an object was deleted, a state's previous
/// value and the attempt budget: for reports with room (HTML, the web app). Artifact text: the caller
/// escapes it.
pub fn describe_full(e: &Event) -> String {
    let f = |k: &str| e.field(k).unwrap_or("");
    match e.kind {
        EventKind::ObjectDeleted | EventKind::ObjectCreated | EventKind::ObjectRecreated => {
            let mut s = format!("{} {}", f("kind"), f("name"));
            if e.field("name").is_none() {
                match (e.field("component"), e.field("workload")) {
                    (Some(c), Some(w)) => {
                        let _ = write!(s, "of {c}, {w}");
                    }
                    (Some(c), None) => {
                        let _ = write!(s, "of {c}");
                    }
                    _ => {}
                }
            }
            if let Some(ns) = e.field("namespace") {
                let _ = write!(s, " in {ns}");
            }
            if let Some(p) = e.field("plane") {
                let _ = write!(s, " ({p} plane)");
            }
            if let Some(via) = e.field("via") {
                let _ = write!(s, " via {via}");
            }
            s
        }
        EventKind::StateChanged => {
            let mut s = format!("{} {} → {}", f("kind"), f("name"), f("state"));
            if let Some(from) = e.field("from") {
                let _ = write!(s, " (from {from})");
            }
            s
        }
        EventKind::Wait | EventKind::Retry | EventKind::Timeout => {
            let mut s = f("condition").to_string();
            if let Some(a) = e.field("attempt") {
                let _ = write!(s, " #{a}");
                if let Some(m) = e.field("max_attempts") {
                    let _ = write!(s, "/{m}");
                }
            }
            if let Some(o) = e.field("last_observed") {
                let _ = write!(s, " (last: {o})");
            }
            s
        }
        EventKind::Checksum => {
            let mut s = format!("{} {}", f("path"), f("result"));
            if let Some(got) = e.field("got") {
                let _ = write!(s, ": got {got}");
            }
            if let Some(want) = e.field("expected") {
                let _ = write!(s, ", expected {want}");
            }
            if let Some(v) = e.field("data_verified") {
                let _ = write!(s, " (shipped data: {v})");
            }
            s
        }
        EventKind::IoError => {
            let mut s = f("error").to_string();
            for k in ["path", "server"] {
                if let Some(v) = e.field(k) {
                    let _ = write!(s, " {k}={v}");
                }
            }
            s
        }
        EventKind::Infra => infra(e),
        EventKind::TestStarted => format!("test started {}", f("name")),
        EventKind::TestFinished => format!("test finished {}", f("status")),
        EventKind::StepStarted => format!("▸ {}", f("name")),
        EventKind::StepFinished => format!("◂ {} {}", f("name"), f("status")),
        EventKind::Assertion => assertion(e),
    }
}

/// `HH:MM:SS.mmm` in UTC: the time of day is what a reader compares within one run.
pub fn clock(ms: i64) -> String {
    let day_ms = ms.rem_euclid(86_400_000);
    let (h, rest) = (day_ms / 3_600_000, day_ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    format!("{h:02}:{m:02}:{:02}.{:03}", rest / 1000, rest % 1000)
}

pub fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Setup => "set-up",
        Phase::FaultInjection => "fault injection",
        Phase::RecoveryWait => "recovery wait",
        Phase::Verification => "verification",
        Phase::Teardown => "teardown",
    }
}

/// Whether a replay step is worth a line in a compact timeline: what changed, what failed, and where
/// the run broke. Waits, step bookkeeping and passing checks are left to the full replay.
pub fn is_telling(e: &Event) -> bool {
    match e.kind {
        EventKind::ObjectDeleted | EventKind::ObjectCreated | EventKind::ObjectRecreated => {
            e.field("name").is_some()
        }
        EventKind::IoError | EventKind::Timeout | EventKind::Infra | EventKind::Assertion => true,
        EventKind::Checksum => true,
        EventKind::StateChanged => {
            e.field("state") == Some("remount_requested") || e.field("state") == Some("error")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_is_utc_time_of_day() {
        assert_eq!(clock(0), "00:00:00.000");
        assert_eq!(clock(1_731_752_102_815), "10:15:02.815");
        assert_eq!(clock(-1), "23:59:59.999");
    }

    #[test]
    fn infrastructure_says_what_and_to_what() {
        let infra = |fields: &[(&str, &str)]| {
            let mut e = Event {
                kind: EventKind::Infra,
                time: None,
                time_ms: None,
                test: None,
                source: crate::source::SourceRef::new("x.log", 1, 0, 0),
                extractor: "x".into(),
                fields: Default::default(),
            };
            for (k, v) in fields {
                e.fields.insert((*k).into(), (*v).into());
            }
            (describe(&e), describe_full(&e))
        };
        let (short, full) = infra(&[
            ("reason", "cloud_api"),
            ("instance", "i-0c4e5f6a7b8c9d0e1"),
            ("error", "IncorrectInstanceState"),
            ("operation", "StartInstances"),
        ]);
        assert_eq!(short, "cloud_api i-0c4e5f6a7b8c9d0e1: IncorrectInstanceState (StartInstances)");
        assert_eq!(full, short);
        assert_eq!(infra(&[("reason", "power_off"), ("instance", "i-0a1b")]).0, "power_off i-0a1b");
        assert_eq!(infra(&[("reason", "not_ready"), ("node", "ip-10-0-3-21")]).0, "not_ready ip-10-0-3-21");
        assert_eq!(infra(&[("reason", "not_ready")]).0, "not_ready");
    }

    #[test]
    fn a_bare_assertion_error_is_named_not_left_blank() {
        let event = |fields: &[(&str, &str)]| Event {
            kind: EventKind::Assertion,
            time: None,
            time_ms: None,
            test: None,
            source: crate::source::SourceRef::new("console.log", 16, 0, 0),
            extractor: "assertion-error".into(),
            fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        };
        let bare = event(&[("exception", "AssertionError")]);
        assert_eq!(
            (describe(&bare), describe_full(&bare)),
            ("AssertionError".into(), "AssertionError".into())
        );
        let said = event(&[("exception", "AssertionError"), ("message", "Backup status = Error")]);
        assert_eq!(describe(&said), "Backup status = Error");
        assert_eq!(describe(&event(&[])), "assertion failed");
    }
}
