//! Evaluating rules over one test's events, and turning hits into one diagnosis per failed test.

use super::compile::{Clause, Operand, Predicate, Rule, Scope, Test};
use super::template::{self, Template};
use super::{Diagnosis, Evidence, RuleSet, Symptom, TestRef, UNCLASSIFIED};
use crate::event::{Event, EventKind};
use crate::fast_hash::FastMap;
use crate::fingerprint;
use crate::model::TestCase;
use crate::parse_float::parse_f64;

/// Candidates tried per clause, and predicate checks per rule and test: backtracking over pathological
/// inputs stays bounded; a rule that runs out simply does not match.
const MAX_CANDIDATES: usize = 256;
const MAX_CHECKS: usize = 200_000;
/// Run-level events (no test) are considered from this long before a test's first event.
const RUN_LOOKBACK_MS: i64 = 10 * 60_000;

struct Pools<'a, 't> {
    events: &'a [Event],
    /// This test's events, by time.
    test: Vec<usize>,
    /// This test's and the run-level events near it, by time.
    run: Vec<usize>,
    /// This test's last event: `scope = "earlier"` looks no further, so no later test can be blamed.
    end: Option<i64>,
    /// Test ids to names, for `{x.test}` and evidence from another test: built on first use, so a run of
    /// 100,000 tests whose rules never look at another test does not pay for it.
    names: &'a Names<'t>,
}

type NameMap<'a> = FastMap<&'a str, &'a str>;

struct Names<'a> {
    tests: &'a [TestCase],
    map: std::cell::OnceCell<NameMap<'a>>,
}

impl<'a> Names<'a> {
    fn of<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        let map =
            self.map.get_or_init(|| self.tests.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect());
        map.get(id).copied().unwrap_or(id)
    }
}

/// The candidates a clause may bind, by time: borrowed, because `search` asks for them at every step of
/// its backtracking.
fn pool<'a>(pools: &'a Pools<'a, '_>, earlier: &'a [Vec<usize>], c: &Clause, slot: usize) -> &'a [usize] {
    match c.scope {
        Scope::Test => &pools.test,
        Scope::Run => &pools.run,
        Scope::Earlier => {
            let (Some(list), Some(end)) = (earlier.get(slot), pools.end) else { return &[] };
            &list[..list.partition_point(|&i| time_of(&pools.events[i]) <= end)]
        }
    }
}

/// For each clause slot of a rule (its matches, then its absences) with `scope = "earlier"`: the run's
/// timed events that fit the clause's types and fields, by time. Filtered once per analysis rather than
/// per test, so a rule looking back over a run of thousands of failures stays linear in its events; only
/// what fits is sorted.
fn earlier_pools(rule: &Rule, events: &[Event]) -> Vec<Vec<usize>> {
    rule.clauses
        .iter()
        .chain(&rule.absent)
        .map(|c| match c.scope {
            Scope::Earlier => {
                let mut fit: Vec<usize> = (0..events.len())
                    .filter(|&i| {
                        events[i].time_ms.is_some() && c.alternatives.iter().any(|p| predicate(&events[i], p))
                    })
                    .collect();
                crate::sort::sort_by_key(&mut fit, |&i| (time_of(&events[i]), i));
                fit
            }
            _ => Vec::new(),
        })
        .collect()
}

fn time_of(e: &Event) -> i64 {
    e.time_ms.unwrap_or(i64::MIN)
}

fn field_matches(e: &Event, field: &str, t: &Test) -> bool {
    let Some(v) = e.field(field) else { return false };
    match t {
        Test::Equals(s) => v == s,
        Test::Regex(r) => r.is_match(v),
        Test::Compare(ord, eq, operand) => {
            let Some(x) = parse_f64(v.trim()) else { return false };
            let y = match operand {
                Operand::Number(n) => *n,
                Operand::Field(f) => match e.field(f).and_then(|s| parse_f64(s.trim())) {
                    Some(y) => y,
                    None => return false,
                },
            };
            match x.partial_cmp(&y) {
                Some(std::cmp::Ordering::Equal) => *eq,
                Some(o) => o == *ord,
                None => false,
            }
        }
    }
}

fn predicate(e: &Event, p: &Predicate) -> bool {
    p.kinds.contains(&e.kind)
        && p.fields.iter().all(|(f, t)| field_matches(e, f, t))
        && !p.not_fields.iter().any(|(f, t)| field_matches(e, f, t))
}

struct Matcher<'a, 't> {
    rule: &'a Rule,
    pools: &'a Pools<'a, 't>,
    /// `earlier_pools` of this rule.
    earlier: &'a [Vec<usize>],
    rules: &'a RuleSet,
    test: &'a TestCase,
    checks: usize,
}

