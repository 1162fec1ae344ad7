//! The replay: one test's events as numbered steps with phases and gaps, and the state of every object
//! the run touched at any step — so a user can scrub through the run and watch the ShareManager CR vanish
//! and come back while its pod never restarts.

use crate::fast_hash::FastMap;

use serde::{Deserialize, Serialize};

use crate::event::{Event, EventKind};
use crate::source::SourceRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Setup,
    FaultInjection,
    RecoveryWait,
    Verification,
    Teardown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Step {
    pub index: usize,
    /// Index into the report's `events`.
    pub event: usize,
    pub time_ms: Option<i64>,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub phase: Phase,
    pub source: SourceRef,
}

/// A stretch with no event longer than [`GAP_MS`]: where a test sat waiting, or logs are missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Gap {
    pub after_step: usize,
    pub from_ms: i64,
    pub to_ms: i64,
}

pub const GAP_MS: i64 = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Existence {
    Exists,
    Deleted,
    Recreated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ObjectState {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub plane: Option<String>,
    pub existence: Existence,
    /// Last reported state (`running`, `starting`, `remount_requested`…).
    pub phase: Option<String>,
    /// `Kind/name` of the owning object, where naming conventions tell it.
    pub owner: Option<String>,
    pub last_seen: SourceRef,
    pub changed_at_step: usize,
}

/// One test's replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Timeline {
    pub test: String,
    pub steps: Vec<Step>,
    pub gaps: Vec<Gap>,
    /// Each object's history: (step, state from that step on), in step order.
    #[serde(skip)]
    history: Vec<Vec<ObjectState>>,
}

/// How an object's name tells its owner. Data, not code: a new component is one row.
enum Convention {
    /// `<prefix><owner name>`: `share-manager-pvc-1` belongs to ShareManager `pvc-1`.
    Prefix(&'static str),
    /// `<owner name>-<replicaset hash>-<5 chars>`: a Deployment's pod (`web-db6496856-w7fkr`).
    DeploymentPod,
}

/// (object kind, convention, owner kind), tried in order; the first that fits wins, so the specific
/// share-manager prefix is tried before the generic Deployment suffix.
const OWNERS: [(&str, Convention, &str); 2] = [
    ("Pod", Convention::Prefix("share-manager-"), "ShareManager"),
    ("Pod", Convention::DeploymentPod, "Deployment"),
];

fn owner_by_name(kind: &str, name: &str) -> Option<String> {
    OWNERS.iter().filter(|(k, _, _)| *k == kind).find_map(|(_, convention, owner)| {
        let owned = match convention {
            Convention::Prefix(prefix) => name.strip_prefix(prefix).filter(|rest| !rest.is_empty()),
            Convention::DeploymentPod => deployment_of(name),
        };
        owned.map(|o| format!("{owner}/{o}"))
    })
}

/// Kubernetes names a Deployment's pods `<deployment>-<pod-template-hash>-<5 random chars>`, both
/// suffixes drawn from lowercase letters and digits.
fn deployment_of(pod: &str) -> Option<&str> {
    let mut parts = pod.rsplitn(3, '-');
    let (random, hash, deployment) = (parts.next()?, parts.next()?, parts.next()?);
    let lower_alnum = |s: &str| s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (random.len() == 5
        && (6..=10).contains(&hash.len())
        && lower_alnum(random)
        && lower_alnum(hash)
        && !deployment.is_empty())
    .then_some(deployment)
}

/// The owner an extractor named (`owner` field): `Kind/name` as given, or a bare name whose kind the
/// naming table knows for this object.
fn owner_from_field(kind: &str, name: &str, owner: &str) -> String {
    if owner.contains('/') {
        return owner.to_string();
    }
    let owner_kind = owner_by_name(kind, name).and_then(|o| o.split_once('/').map(|(k, _)| k.to_string()));
    format!("{}/{owner}", owner_kind.as_deref().unwrap_or("ShareManager"))
}

/// Steps of a Robot test that start a fault (after a Given/When/Then/And prefix).
const FAULT_WORDS: [&str; 10] =
    ["delete", "kill", "crash", "reboot", "power off", "restart", "disconnect", "drain", "stop", "shutdown"];
const WAIT_WORDS: [&str; 1] = ["wait"];
const VERIFY_WORDS: [&str; 4] = ["check", "verify", "assert", "validate"];

fn step_words(e: &Event) -> Option<String> {
    let name = e.field("name")?.to_ascii_lowercase();
    let name = ["given ", "when ", "then ", "and ", "but "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(&name);
    Some(name.to_string())
}

fn starts_with_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.starts_with(w))
}

