//! The rule engine on hand-built event sequences: the founding case, its fixed run, the same symptom
//! from a product bug, a CR deletion that is the test's purpose, and located errors in rule files.

use super::*;
use crate::event::{EventKind, Fields};
use crate::model::TestStatus;
use crate::source::SourceRef;

fn case(name: &str, status: TestStatus, doc: &str) -> TestCase {
    TestCase {
        id: format!("S::{name}"),
        suite: "S".into(),
        classname: None,
        name: name.into(),
        status,
        duration_ms: None,
        time_raw: None,
        start_ms: Some(0),
        message: Some("Checking pod e2e-test-deployment-0-db6496856-w7fkr data checksum failed".into()),
        failures: Vec::new(),
        system_out: None,
        system_err: None,
        properties: Vec::new(),
        file_attr: None,
        source: SourceRef::new("junit.xml", 1, 0, 0),
        documentation: Some(doc.into()),
        tags: Vec::new(),
    }
}

fn ev(test: &str, kind: EventKind, t: i64, line: u32, fields: &[(&str, &str)]) -> Event {
    let fields: Fields = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Event {
        kind,
        time: None,
        time_ms: Some(t),
        test: Some(format!("S::{test}")),
        source: SourceRef::new("console.log", line, 0, 0),
        extractor: "x".into(),
        fields,
    }
}

const T: &str = "RWX recovery";
const DOC: &str = "Delete the Share-manager pod and verify the RWX volume is able recover.";

fn founding(remount: bool) -> Vec<Event> {
    let mut v = vec![
        ev(
            T,
            EventKind::ObjectDeleted,
            1_000,
            10,
            &[("kind", "Replica"), ("plane", "management"), ("volume", "pvc-1"), ("name", "r-1")],
        ),
        ev(
            T,
            EventKind::ObjectDeleted,
            5_000,
            160,
            &[
                ("kind", "ShareManager"),
                ("name", "pvc-1"),
                ("plane", "management"),
                ("namespace", "longhorn-system"),
                ("via", "api"),
            ],
        ),
        ev(
            T,
            EventKind::ObjectDeleted,
            5_020,
            199,
            &[("kind", "Pod"), ("name", "share-manager-pvc-1"), ("plane", "workload"), ("via", "controller")],
        ),
        ev(
            T,
            EventKind::ObjectCreated,
            5_060,
            203,
            &[("kind", "ShareManager"), ("name", "pvc-1"), ("plane", "management")],
        ),
        ev(
            T,
            EventKind::IoError,
            64_000,
            22,
            &[("error", "nfs server not responding"), ("server", "10.43.12.7")],
        ),
        ev(
            T,
            EventKind::Checksum,
            64_187,
            176,
            &[
                ("result", "read_failed"),
                ("got", "md5sum: can't open '/data/data.txt': Connection timed out"),
            ],
        ),
        ev(T, EventKind::Assertion, 200_000, 223, &[("message", "Checking pod data checksum failed")]),
    ];
    if remount {
        v.insert(
            4,
            ev(
                T,
                EventKind::StateChanged,
                5_100,
                200,
                &[("kind", "Volume"), ("name", "pvc-1"), ("state", "remount_requested")],
            ),
        );
    }
    v
}

fn one(tests: &[TestCase], events: &[Event]) -> Diagnosis {
    let d = diagnose(tests, events, &RuleSet::builtin());
    assert_eq!(d.len(), 1, "{d:?}");
    d.into_iter().next().expect("one diagnosis")
}

#[test]
fn builtin_rules_load_with_their_public_ids() {
    let ids: Vec<String> = RuleSet::builtin().infos().into_iter().map(|r| r.id).collect();
    for id in [
        "deleted-cr-instead-of-pod",
        "data-unreadable",
        "data-corrupted",
        "data-lost",
        "wait-timeout",
        "infrastructure",
        "waited-for-deletion-of-recreated-pod",
        "node-left-down-by-earlier-test",
    ] {
        assert!(ids.iter().any(|x| x == id), "{id} missing from {ids:?}");
    }
}