impl Matcher<'_, '_> {
    fn lookup(&self, caps: &[Option<usize>], names: &[String], cap: &str, field: &str) -> Option<String> {
        if cap == "test" {
            return match field {
                "name" => Some(self.test.name.clone()),
                "id" => Some(self.test.id.clone()),
                "message" => self.test.message.clone(),
                _ => None,
            };
        }
        let i = names.iter().position(|n| n == cap)?;
        let e = self.pools.events.get((*caps.get(i)?)?)?;
        match field {
            "time" => e.time_ms.map(clock),
            "source" => Some(format!("{}:{}", short(&e.source.file), e.source.line)),
            "type" => Some(e.kind.as_str().to_string()),
            // The test the event belongs to, by name: a cause found in another test names that test. An
            // event's own `test` field (a user's pattern may capture one) keeps its meaning.
            "test" => e
                .field("test")
                .or_else(|| {
                    let id = e.test.as_deref()?;
                    Some(self.pools.names.of(id))
                })
                .map(str::to_string),
            "pod" => {
                let kind = e.field("kind")?;
                let (_, pattern) = self.rules.pods.iter().find(|(k, _)| k == kind)?;
                let t = template::parse(pattern);
                Some(template::render(&t, &|c, f| {
                    if c == "name" && f.is_empty() { e.field("name").map(str::to_string) } else { None }
                }))
            }
            f => e.field(f).map(str::to_string),
        }
    }

    fn render(&self, t: &Template, caps: &[Option<usize>]) -> String {
        let names: Vec<String> = self.rule.clauses.iter().map(|c| c.name.clone()).collect();
        template::render(t, &|c, f| self.lookup(caps, &names, c, f))
    }

    fn fits(&mut self, c: &Clause, idx: usize, caps: &[Option<usize>]) -> bool {
        self.checks += 1;
        let e = &self.pools.events[idx];
        if !c.alternatives.iter().any(|p| predicate(e, p)) {
            return false;
        }
        let t = time_of(e);
        if let Some(a) = c.after.and_then(|a| caps.get(a).copied().flatten()) {
            let ta = time_of(&self.pools.events[a]);
            if t < ta || (t == ta && idx == a) {
                return false;
            }
            if let Some(w) = c.within_ms
                && t.saturating_sub(ta) > w
            {
                return false;
            }
        }
        if let Some(b) = c.before.and_then(|b| caps.get(b).copied().flatten()) {
            let tb = time_of(&self.pools.events[b]);
            if t > tb {
                return false;
            }
            if let Some(w) = c.within_ms
                && tb.saturating_sub(t) > w
            {
                return false;
            }
        }
        if let Some((a, b)) = c.between {
            let (Some(a), Some(b)) = (caps.get(a).copied().flatten(), caps.get(b).copied().flatten()) else {
                return false;
            };
            let (ta, tb) = (time_of(&self.pools.events[a]), time_of(&self.pools.events[b]));
            if t < ta || t > tb {
                return false;
            }
        }
        if c.join.is_empty() {
            return true;
        }
        // Only joins need the clause names (copying them for every candidate was most of `fits`).
        let names: Vec<String> = self.rule.clauses.iter().map(|c| c.name.clone()).collect();
        c.join.iter().all(|(field, contains, t)| {
            let want = template::render(t, &|cap, f| self.lookup(caps, &names, cap, f));
            match e.field(field) {
                Some(v) if *contains => v.contains(&want),
                Some(v) => v == want,
                None => false,
            }
        })
    }

    fn search(&mut self, k: usize, caps: &mut Vec<Option<usize>>) -> bool {
        if self.checks > MAX_CHECKS {
            return false;
        }
        if k == self.rule.clauses.len() {
            return self.absences_hold(caps);
        }
        let c = &self.rule.clauses[k];
        let p = pool(self.pools, self.earlier, c, k);
        let mut tried = 0;
        for j in 0..p.len() {
            let idx = if c.pick_last { p[p.len() - 1 - j] } else { p[j] };
            if !self.fits(c, idx, caps) {
                continue;
            }
            caps[k] = Some(idx);
            if self.search(k + 1, caps) {
                return true;
            }
            tried += 1;
            if tried >= MAX_CANDIDATES || self.checks > MAX_CHECKS {
                break;
            }
        }
        caps[k] = None;
        c.optional && self.search(k + 1, caps)
    }

    fn absences_hold(&mut self, caps: &[Option<usize>]) -> bool {
        let first = self.rule.clauses.len();
        for (j, c) in self.rule.absent.iter().enumerate() {
            for &idx in pool(self.pools, self.earlier, c, first + j) {
                if self.fits(c, idx, caps) {
                    return false;
                }
            }
        }
        true
    }
}