impl Timeline {
    /// `events` are the report's events; `indexes` those of this test, in time order.
    pub fn build(test: &str, events: &[Event], indexes: &[usize]) -> Timeline {
        let mut steps = Vec::new();
        let mut phase = Phase::Setup;
        for &i in indexes {
            let Some(e) = events.get(i) else { continue };
            // Nested keyword starts/ends would drown the replay; the test's own steps stay.
            if matches!(e.kind, EventKind::StepStarted | EventKind::StepFinished)
                && e.field("depth").is_some_and(|d| d != "0")
            {
                continue;
            }
            phase = next_phase(phase, e);
            steps.push(Step {
                index: steps.len(),
                event: i,
                time_ms: e.time_ms,
                kind: e.kind,
                phase,
                source: e.source.clone(),
            });
        }
        let mut gaps = Vec::new();
        for w in steps.windows(2) {
            if let (Some(a), Some(b)) = (w[0].time_ms, w[1].time_ms)
                && b - a > GAP_MS
            {
                gaps.push(Gap { after_step: w[0].index, from_ms: a, to_ms: b });
            }
        }
        let history = object_history(events, &steps);
        Timeline { test: test.to_string(), steps, gaps, history }
    }

    /// Recomputes the object histories, which are not serialised, after the timeline was read back.
    pub fn rebuild_history(&mut self, events: &[Event]) {
        self.history = object_history(events, &self.steps);
    }

    /// Every object touched up to and including `step`, with its state then.
    pub fn state_at(&self, step: usize) -> Vec<ObjectState> {
        self.history
            .iter()
            .filter_map(|h| {
                let upto = h.partition_point(|s| s.changed_at_step <= step);
                upto.checked_sub(1).and_then(|i| h.get(i)).cloned()
            })
            .collect()
    }

    /// Every object's full history, for front ends that draw it (the web app's object panel).
    pub fn histories(&self) -> &[Vec<ObjectState>] {
        &self.history
    }
}

fn next_phase(current: Phase, e: &Event) -> Phase {
    if current == Phase::Teardown {
        return current;
    }
    match e.kind {
        EventKind::StepStarted => {
            if e.field("step_kind") == Some("teardown") {
                return Phase::Teardown;
            }
            let Some(words) = step_words(e) else { return current };
            if starts_with_any(&words, &FAULT_WORDS) {
                Phase::FaultInjection
            } else if current != Phase::Setup && starts_with_any(&words, &WAIT_WORDS) {
                Phase::RecoveryWait
            } else if current != Phase::Setup && starts_with_any(&words, &VERIFY_WORDS) {
                Phase::Verification
            } else {
                current
            }
        }
        EventKind::TestFinished => Phase::Teardown,
        EventKind::ObjectDeleted
            if e.field("via") != Some("controller") && current != Phase::FaultInjection =>
        {
            Phase::FaultInjection
        }
        EventKind::Infra if matches!(e.field("reason"), Some("reboot" | "power_off")) => {
            Phase::FaultInjection
        }
        EventKind::Wait | EventKind::Retry | EventKind::Timeout if current == Phase::FaultInjection => {
            Phase::RecoveryWait
        }
        EventKind::Checksum if current != Phase::Setup => Phase::Verification,
        _ => current,
    }
}