#[test]
fn founding_case_blames_the_test_and_lists_the_symptom() {
    let d = one(&[case(T, TestStatus::Failed, DOC)], &founding(false));
    assert_eq!(d.rule, "deleted-cr-instead-of-pod");
    assert_eq!(d.blame, Blame::Test);
    assert_eq!(d.confidence, 0.95, "documentation says pod: boosted");
    assert!(d.summary.contains("ShareManager custom resource `pvc-1`"), "{}", d.summary);
    assert!(d.summary.contains("instead of its pod `share-manager-pvc-1`"), "{}", d.summary);
    assert!(d.fix.contains("delete pod `share-manager-pvc-1` in namespace `longhorn-system`"), "{}", d.fix);
    let lines: Vec<u32> = d.evidence.iter().map(|e| e.line).collect();
    assert_eq!(
        lines,
        vec![160, 203, 22, 176, 223],
        "deletion, recreation, first failure, checksum, assertion in time order"
    );
    assert!(
        d.summary.contains(
            "failed at 00:01:04: md5sum: can't open '/data/data.txt': Connection timed out (console.log:176)"
        ),
        "{}",
        d.summary
    );
    assert!(d.symptoms.iter().any(|s| s.rule == "data-unreadable"));
    assert_eq!(d.fingerprint.len(), 32);
}

#[test]
fn a_remount_in_between_means_recovery_ran_and_the_test_is_not_blamed() {
    let d = one(&[case(T, TestStatus::Failed, DOC)], &founding(true));
    assert_eq!(d.rule, "data-unreadable");
    assert_eq!(d.blame, Blame::Product);
}

#[test]
fn the_same_symptom_without_a_cr_deletion_is_a_product_bug() {
    let events: Vec<Event> =
        founding(false).into_iter().filter(|e| e.field("kind") != Some("ShareManager")).collect();
    let d = one(&[case(T, TestStatus::Failed, DOC)], &events);
    assert_eq!((d.rule.as_str(), d.blame), ("data-unreadable", Blame::Product));
}

#[test]
fn deleting_the_cr_on_purpose_is_not_blamed() {
    let d = one(
        &[case(
            "ShareManager CR deletion",
            TestStatus::Failed,
            "Deletes the sharemanager custom resource and checks it is recreated.",
        )],
        &founding(false)
            .into_iter()
            .map(|mut e| {
                e.test = Some("S::ShareManager CR deletion".into());
                e
            })
            .collect::<Vec<_>>(),
    );
    assert_ne!(d.rule, "deleted-cr-instead-of-pod");
}

#[test]
fn passing_tests_get_no_diagnosis_and_unexplained_failures_are_unclassified() {
    let d = diagnose(&[case(T, TestStatus::Passed, DOC)], &founding(false), &RuleSet::builtin());
    assert!(d.is_empty());
    let events = vec![ev(T, EventKind::Assertion, 1, 5, &[("message", "boom")])];
    let d = one(&[case(T, TestStatus::Failed, DOC)], &events);
    assert_eq!((d.rule.as_str(), d.blame, d.confidence), (UNCLASSIFIED, Blame::Unknown, 0.0));
    assert_eq!(d.evidence.len(), 1);
}

