//! Typed events: the facts a diagnosis reasons over, each pointing back to the line that states it.
//!
//! An event has a closed [`EventKind`] and open string `fields`. Kinds are fixed so rules can rely on
//! them; fields are open so a user's pattern pack can capture whatever its suite logs. The field names
//! the built-in pack uses are listed on each kind.

use serde::{Deserialize, Serialize};

use crate::source::SourceRef;

mod fields;

pub use fields::{Entry, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// An object was deleted. Fields: `kind`, `group`, `name`, `namespace`, `plane`, `via`
    /// (`kubectl`, `api`, `step`, `controller`).
    ObjectDeleted,
    /// An object was created. Same fields as `object_deleted`.
    ObjectCreated,
    /// An object came back after a deletion (a controller or the test recreated it).
    ObjectRecreated,
    /// An object's state changed. Fields: `kind`, `name`, `state`, optionally `from`.
    StateChanged,
    /// The test polled for a condition. Fields: `condition`, `attempt`, `max_attempts`, `last_observed`.
    Wait,
    /// A retry of an action. Fields as for `wait`.
    Retry,
    /// A wait or operation ran out of time or retries. Fields: `condition`, `last_observed`.
    Timeout,
    /// A data checksum check. Fields: `path`, `pod`, `expected`, `got`, `result`
    /// (`match`, `mismatch`, `empty`, `empty_input`, `read_failed`).
    Checksum,
    /// An I/O or mount error on the data path. Fields: `error`, `path`, `server`.
    IoError,
    /// A node or infrastructure event. Fields: `node`, `reason` (`not_ready`, `reboot`, `power_off`,
    /// `power_on`, `eviction`, `image_pull`, `dns`, `cloud_api`).
    Infra,
    /// A test started. Fields: `name`.
    TestStarted,
    /// A test ended. Fields: `name`, `status`.
    TestFinished,
    /// A step (Robot keyword, pytest phase) started. Fields: `name`, `depth`.
    StepStarted,
    /// A step ended. Fields: `name`, `status`, `depth`.
    StepFinished,
    /// A failure message asserted by the test itself. Fields: `message`.
    Assertion,
}

impl EventKind {
    pub const ALL: [EventKind; 15] = [
        EventKind::ObjectDeleted,
        EventKind::ObjectCreated,
        EventKind::ObjectRecreated,
        EventKind::StateChanged,
        EventKind::Wait,
        EventKind::Retry,
        EventKind::Timeout,
        EventKind::Checksum,
        EventKind::IoError,
        EventKind::Infra,
        EventKind::TestStarted,
        EventKind::TestFinished,
        EventKind::StepStarted,
        EventKind::StepFinished,
        EventKind::Assertion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ObjectDeleted => "object_deleted",
            EventKind::ObjectCreated => "object_created",
            EventKind::ObjectRecreated => "object_recreated",
            EventKind::StateChanged => "state_changed",
            EventKind::Wait => "wait",
            EventKind::Retry => "retry",
            EventKind::Timeout => "timeout",
            EventKind::Checksum => "checksum",
            EventKind::IoError => "io_error",
            EventKind::Infra => "infra",
            EventKind::TestStarted => "test_started",
            EventKind::TestFinished => "test_finished",
            EventKind::StepStarted => "step_started",
            EventKind::StepFinished => "step_finished",
            EventKind::Assertion => "assertion",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which plane an object belongs to. Deleting a management-plane object (a custom resource) is an
/// instruction to a controller; deleting a workload-plane object (a Pod) is what a real fault looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Plane {
    Management,
    Workload,
    Unknown,
}

impl Plane {
    pub fn as_str(self) -> &'static str {
        match self {
            Plane::Management => "management",
            Plane::Workload => "workload",
            Plane::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Event {
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// The same instant as RFC 3339 UTC text (`2024-11-16T10:15:02.815Z`), for people reading the JSON.
    pub time: Option<String>,
    /// UTC milliseconds since the epoch; `None` when neither the line nor its neighbours had a time.
    pub time_ms: Option<i64>,
    /// Id of the test the event belongs to; `None` for run-level events.
    pub test: Option<String>,
    pub source: SourceRef,
    /// Id of the pattern that recognised the event.
    pub extractor: String,
    pub fields: Fields,
}

impl Event {
    /// RFC 3339 text for a time in UTC ms.
    pub fn rfc3339(ms: i64) -> Option<String> {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}