/// `HH:MM:SS` (UTC). Written out rather than `format("%H:%M:%S")`, whose run-time strftime parser and
/// formatter were the only reason the wasm module held chrono's formatting code.
fn clock(ms: i64) -> String {
    use chrono::Timelike;
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| format!("{:02}:{:02}:{:02}", d.hour(), d.minute(), d.second()))
        .unwrap_or_default()
}

fn short(file: &str) -> &str {
    file.rsplit(['/', '!']).next().unwrap_or(file)
}

struct Hit {
    rule: usize,
    caps: Vec<Option<usize>>,
    confidence: f64,
    summary: String,
    fix: String,
}

/// The text a rule's intent cues are matched against: what the test says it is for.
fn intent_text(test: &TestCase, events: &[Event], idx: &[usize]) -> String {
    let mut s = format!("{}\n{}\n", test.name, test.documentation.as_deref().unwrap_or(""));
    for &i in idx {
        let e = &events[i];
        if e.kind == EventKind::StepStarted && e.field("depth") == Some("0") {
            s.push_str(e.field("name").unwrap_or(""));
            s.push('\n');
        }
    }
    s
}

pub fn diagnose(tests: &[TestCase], events: &[Event], rules: &RuleSet) -> Vec<Diagnosis> {
    // Looked up only (never iterated): foldhash rather than SipHash.
    let mut by_test: FastMap<&str, Vec<usize>> = FastMap::default();
    for (i, e) in events.iter().enumerate() {
        if let Some(t) = &e.test {
            by_test.entry(t.as_str()).or_default().push(i);
        }
    }
    let run_level: Vec<usize> = (0..events.len()).filter(|&i| events[i].test.is_none()).collect();
    let names = Names { tests, map: std::cell::OnceCell::new() };
    let earlier: Vec<Vec<Vec<usize>>> = if tests.iter().any(|t| t.status.is_failure()) {
        rules.rules.iter().map(|r| earlier_pools(r, events)).collect()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for test in tests.iter().filter(|t| t.status.is_failure()) {
        let mut idx = by_test.get(test.id.as_str()).cloned().unwrap_or_default();
        crate::sort::sort_by_key(&mut idx, |&i| (time_of(&events[i]), i));
        let first = idx.iter().filter_map(|&i| events[i].time_ms).min().or(test.start_ms);
        let last = idx.iter().filter_map(|&i| events[i].time_ms).max().or_else(|| test.end_ms());
        let mut run: Vec<usize> = match (first, last) {
            (Some(a), Some(b)) => run_level
                .iter()
                .copied()
                .filter(|&i| events[i].time_ms.is_some_and(|t| t >= a - RUN_LOOKBACK_MS && t <= b))
                .collect(),
            _ => Vec::new(),
        };
        run.extend(&idx);
        crate::sort::sort_by_key(&mut run, |&i| (time_of(&events[i]), i));
        let pools = Pools { events, test: idx, run, end: last, names: &names };
        let intent = intent_text(test, events, &pools.test);
        let mut hits = Vec::new();
        for (ri, rule) in rules.rules.iter().enumerate() {
            if rule.require.as_ref().is_some_and(|r| !r.is_match(&intent))
                || rule.forbid.as_ref().is_some_and(|r| r.is_match(&intent))
            {
                continue;
            }
            let earlier = earlier.get(ri).map(Vec::as_slice).unwrap_or(&[]);
            let mut m = Matcher { rule, pools: &pools, earlier, rules, test, checks: 0 };
            let mut caps = vec![None; rule.clauses.len()];
            if m.search(0, &mut caps) {
                let mut confidence = rule.confidence;
                if rule.boost.as_ref().is_some_and(|b| b.is_match(&intent)) {
                    confidence = (confidence + 0.05).min(1.0);
                }
                // Two decimals: a confidence is a judgement, not a measurement.
                confidence = (confidence * 100.0).round() / 100.0;
                let summary = m.render(&rule.summary_t, &caps);
                let fix = m.render(&rule.fix_t, &caps);
                hits.push(Hit { rule: ri, caps, confidence, summary, fix });
            }
        }
        out.push(diagnosis_of(test, events, &pools, rules, hits));
    }
    out
}

fn diagnosis_of(
    test: &TestCase,
    events: &[Event],
    pools: &Pools<'_, '_>,
    rules: &RuleSet,
    hits: Vec<Hit>,
) -> Diagnosis {
    let test_ref = TestRef { id: test.id.clone(), name: test.name.clone() };
    let message = test.message.clone().unwrap_or_default();
    let explained = |h: &Hit| {
        let id = &rules.rules[h.rule].id;
        hits.iter().any(|o| o.rule != h.rule && rules.rules[o.rule].explains.contains(id))
    };
    let rank = |a: &Hit, b: &Hit| {
        let (ra, rb) = (&rules.rules[a.rule], &rules.rules[b.rule]);
        (ra.priority, a.confidence)
            .partial_cmp(&(rb.priority, b.confidence))
            .unwrap_or(std::cmp::Ordering::Equal)
    };
    // Rules that explain each other (a user's pack may say so) would leave no root at all; the failure
    // still matched something, so rank every hit rather than call it unclassified.
    let root = hits
        .iter()
        .enumerate()
        .filter(|(_, h)| !explained(h))
        .max_by(|(_, a), (_, b)| rank(a, b))
        .or_else(|| hits.iter().enumerate().max_by(|(_, a), (_, b)| rank(a, b)))
        .map(|(i, _)| i);
    let Some(root) = root else {
        return unclassified(test_ref, &message, events, &pools.test);
    };
    let h = &hits[root];
    let rule = &rules.rules[h.rule];
    let mut evidence: Vec<Evidence> = rule
        .evidence
        .iter()
        .filter_map(|&c| h.caps.get(c).copied().flatten().map(|e| (rule.clauses[c].name.clone(), e)))
        .map(|(role, e)| {
            let mut ev = evidence_of(&role, &events[e]);
            // A line of another test is a cause that test left behind: say whose it is.
            ev.test = events[e]
                .test
                .as_deref()
                .filter(|id| *id != test.id)
                .map(|id| TestRef { id: id.to_string(), name: pools.names.of(id).to_string() });
            ev
        })
        .collect();
    crate::sort::sort_by_key(&mut evidence, |e| (e.time_ms.unwrap_or(i64::MIN), e.file.clone(), e.line));
    evidence.dedup_by(|a, b| a.file == b.file && a.line == b.line);
    let symptoms = hits
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != root)
        .map(|(_, s)| Symptom {
            rule: rules.rules[s.rule].id.clone(),
            blame: rules.rules[s.rule].blame,
            summary: s.summary.clone(),
        })
        .collect();
    Diagnosis {
        test: test_ref,
        rule: rule.id.clone(),
        blame: rule.blame,
        confidence: h.confidence,
        summary: h.summary.clone(),
        fix: h.fix.clone(),
        evidence,
        symptoms,
        fingerprint: fingerprint::fingerprint(&format!("{}\n{message}", rule.id)),
    }
}