#[test]
fn corrupted_lost_timeout_and_infrastructure() {
    let t = |events: Vec<Event>| one(&[case(T, TestStatus::Failed, "Reboot-free recovery")], &events).rule;
    assert_eq!(
        t(vec![ev(
            T,
            EventKind::Checksum,
            1,
            1,
            &[("result", "mismatch"), ("got", "aa"), ("expected", "bb")]
        )]),
        "data-corrupted"
    );
    assert_eq!(t(vec![ev(T, EventKind::Checksum, 1, 1, &[("result", "empty_input")])]), "data-lost");
    assert_eq!(
        t(vec![ev(
            T,
            EventKind::Checksum,
            1,
            1,
            &[("result", "read_failed"), ("got", "md5sum: can't open 'x': No such file or directory")]
        )]),
        "data-lost"
    );
    assert_eq!(t(vec![ev(T, EventKind::Timeout, 1, 1, &[("condition", "pvc-1 healthy")])]), "wait-timeout");
    assert_eq!(
        t(vec![ev(
            T,
            EventKind::Retry,
            1,
            1,
            &[("condition", "v"), ("attempt", "617"), ("max_attempts", "600")]
        )]),
        "wait-timeout"
    );
    assert_eq!(t(vec![ev(T, EventKind::Wait, 1, 1, &[("condition", "v"), ("attempt", "12")])]), UNCLASSIFIED);
    let mut infra = ev(T, EventKind::Infra, 1, 1, &[("reason", "not_ready"), ("node", "n1")]);
    infra.test = None;
    let events = vec![infra, ev(T, EventKind::Timeout, 2, 2, &[("condition", "pvc-1 healthy")])];
    let d = one(&[case(T, TestStatus::Failed, "Volume stays healthy")], &events);
    assert_eq!((d.rule.as_str(), d.blame), ("infrastructure", Blame::Infrastructure));
    assert!(d.symptoms.iter().any(|s| s.rule == "wait-timeout"));
}

/// A pod deleted at 1 s, a pod created at `recreated_at` under `recreated_name`, and the wait for the
/// deletion given up at 300 s.
fn deletion_wait(recreated_name: &str, recreated_at: i64) -> Vec<Event> {
    let im = "instance-manager-5e7a";
    vec![
        ev(
            T,
            EventKind::ObjectDeleted,
            1_000,
            40,
            &[("kind", "Pod"), ("name", im), ("plane", "workload"), ("via", "harness")],
        ),
        ev(
            T,
            EventKind::ObjectCreated,
            recreated_at,
            3,
            &[("kind", "Pod"), ("name", recreated_name), ("via", "controller")],
        ),
        ev(
            T,
            EventKind::Timeout,
            300_000,
            42,
            &[("condition", "an object's deletion (in `wait_delete_pod`)"), ("function", "wait_delete_pod")],
        ),
        ev(T, EventKind::Assertion, 310_000, 16, &[("message", "AssertionError")]),
    ]
}

#[test]
fn waiting_for_the_deletion_of_a_pod_recreated_under_its_name_blames_the_test() {
    let tests =
        [case(T, TestStatus::Failed, "Delete the instance-manager pod and verify the volume recovers.")];
    let d = one(&tests, &deletion_wait("instance-manager-5e7a", 1_800));
    assert_eq!((d.rule.as_str(), d.blame), ("waited-for-deletion-of-recreated-pod", Blame::Test));
    assert!(d.summary.contains("pod `instance-manager-5e7a`"), "{}", d.summary);
    assert!(d.symptoms.iter().any(|s| s.rule == "wait-timeout"), "{:?}", d.symptoms);
    let roles: Vec<(&str, u32)> = d.evidence.iter().map(|e| (e.role.as_str(), e.line)).collect();
    assert_eq!(roles, [("deleted", 40), ("recreated", 3), ("stuck", 42), ("assertion", 16)]);

    // Another name (a ReplicaSet's new pod), or the pod back only after the wait gave up: the wait could
    // have ended, so it is only a timeout.
    assert_eq!(one(&tests, &deletion_wait("instance-manager-9f0b", 1_800)).rule, "wait-timeout");
    assert_eq!(one(&tests, &deletion_wait("instance-manager-5e7a", 301_000)).rule, "wait-timeout");
    // A wait still going (no timeout, no attempt past its budget) is not a failure of the wait.
    let mut going = deletion_wait("instance-manager-5e7a", 1_800);
    going[2] = ev(
        T,
        EventKind::Wait,
        300_000,
        42,
        &[("condition", "pod instance-manager-5e7a deleted"), ("attempt", "3")],
    );
    assert_ne!(one(&tests, &going).rule, "waited-for-deletion-of-recreated-pod");
    // The controller deleting its own pod is not the test's deletion.
    let mut by_controller = deletion_wait("instance-manager-5e7a", 1_800);
    by_controller[0].fields.insert("via".into(), "controller".into());
    assert_eq!(one(&tests, &by_controller).rule, "wait-timeout");
}