fn object_history(events: &[Event], steps: &[Step]) -> Vec<Vec<ObjectState>> {
    // Looked up only, never walked: a hash map (a B-tree of this key type was only this map's).
    let mut ids: FastMap<(&str, &str), usize> = FastMap::default();
    let mut history: Vec<Vec<ObjectState>> = Vec::new();
    for step in steps {
        let Some(e) = events.get(step.event) else { continue };
        if !matches!(
            e.kind,
            EventKind::ObjectCreated
                | EventKind::ObjectDeleted
                | EventKind::ObjectRecreated
                | EventKind::StateChanged
        ) {
            continue;
        }
        let (Some(kind), Some(name)) = (e.field("kind"), e.field("name")) else { continue };
        let slot = *ids.entry((kind, name)).or_insert_with(|| {
            history.push(Vec::new());
            history.len() - 1
        });
        let prev = history[slot].last().cloned();
        let existence = match (e.kind, prev.as_ref().map(|p| p.existence)) {
            (EventKind::ObjectDeleted, _) => Existence::Deleted,
            (EventKind::ObjectRecreated, _) => Existence::Recreated,
            (EventKind::ObjectCreated, Some(Existence::Deleted)) => Existence::Recreated,
            (EventKind::ObjectCreated, Some(x)) => x,
            (EventKind::ObjectCreated, None) => Existence::Exists,
            (_, Some(x)) => x,
            (_, None) => Existence::Exists,
        };
        // A deleted object has no state, and a rebuilt one starts afresh: carrying `running` across a
        // deletion would show a healthy object where there is none.
        let phase = match (e.kind, prev.as_ref().map(|p| p.existence)) {
            (EventKind::StateChanged, _) => e.field("state").map(str::to_string),
            (EventKind::ObjectDeleted, _) => None,
            (EventKind::ObjectRecreated, _) | (EventKind::ObjectCreated, None | Some(Existence::Deleted)) => {
                e.field("state").map(str::to_string)
            }
            _ => prev.as_ref().and_then(|p| p.phase.clone()),
        };
        let owner =
            e.field("owner").map(|o| owner_from_field(kind, name, o)).or_else(|| owner_by_name(kind, name));
        let state = ObjectState {
            kind: kind.to_string(),
            name: name.to_string(),
            namespace: e
                .field("namespace")
                .map(str::to_string)
                .or_else(|| prev.as_ref().and_then(|p| p.namespace.clone())),
            plane: e
                .field("plane")
                .map(str::to_string)
                .or_else(|| prev.as_ref().and_then(|p| p.plane.clone())),
            existence,
            phase,
            owner: owner.or_else(|| prev.as_ref().and_then(|p| p.owner.clone())),
            last_seen: e.source.clone(),
            changed_at_step: step.index,
        };
        // Four sources often report one deletion; only a real change opens a new history entry.
        match history[slot].last_mut() {
            Some(last) if last.existence == state.existence && last.phase == state.phase => {
                last.last_seen = state.last_seen
            }
            _ => history[slot].push(state),
        }
    }
    history
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Fields;

    fn ev(kind: EventKind, t: i64, fields: &[(&str, &str)]) -> Event {
        let fields: Fields = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Event {
            kind,
            time: None,
            time_ms: Some(t),
            test: Some("t".into()),
            source: SourceRef::new("console.log", t as u32, 0, 0),
            extractor: "x".into(),
            fields,
        }
    }

    fn founding() -> Vec<Event> {
        vec![
            ev(EventKind::StepStarted, 1, &[("name", "Given Create deployment 0"), ("depth", "0")]),
            ev(EventKind::ObjectCreated, 2, &[("kind", "ShareManager"), ("name", "pvc-1")]),
            ev(EventKind::ObjectCreated, 3, &[("kind", "Pod"), ("name", "share-manager-pvc-1")]),
            ev(
                EventKind::StateChanged,
                4,
                &[("kind", "ShareManager"), ("name", "pvc-1"), ("state", "running")],
            ),
            ev(
                EventKind::StepStarted,
                5,
                &[("name", "When Delete sharemanager of deployment 0"), ("depth", "0")],
            ),
            ev(
                EventKind::ObjectDeleted,
                6,
                &[("kind", "ShareManager"), ("name", "pvc-1"), ("plane", "management")],
            ),
            ev(
                EventKind::ObjectDeleted,
                7,
                &[("kind", "ShareManager"), ("name", "pvc-1"), ("plane", "management")],
            ),
            ev(EventKind::ObjectCreated, 8, &[("kind", "ShareManager"), ("name", "pvc-1")]),
            ev(EventKind::Wait, 9, &[("condition", "sharemanager pvc-1 running")]),
            ev(
                EventKind::StateChanged,
                10,
                &[("kind", "ShareManager"), ("name", "pvc-1"), ("state", "running")],
            ),
            ev(EventKind::StepStarted, 70_000, &[("name", "And Check deployment 0 data"), ("depth", "0")]),
            ev(EventKind::Checksum, 70_001, &[("result", "read_failed")]),
            ev(
                EventKind::StepStarted,
                70_002,
                &[("name", "Cleanup"), ("depth", "0"), ("step_kind", "teardown")],
            ),
        ]
    }

    #[test]
    fn phases_and_gaps() {
        let events = founding();
        let idx: Vec<usize> = (0..events.len()).collect();
        let t = Timeline::build("t", &events, &idx);
        let phases: Vec<Phase> = t.steps.iter().map(|s| s.phase).collect();
        use Phase::*;
        assert_eq!(
            phases,
            [
                Setup,
                Setup,
                Setup,
                Setup,
                FaultInjection,
                FaultInjection,
                FaultInjection,
                FaultInjection,
                RecoveryWait,
                RecoveryWait,
                Verification,
                Verification,
                Teardown
            ]
        );
        assert_eq!(t.gaps, vec![Gap { after_step: 9, from_ms: 10, to_ms: 70_000 }]);
    }

    #[test]
    fn the_cr_vanishes_and_returns_while_the_pod_never_restarts() {
        let events = founding();
        let idx: Vec<usize> = (0..events.len()).collect();
        let t = Timeline::build("t", &events, &idx);
        let cr = |step| t.state_at(step).into_iter().find(|o| o.kind == "ShareManager").expect("cr");
        let pod = |step| t.state_at(step).into_iter().find(|o| o.kind == "Pod").expect("pod");
        assert!(t.state_at(0).is_empty());
        assert_eq!((cr(4).existence, cr(4).phase.as_deref()), (Existence::Exists, Some("running")));
        assert_eq!(cr(5).existence, Existence::Deleted);
        assert_eq!(cr(6).changed_at_step, 5, "a second report of the same deletion is not a new change");
        assert_eq!(cr(7).existence, Existence::Recreated);
        assert_eq!(cr(9).phase.as_deref(), Some("running"));
        for step in 2..t.steps.len() {
            assert_eq!(pod(step).existence, Existence::Exists, "step {step}");
        }
        assert_eq!(pod(3).owner.as_deref(), Some("ShareManager/pvc-1"));
    }

    #[test]
    fn the_report_carries_steps_and_gaps_but_not_the_object_history() {
        let events = founding();
        let idx: Vec<usize> = (0..events.len()).collect();
        let json = serde_json::to_value(Timeline::build("t", &events, &idx)).unwrap_or_default();
        assert_eq!(json["steps"][4]["phase"], "fault_injection");
        assert_eq!(json["steps"][4]["type"], "step_started");
        assert_eq!(json["gaps"][0]["after_step"], 9);
        assert!(json.get("history").is_none(), "state_at is a library API; the report stays small");
        let state = serde_json::to_value(Timeline::build("t", &events, &idx).state_at(5)).unwrap_or_default();
        assert_eq!(state[0]["existence"], "deleted");
    }

    #[test]
    fn owners_follow_naming_conventions() {
        assert_eq!(owner_by_name("Pod", "share-manager-pvc-1").as_deref(), Some("ShareManager/pvc-1"));
        assert_eq!(
            owner_by_name("Pod", "e2e-test-deployment-0-db6496856-w7fkr").as_deref(),
            Some("Deployment/e2e-test-deployment-0")
        );
        assert_eq!(owner_by_name("Pod", "e2e-test-statefulset-0"), None, "no hash suffix, no guess");
        assert_eq!(owner_by_name("Pod", "share-manager-"), None);
        assert_eq!(owner_by_name("ShareManager", "pvc-1-db6496856-w7fkr"), None, "only pods are owned so");
        assert_eq!(owner_from_field("Pod", "share-manager-pvc-2", "pvc-2"), "ShareManager/pvc-2");
        assert_eq!(owner_from_field("Pod", "web-x", "ReplicaSet/web-1"), "ReplicaSet/web-1");
    }

    #[test]
    fn state_at_is_read_from_the_precomputed_history() {
        let events = founding();
        let idx: Vec<usize> = (0..events.len()).collect();
        let t = Timeline::build("t", &events, &idx);
        // The deleted/recreated CR has exactly the changes a user scrubs through, and nothing past the end.
        let cr: Vec<(usize, Existence, Option<&str>)> = t
            .histories()
            .iter()
            .flatten()
            .filter(|o| o.kind == "ShareManager")
            .map(|o| (o.changed_at_step, o.existence, o.phase.as_deref()))
            .collect();
        use Existence::*;
        assert_eq!(
            cr,
            [
                (1, Exists, None),
                (3, Exists, Some("running")),
                (5, Deleted, None),
                (7, Recreated, None),
                (9, Recreated, Some("running")),
            ],
            "one entry per change, none for the repeated deletion report at step 6"
        );
        assert_eq!(t.state_at(usize::MAX), t.state_at(t.steps.len() - 1));
    }
}