fn evidence_of(role: &str, e: &Event) -> Evidence {
    Evidence {
        role: role.to_string(),
        file: e.source.file.clone(),
        line: e.source.line,
        line_end: e.source.line_end,
        time: e.time.clone(),
        time_ms: e.time_ms,
        event_type: e.kind.as_str().to_string(),
        text: None,
        test: None,
    }
}

/// No rule explains the failure: cite its most telling lines, never a guess.
fn unclassified(test: TestRef, message: &str, events: &[Event], idx: &[usize]) -> Diagnosis {
    let telling: Vec<&Event> = idx
        .iter()
        .map(|&i| &events[i])
        .filter(|e| match e.kind {
            EventKind::Assertion | EventKind::IoError | EventKind::Timeout | EventKind::Infra => true,
            EventKind::Checksum => e.field("result") != Some("match"),
            _ => false,
        })
        .collect();
    let mut evidence: Vec<Evidence> = telling
        .iter()
        .rev()
        .take(6)
        .map(|e| evidence_of("telling", e))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    evidence.dedup_by(|a, b| a.file == b.file && a.line == b.line);
    Diagnosis {
        test,
        rule: UNCLASSIFIED.into(),
        blame: super::Blame::Unknown,
        confidence: 0.0,
        summary: if message.is_empty() {
            "No rule explains this failure; the lines below are the most telling ones.".into()
        } else {
            format!("No rule explains this failure ({message}); the lines below are the most telling ones.")
        },
        fix: String::new(),
        evidence,
        symptoms: Vec::new(),
        fingerprint: fingerprint::fingerprint(&format!("{UNCLASSIFIED}\n{message}")),
    }
}

#[cfg(test)]
mod tests {
    /// The hand-written clock is chrono's `%H:%M:%S`, before 1970 and out of range included.
    #[test]
    fn clock_is_strftime() {
        let chrono = |ms| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|d| d.format("%H:%M:%S").to_string())
                .unwrap_or_default()
        };
        let mut ms: i64 = -86_400_000 * 3;
        while ms < 86_400_000 * 3 {
            assert_eq!(super::clock(ms), chrono(ms), "{ms}");
            ms += 997;
        }
        for ms in [i64::MIN, i64::MAX, 1_731_751_920_123, -1, 0, 8_210_298_412_799_999] {
            assert_eq!(super::clock(ms), chrono(ms), "{ms}");
        }
    }
}