/// A run of four tests: `Before` fails first; `Power Off` powers node n2 off without waiting and sends a
/// power-on too early; the node goes NotReady (a run-level Kubernetes event); `Next` and, 30 minutes on,
/// `Much Later` fail.
fn cascade() -> (Vec<TestCase>, Vec<Event>) {
    const OFF: &str = "Power Off Volume Node Without Waiting";
    let tests = vec![
        case("Before", TestStatus::Failed, ""),
        case(OFF, TestStatus::Passed, ""),
        case("Next", TestStatus::Failed, ""),
        case("Much Later", TestStatus::Failed, ""),
    ];
    let mut not_ready = ev("", EventKind::Infra, 140_000, 1, &[("reason", "not_ready"), ("node", "n2")]);
    not_ready.test = None;
    not_ready.source = SourceRef::new("kubectl-events.log", 1, 0, 0);
    let events = vec![
        ev("Before", EventKind::Assertion, 50_000, 5, &[("message", "AssertionError")]),
        ev(
            OFF,
            EventKind::Infra,
            100_000,
            20,
            &[("reason", "power_off"), ("node", "n2"), ("waiting", "False")],
        ),
        ev(OFF, EventKind::Infra, 105_000, 30, &[("reason", "power_on"), ("node", "n2")]),
        not_ready,
        ev("Next", EventKind::Assertion, 410_000, 60, &[("message", "AssertionError")]),
        ev("Much Later", EventKind::Assertion, 2_000_000, 90, &[("message", "AssertionError")]),
    ];
    (tests, events)
}

fn rules_of(tests: &[TestCase], events: &[Event]) -> Vec<(String, String)> {
    diagnose(tests, events, &RuleSet::builtin()).into_iter().map(|d| (d.test.name, d.rule)).collect()
}

#[test]
fn a_node_an_earlier_test_left_down_is_that_tests_fault_in_every_later_failure() {
    let (tests, events) = cascade();
    let d = diagnose(&tests, &events, &RuleSet::builtin());
    let by = |name: &str| d.iter().find(|d| d.test.name == name).expect(name);
    let next = by("Next");
    assert_eq!((next.rule.as_str(), next.blame), ("node-left-down-by-earlier-test", Blame::Test));
    assert!(
        next.summary.starts_with(
            "Node `n2` was down during this test because an earlier test left it off: \
             `Power Off Volume Node Without Waiting` powered it off at 00:01:40 (console.log:20)"
        ),
        "{}",
        next.summary
    );
    assert!(next.summary.contains("the last power-on attempt: console.log:30"), "{}", next.summary);
    let roles: Vec<(&str, &str, u32)> =
        next.evidence.iter().map(|e| (e.role.as_str(), e.file.as_str(), e.line)).collect();
    assert_eq!(
        roles,
        [
            ("off", "console.log", 20),
            ("on", "console.log", 30),
            ("down", "kubectl-events.log", 1),
            ("failure", "console.log", 60)
        ]
    );
    // The NotReady was within ten minutes of `Next`, so the infrastructure rule fits too; it is a symptom.
    assert!(next.symptoms.iter().any(|s| s.rule == "infrastructure"), "{:?}", next.symptoms);
    // Far past the run-level window, the cause still reaches the later test…
    assert_eq!(by("Much Later").rule, "node-left-down-by-earlier-test");
    // …but never a test that ran before it.
    assert_eq!(by("Before").rule, UNCLASSIFIED);
}

#[test]
fn a_node_that_came_back_or_that_the_test_took_down_itself_is_not_an_earlier_tests_fault() {
    let (tests, mut events) = cascade();
    // Ready again after the power-off: the failures that follow are not explained by it.
    let mut ready =
        ev("", EventKind::StateChanged, 200_000, 2, &[("kind", "Node"), ("name", "n2"), ("state", "ready")]);
    ready.test = None;
    let mut back = events.clone();
    back.push(ready);
    let rules = rules_of(&tests, &back);
    assert!(rules.iter().all(|(_, r)| r != "node-left-down-by-earlier-test"), "{rules:?}");
    assert!(rules.contains(&("Next".into(), "infrastructure".into())), "{rules:?}");

    // A NotReady long after the power-off has another cause.
    let mut late = events.clone();
    late[3].time_ms = Some(100_000 + 11 * 60_000);
    let rules = rules_of(&tests, &late);
    assert!(rules.iter().all(|(_, r)| r != "node-left-down-by-earlier-test"), "{rules:?}");

    // Another node's NotReady does not join.
    let mut other = events.clone();
    other[3].fields.insert("node".into(), "n3".into());
    let rules = rules_of(&tests, &other);
    assert!(rules.iter().all(|(_, r)| r != "node-left-down-by-earlier-test"), "{rules:?}");

    // `Next` powering the node off itself: its own fault injection, not a cascade.
    events.push(ev("Next", EventKind::Infra, 300_000, 55, &[("reason", "power_off"), ("node", "n2")]));
    let rules = rules_of(&tests, &events);
    assert!(!rules.contains(&("Next".into(), "node-left-down-by-earlier-test".into())), "{rules:?}");
    assert!(rules.contains(&("Much Later".into(), "node-left-down-by-earlier-test".into())), "{rules:?}");
}

/// `scope = "earlier"` sees other tests' events and run-level ones up to the test's end, not after it;
/// `{x.test}` names the test an event belongs to.
#[test]
fn the_earlier_scope_ends_with_the_test() {
    let rules = RuleSet::from_toml(
        "mine.toml",
        r#"
[[rule]]
id = "seen-before"
blame = "test"
confidence = 0.5
summary = "{x.test|'the run'} at {x.time}"
[[rule.match]]
as = "x"
type = "infra"
scope = "earlier"
pick = "last"
"#,
    )
    .expect("valid");
    let (tests, events) = cascade();
    let d = diagnose(&tests, &events, &rules);
    let summary = |name: &str| d.iter().find(|d| d.test.name == name).map(|d| d.summary.clone());
    assert_eq!(d.iter().find(|d| d.test.name == "Before").map(|d| d.rule.as_str()), Some(UNCLASSIFIED));
    assert_eq!(summary("Next").as_deref(), Some("the run at 00:02:20"));
    assert_eq!(summary("Much Later").as_deref(), Some("the run at 00:02:20"));
    let mut only_tests = events.clone();
    only_tests.remove(3);
    let d = diagnose(&tests, &only_tests, &rules);
    let next = d.iter().find(|d| d.test.name == "Next").expect("Next");
    assert_eq!(next.summary, "Power Off Volume Node Without Waiting at 00:01:45");
}

#[test]
fn joins_and_windows() {
    let rules = RuleSet::from_toml(
        "mine.toml",
        r#"
[[rule]]
id = "pod-not-back"
blame = "product"
confidence = 0.6
summary = "pod {gone.name} was deleted and {back.name|'nothing'} came back"
[[rule.match]]
as = "gone"
type = "object_deleted"
where = { kind = "Pod" }
[[rule.match]]
as = "back"
type = "object_created"
join = { name = "{gone.name}" }
after = "gone"
within = "1m"
"#,
    )
    .expect("valid");
    let tests = [case(T, TestStatus::Failed, "")];
    let del = ev(T, EventKind::ObjectDeleted, 0, 1, &[("kind", "Pod"), ("name", "p1")]);
    let other = ev(T, EventKind::ObjectCreated, 1_000, 2, &[("kind", "Pod"), ("name", "p2")]);
    let late = ev(T, EventKind::ObjectCreated, 120_000, 3, &[("kind", "Pod"), ("name", "p1")]);
    let ok = ev(T, EventKind::ObjectCreated, 30_000, 4, &[("kind", "Pod"), ("name", "p1")]);
    let d = diagnose(&tests, &[del.clone(), other.clone(), late.clone()], &rules);
    assert_eq!(d[0].rule, UNCLASSIFIED, "p2 does not join, p1 came back too late");
    let d = diagnose(&tests, &[del, other, late, ok], &rules);
    assert_eq!(d[0].rule, "pod-not-back");
    assert_eq!(d[0].summary, "pod p1 was deleted and p1 came back");
}

#[test]
fn rule_file_errors_are_located() {
    let cases = [
        (
            "[[rule]]\nid = \"a\"\nblame = \"nobody\"\nconfidence = 0.5\nsummary = \"s\"\n[[rule.match]]\ntype = \"wait\"\n",
            3,
            9,
            "unknown blame",
        ),
        (
            "[[rule]]\nid = \"a\"\nblame = \"test\"\nconfidence = 0.5\nsummary = \"s\"\n[[rule.match]]\ntype = \"waiting\"\n",
            7,
            8,
            "unknown event type",
        ),
        (
            "[[rule]]\nid = \"a\"\nblame = \"test\"\nconfidence = 0.5\nsummary = \"{x.name}\"\n[[rule.match]]\nas = \"y\"\ntype = \"wait\"\n",
            5,
            11,
            "no match is named \"x\"",
        ),
        (
            "[[rule]]\nid = \"a\"\nblame = \"test\"\nconfidence = 0.5\nsummary = \"s\"\n[[rule.match]]\ntype = \"wait\"\nwhere = { condition = \"~(\" }\n",
            8,
            23,
            "invalid regex",
        ),
        (
            "[[rule]]\nid = \"a\"\nblame = \"test\"\nconfidence = 0.5\nsummary = \"s\"\n[[rule.match]]\nas = \"a\"\ntype = \"wait\"\n[[rule.match]]\ntype = \"wait\"\nafter = \"a\"\nwithin = \"ten minutes\"\n",
            12,
            10,
            "not a duration",
        ),
        (
            "[[rule]]\nid = \"a\"\nblame = \"test\"\nconfidence = 0.5\nsummary = \"s\"\n[[rule.match]]\ntype = \"wait\"\nafter = \"nope\"\n",
            8,
            9,
            "not the name of an earlier match",
        ),
        (
            "[[rule]]\nid = \"a\"\nblame = \"test\"\nconfidence = 1.5\nsummary = \"s\"\n[[rule.match]]\ntype = \"wait\"\n",
            4,
            14,
            "between 0 and 1",
        ),
        ("[[rule]]\nid = \"a\"\nbogus = 1\n", 3, 1, "bogus"),
    ];
    for (text, line, col, needle) in cases {
        let errs = RuleSet::check("mine.toml", text);
        let e = errs.first().unwrap_or_else(|| panic!("no error for {text}"));
        assert_eq!((e.file.as_str(), e.line, e.column), ("mine.toml", line, col), "{text}\n{e}");
        assert!(e.message.contains(needle), "{e}");
    }
    assert!(RuleSet::check("b.toml", RuleSet::builtin_source()).is_empty());
}

/// Found by the rule_file fuzz target (minimised to these 3 bytes): a lone CR is no line end in TOML, so
/// an error after stray CRs was placed on a line the file does not have.
#[test]
fn stray_carriage_returns_do_not_move_errors_to_lines_that_do_not_exist() {
    for text in ["\"\r\r", "[[rule]]\rid = \"a\"\r\nblame = \"nobody\"\n"] {
        let lines = u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX);
        for e in RuleSet::check("mine.toml", text) {
            assert!(e.line >= 1 && e.line <= lines, "{e} in a file of {lines} line(s)");
        }
        if let Err(e) = crate::extract::Pack::from_toml("mine.toml", text) {
            assert!(e.line <= lines, "{e}");
        }
    }
    let e = &RuleSet::check("mine.toml", "\"\r\r")[0];
    assert_eq!((e.line, e.column), (1, 4), "{e}");
}

/// A user's rule file cannot make faultline hang or exhaust memory: the regex engine never backtracks,
/// compiled programs are capped, nesting is capped, and each refusal is one located line.
#[test]
fn pathological_regexes_are_refused_with_a_short_located_error() {
    let rule = |re: &str| {
        format!(
            "[[rule]]\nid = \"a\"\nblame = \"test\"\nconfidence = 0.5\nsummary = \"s\"\n[[rule.match]]\ntype = \"wait\"\n\
             where = {{ condition = '~{re}' }}\n"
        )
    };
    let alternation: Vec<String> = (0..3000).map(|i| format!("w{i:05}[a-z]{{1,40}}")).collect();
    for (re, needle) in [
        ("(a{1000}){1000}".to_string(), "size limit"),
        (r"(?:\w{100}){100}".to_string(), "size limit"),
        (alternation.join("|"), "size limit"),
        (format!("{}a{}", "(".repeat(5000), ")".repeat(5000)), "nested parentheses"),
    ] {
        let started = std::time::Instant::now();
        let errs = RuleSet::check("mine.toml", &rule(&re));
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{needle}: {:?}", started.elapsed());
        let e = errs.first().unwrap_or_else(|| panic!("{needle}: accepted"));
        assert_eq!((e.line, e.column), (8, 23), "{e}");
        assert!(e.message.contains(needle), "{e}");
        assert!(e.message.len() < 400, "one short line, not the pattern again: {} bytes", e.message.len());
    }
    // What backtracking engines die on is fine here, and matching stays linear.
    let rules = RuleSet::from_toml("redos.toml", &rule("^(a|aa)+$|(a+)+b|(.*a){12}x")).expect("compiles");
    let hostile = "a".repeat(100_000) + "!";
    let tests = vec![case("t", TestStatus::Failed, &hostile)];
    let wait = ev("t", EventKind::Wait, 1, 1, &[("condition", &hostile)]);
    let started = std::time::Instant::now();
    let _ = diagnose(&tests, &[wait], &rules);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn a_user_rule_replaces_a_builtin_one_with_the_same_id() {
    let mut rules = RuleSet::builtin();
    let n = rules.infos().len();
    rules.merge(
        RuleSet::from_toml(
            "mine.toml",
            "[[rule]]\nid = \"wait-timeout\"\nblame = \"infrastructure\"\nconfidence = 0.4\nsummary = \"slow cluster\"\n[[rule.match]]\ntype = \"timeout\"\n",
        )
        .expect("valid"),
    );
    assert_eq!(rules.infos().len(), n);
    let d = diagnose(&[case(T, TestStatus::Failed, "")], &[ev(T, EventKind::Timeout, 1, 1, &[])], &rules);
    assert_eq!(
        (d[0].rule.as_str(), d[0].blame, d[0].summary.as_str()),
        ("wait-timeout", Blame::Infrastructure, "slow cluster")
    );
}

#[test]
fn a_users_pod_convention_replaces_the_builtin_one() {
    let mut rules = RuleSet::builtin();
    rules.merge(
        RuleSet::from_toml(
            "mine.toml",
            "[[pod_for]]\nkind = \"ShareManager\"\npod = \"nfs-{name}\"\n[[rule]]\nid = \"x\"\nblame = \"test\"\nconfidence = 0.5\npriority = 1000\nsummary = \"pod {gone.pod}\"\n[[rule.match]]\nas = \"gone\"\ntype = \"object_deleted\"\n",
        )
        .expect("valid"),
    );
    let events = [ev(T, EventKind::ObjectDeleted, 1, 1, &[("kind", "ShareManager"), ("name", "pvc-9")])];
    let d = diagnose(&[case(T, TestStatus::Failed, "")], &events, &rules);
    assert_eq!(d[0].summary, "pod nfs-pvc-9");
}

#[test]
fn rules_that_explain_each_other_still_give_a_root_cause() {
    let rules = RuleSet::from_toml(
        "mine.toml",
        r#"
[[rule]]
id = "a"
blame = "product"
confidence = 0.5
priority = 1
explains = ["b"]
summary = "a"
[[rule.match]]
type = "timeout"

[[rule]]
id = "b"
blame = "test"
confidence = 0.5
priority = 2
explains = ["a"]
summary = "b"
[[rule.match]]
type = "timeout"
"#,
    )
    .expect("valid");
    let d = diagnose(&[case(T, TestStatus::Failed, "")], &[ev(T, EventKind::Timeout, 1, 1, &[])], &rules);
    assert_eq!((d[0].rule.as_str(), d[0].symptoms.len()), ("b", 1));
}
