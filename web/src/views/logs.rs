//! Every log the analysis read, in a virtualised viewer: the worker keeps the text and sends the rows on
//! screen in blocks. Evidence lines are highlighted, a deep link lands on its line, and search (literal
//! or regex), level filters and jump-to-line work on logs of a million lines.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use faultline_core::logline::Level;
use faultline_core::logview::{LogQuery, ViewLine};
use faultline_core::warning::{Warning, WarningKind};
use yew::prelude::*;

use crate::app::{Ctx, go};
use crate::engine::Hits;
use crate::route::Route;
use crate::views::virtual_list::VirtualList;

const ROW_PX: f64 = 20.0;
/// Rows fetched from the worker at a time.
const BLOCK: usize = 200;
/// The level chips, most severe first; each is labelled with its [`Level::name`].
const LEVELS: [Level; 5] = [Level::Fatal, Level::Error, Level::Warn, Level::Info, Level::Debug];

/// The worker's last successful search. Its file is kept so that after a switch to another log the old
/// log's hits are not shown as that log's lines while its own search runs; its query, so the rows are
/// marked with the search the hits came from.
struct Found {
    file: String,
    query: LogQuery,
    hits: Hits,
}

/// The worker's last answer, hits or an error. Until it is for the current file and query, the count
/// on screen belongs to an older search and the status says the search is still running.
struct Answered {
    file: String,
    query: LogQuery,
    error: Option<String>,
}

/// Fetched rows of the current file and filter, by block; `asked` holds blocks on their way.
#[derive(Default)]
struct Cache {
    key: String,
    blocks: HashMap<usize, Rc<Vec<ViewLine>>>,
    asked: HashSet<usize>,
    /// Why the last block asked for did not come: said on the page, or its rows would wait forever.
    failed: Option<String>,
}

fn level_class(level: Option<Level>) -> Option<&'static str> {
    match level? {
        Level::Fatal | Level::Error => Some("fl-lv-error"),
        Level::Warn => Some("fl-lv-warn"),
        Level::Debug | Level::Trace => Some("fl-lv-debug"),
        Level::Info => None,
    }
}

/// `text` split at its marks (`[start, end)` in UTF-16 units, as the engine sends them), each part with
/// whether it is marked. A mark that overlaps the one before, is empty or runs past the end is left
/// out; an offset inside a surrogate pair moves to the next character.
fn split_marks<'a>(text: &'a str, marks: &[[u32; 2]]) -> Vec<(&'a str, bool)> {
    // Every character boundary: (UTF-16 offset, byte offset), ascending in both.
    let mut bounds: Vec<(u32, usize)> = Vec::with_capacity(text.len() + 1);
    let mut units = 0_u32;
    for (byte, c) in text.char_indices() {
        bounds.push((units, byte));
        units += c.len_utf16() as u32;
    }
    bounds.push((units, text.len()));
    let byte_of = |unit: u32| {
        let i = bounds.partition_point(|&(u, _)| u < unit);
        bounds.get(i).map(|&(_, byte)| byte)
    };
    let mut parts = Vec::new();
    let mut at = 0;
    for &[start, end] in marks {
        let (Some(start), Some(end)) = (byte_of(start), byte_of(end)) else { continue };
        if start < at || end <= start || end > text.len() {
            continue;
        }
        if start > at {
            parts.push((&text[at..start], false));
        }
        parts.push((&text[start..end], true));
        at = end;
    }
    if at < text.len() || parts.is_empty() {
        parts.push((&text[at..], false));
    }
    parts
}

fn marked(text: &str, marks: &[[u32; 2]]) -> Html {
    split_marks(text, marks)
        .into_iter()
        .map(|(part, mark)| {
            if mark {
                html! { <mark>{ part }</mark> }
            } else {
                html! { { part } }
            }
        })
        .collect()
}

#[function_component(Logs)]
pub fn logs() -> Html {
    let ctx = use_context::<Ctx>();
    let cache = use_mut_ref(Cache::default);
    let version = use_state(|| 0_u64);
    let pattern = use_state(String::new);
    let regex = use_state(|| false);
    let case_sensitive = use_state(|| false);
    let only_matches = use_state(|| true);
    let levels = use_state(BTreeSet::<&'static str>::new);
    let found = use_state(|| None::<Found>);
    let answered = use_state(|| None::<Answered>);
    let jump = use_state(String::new);
    let Some(ctx) = ctx else { return Html::default() };
    let logs = &ctx.loaded.logs;
    if logs.is_empty() {
        return html! { <p class="fl-empty">{ "No logs among these artifacts: the test results are in Summary and Tests." }</p> };
    }
    let file = ctx.route.file.clone().filter(|f| ctx.loaded.is_log(f)).unwrap_or_else(|| logs[0].clone());
    let line_count =
        ctx.loaded.report.files.iter().find(|f| f.name == file).and_then(|f| f.lines).unwrap_or(0) as usize;

    let query = LogQuery {
        pattern: (*pattern).clone(),
        regex: *regex,
        case_sensitive: *case_sensitive,
        levels: LEVELS.into_iter().filter(|l| levels.contains(l.name())).collect(),
        limit: 0,
    };
    let filtering = !query.pattern.is_empty() || !query.levels.is_empty();

    // Every change of file or query runs the search in the worker (a short pause after typing).
    {
        let engine = ctx.engine.clone();
        let found = found.clone();
        let answered = answered.clone();
        use_effect_with((file.clone(), query.clone()), move |(file, query)| {
            let (file, query) = (file.clone(), query.clone());
            let timer = gloo::timers::callback::Timeout::new(
                if query.pattern.is_empty() { 0 } else { 250 },
                move || {
                    if query.pattern.is_empty() && query.levels.is_empty() {
                        found.set(None);
                        answered.set(None);
                        return;
                    }
                    wasm_bindgen_futures::spawn_local(async move {
                        let error = match engine.search(&file, &query).await {
                            Ok(hits) => {
                                found.set(Some(Found { file: file.clone(), query: query.clone(), hits }));
                                None
                            }
                            Err(e) => Some(e.message),
                        };
                        answered.set(Some(Answered { file, query, error }));
                    });
                },
            );
            move || drop(timer)
        });
    }

    let (hits_here, other_file) = match &*found {
        Some(Found { file: f, hits: h, .. }) if *f == file => (Some(h), false),
        Some(_) => (None, true),
        None => (None, false),
    };
    let filtered: Option<Rc<Vec<u32>>> = match (hits_here, filtering && *only_matches) {
        (Some(h), true) => Some(h.lines.clone()),
        // Another log's hits: no rows until this log's own search is back.
        (None, true) if other_file => Some(Rc::new(Vec::new())),
        _ => None,
    };
    let hit_set: Rc<Vec<u32>> = match hits_here {
        Some(h) if filtering => h.lines.clone(),
        _ => Rc::new(Vec::new()),
    };
    let rows = filtered.as_ref().map_or(line_count, |f| f.len());
    // Rows are fetched with the query behind the hits on screen, for their marks: a half-typed regex
    // never blanks the view, and marks always agree with the hits.
    let marks_query: Option<LogQuery> =
        found.as_ref().map(|f| f.query.clone()).filter(|q| filtering && !q.pattern.is_empty());
    let key = format!(
        "{file}\u{0}{}\u{0}{}",
        filtered.as_ref().map_or(0, |f| Rc::as_ptr(f) as usize),
        marks_query.as_ref().and_then(|q| serde_json::to_string(q).ok()).unwrap_or_default()
    );
    {
        let mut c = cache.borrow_mut();
        if c.key != key {
            *c = Cache { key: key.clone(), ..Cache::default() };
        }
    }

    let on_range = {
        let cache = cache.clone();
        let engine = ctx.engine.clone();
        let version = version.clone();
        let file = file.clone();
        let filtered = filtered.clone();
        let marks_query = marks_query.clone();
        let key = key.clone();
        Callback::from(move |(start, end): (usize, usize)| {
            for block in start / BLOCK..=end.saturating_sub(1) / BLOCK {
                if block * BLOCK >= rows.max(1) {
                    break;
                }
                {
                    let mut c = cache.borrow_mut();
                    if c.blocks.contains_key(&block) || !c.asked.insert(block) {
                        continue;
                    }
                }
                let (engine, cache, version, file, filtered, marks_query, key) = (
                    engine.clone(),
                    cache.clone(),
                    version.clone(),
                    file.clone(),
                    filtered.clone(),
                    marks_query.clone(),
                    key.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    let first = block * BLOCK;
                    let marks = marks_query.as_ref();
                    let result = match &filtered {
                        None => engine.lines(&file, first as u32 + 1, BLOCK as u32, marks).await,
                        Some(lines) => {
                            let end = (first + BLOCK).min(lines.len());
                            engine.pick(&file, lines.get(first..end).unwrap_or_default(), marks).await
                        }
                    };
                    let mut c = cache.borrow_mut();
                    if c.key != key {
                        return;
                    }
                    c.asked.remove(&block);
                    match result {
                        Ok(lines) => {
                            c.blocks.insert(block, Rc::new(lines));
                            c.failed = None;
                        }
                        Err(e) => c.failed = Some(e.located()),
                    }
                    drop(c);
                    version.set(*version + 1);
                });
            }
        })
    };

    let evidence: Rc<HashSet<u32>> = Rc::new(
        ctx.loaded
            .report
            .diagnoses
            .iter()
            .flat_map(|d| d.evidence.iter())
            .filter(|e| e.file == file)
            .flat_map(|e| e.line..=e.line_end.unwrap_or(e.line).max(e.line))
            .collect(),
    );
    let target = ctx.route.line.filter(|_| ctx.route.file.as_deref().is_none_or(|f| f == file));
    let scroll_to = target.map(|line| match &filtered {
        Some(f) => f.partition_point(|&n| n < line),
        None => line.saturating_sub(1) as usize,
    });

    let render = {
        let cache = cache.clone();
        let ctx = ctx.clone();
        let file = file.clone();
        let hit_set = hit_set.clone();
        let evidence = evidence.clone();
        Callback::from(move |i: usize| {
            let c = cache.borrow();
            let Some(row) = c.blocks.get(&(i / BLOCK)).and_then(|b| b.get(i % BLOCK)).cloned() else {
                return html! { <div class="fl-log-row fl-loading" role="listitem"><span class="fl-ln"></span><span class="fl-text">{ "…" }</span></div> };
            };
            let n = row.line;
            let route = Route::log_line(&file, n);
            let classes = classes!(
                "fl-log-row",
                level_class(row.level),
                evidence.contains(&n).then_some("fl-evidence-line"),
                (target == Some(n)).then_some("fl-target"),
                hit_set.binary_search(&n).is_ok().then_some("fl-hit"),
            );
            html! {
                <div class={classes} role="listitem" data-line={n.to_string()}>
                    <a class="fl-ln" href={route.to_hash()} onclick={go(&ctx, route.clone())} aria-label={format!("Line {n}")}>{ n }</a>
                    <span class="fl-text">{ marked(&row.text, &row.marks) }</span>
                </div>
            }
        })
    };

    let file_options =
        logs.iter().map(|l| html! { <option value={l.clone()} selected={*l == file}>{ l.clone() }</option> });
    let on_file = {
        let navigate = ctx.navigate.clone();
        Callback::from(move |e: Event| {
            if let Some(value) = crate::form::value_of(&e) {
                navigate.emit(Route { file: Some(value), ..Route::view(crate::route::View::Logs) });
            }
        })
    };
    let on_pattern = crate::form::bind(&pattern);
    let toggle = |state: &UseStateHandle<bool>| {
        let state = state.clone();
        Callback::from(move |_: Event| state.set(!*state))
    };
    let level_boxes = LEVELS.iter().map(|level| {
        let name = level.name();
        let on = levels.contains(name);
        let levels = levels.clone();
        let onchange = Callback::from(move |_: Event| {
            let mut next = (*levels).clone();
            if !next.remove(name) {
                next.insert(name);
            }
            levels.set(next);
        });
        html! { <label class={classes!("fl-chip", format!("fl-chip-{name}"))}><input type="checkbox" checked={on} {onchange} />{ name }</label> }
    });
    let on_jump_input = crate::form::bind(&jump);
    let on_jump = {
        let navigate = ctx.navigate.clone();
        let jump = jump.clone();
        let file = file.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Ok(n) = jump.trim().parse::<u32>() {
                navigate.emit(Route::log_line(&file, n.max(1)));
            }
        })
    };
    let pending = filtering && answered.as_ref().is_none_or(|a| a.file != file || a.query != query);
    let search_error = answered.as_ref().and_then(|a| a.error.as_ref());
    let status = match (hits_here, filtering) {
        _ if pending => "Searching…".to_owned(),
        (Some(h), true) => format!(
            "{} matching line(s){}",
            h.total,
            if h.truncated { format!(", first {} shown", h.lines.len()) } else { String::new() }
        ),
        _ => format!("{line_count} lines"),
    };
    let rows_error = cache.borrow().failed.clone();
    let cached_version = *version;
    html! {
        <div class="fl-logs" data-version={cached_version.to_string()}>
            <div class="fl-toolbar" role="search">
                <label>{ "Log " }<select aria-label="Log file" onchange={on_file}>{ for file_options }</select></label>
                <input type="search" aria-label="Search the log" placeholder="Search…" value={(*pattern).clone()} oninput={on_pattern} />
                <label class="fl-chip"><input type="checkbox" checked={*regex} onchange={toggle(&regex)} />{ "Regex" }</label>
                <label class="fl-chip"><input type="checkbox" checked={*case_sensitive} onchange={toggle(&case_sensitive)} />{ "Match case" }</label>
                <label class="fl-chip"><input type="checkbox" checked={*only_matches} onchange={toggle(&only_matches)} />{ "Only matching lines" }</label>
                <span class="fl-levels" role="group" aria-label="Levels">{ for level_boxes }</span>
                <form class="fl-jump" onsubmit={on_jump}>
                    <input type="number" min="1" aria-label="Jump to line" placeholder="Line" value={(*jump).clone()} oninput={on_jump_input} />
                    <button type="submit">{ "Go" }</button>
                </form>
                <span class="fl-muted" aria-live="polite">{ status }</span>
            </div>
            if let Some(note) = cut_note(&ctx.loaded.report.warnings, &file) { <p class="fl-hint fl-cut" role="note">{ note }</p> }
            if let Some(err) = search_error { <p class="fl-error" role="alert">{ err.clone() }</p> }
            if let Some(err) = rows_error { <p class="fl-error fl-rows-error" role="alert">{ format!("Could not read the lines of {file}: {err}") }</p> }
            if !pending && search_error.is_none() && filtered.as_ref().is_some_and(|f| f.is_empty()) {
                <p class="fl-empty fl-no-match">{ no_match_text(&file, &query) }</p>
            }
            <VirtualList rows={rows} row_height={ROW_PX} render={render} on_range={on_range} scroll_to={scroll_to} data_key={key.clone()}
                         class={classes!("fl-log-view")} label={format!("Lines of {file}")} />
        </div>
    }
}

/// What of `file` was not read, when the worker's budget cut it: the view ends early and must say so,
/// and what gets all of it read. Only a body that could not be read again is cut (a URL's, where the
/// browser could not spool it); a dropped log of any size is read whole.
fn cut_note(warnings: &[Warning], file: &str) -> Option<String> {
    let w = warnings.iter().find(|w| {
        w.file == file && w.kind == WarningKind::LimitExceeded && w.message.contains("maxHeldBytes")
    })?;
    let what = match w.line {
        Some(line) => format!("This view ends at line {}: {}", line.saturating_sub(1), w.message),
        None => w.message.clone(),
    };
    Some(format!("{what}. {CUT_ADVICE}"))
}

const CUT_ADVICE: &str = "To analyse all of it, download the file and drop it here: a dropped file is read \
                          whole at any size, from your disk.";

/// Why the list is empty, in the user's terms: which log, which search, and how to see every line.
fn no_match_text(file: &str, query: &LogQuery) -> String {
    let what = match (query.pattern.is_empty(), query.levels.is_empty()) {
        (false, true) => format!("matches “{}”", query.pattern),
        (true, false) => format!("is at level {}", level_names(&query.levels)),
        _ => format!("matches “{}” at level {}", query.pattern, level_names(&query.levels)),
    };
    format!("No line of {file} {what}. Untick “Only matching lines” to see every line.")
}

fn level_names(levels: &[Level]) -> String {
    let names: Vec<&str> = LEVELS.iter().filter(|l| levels.contains(l)).map(|l| l.name()).collect();
    names.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::split_marks;

    #[test]
    fn an_empty_result_says_which_log_and_which_search() {
        use super::{LogQuery, no_match_text};
        use faultline_core::logline::Level;
        let q = |pattern: &str, levels: Vec<Level>| LogQuery {
            pattern: pattern.into(),
            levels,
            ..LogQuery::default()
        };
        assert_eq!(
            no_match_text("console.log", &q("timed out", vec![])),
            "No line of console.log matches “timed out”. Untick “Only matching lines” to see every line."
        );
        assert_eq!(
            no_match_text("dmesg.log", &q("", vec![Level::Error, Level::Fatal])),
            "No line of dmesg.log is at level fatal or error. Untick “Only matching lines” to see every line."
        );
        assert!(no_match_text("a.log", &q("x", vec![Level::Warn])).contains("matches “x” at level warn"));
    }

    #[test]
    fn a_log_cut_by_the_held_budget_says_where_it_ends() {
        use faultline_core::warning::{Warning, WarningKind};
        let cut = "only the first 1000 of 5000 bytes were analysed: the wasm package holds at most 1000 bytes of \
                   input (options.limits.maxHeldBytes); the rest was not read";
        let warnings = vec![
            Warning::new(WarningKind::LimitExceeded, "console.log", "the run has 12000 events; …").at_line(3),
            Warning::new(WarningKind::LimitExceeded, "console.log", cut).at_line(13),
            Warning::new(WarningKind::LimitExceeded, "junit.xml", cut),
        ];
        assert_eq!(
            super::cut_note(&warnings, "console.log"),
            Some(format!("This view ends at line 12: {cut}. {}", super::CUT_ADVICE))
        );
        assert_eq!(super::cut_note(&warnings, "junit.xml"), Some(format!("{cut}. {}", super::CUT_ADVICE)));
        assert_eq!(super::cut_note(&warnings, "dmesg.log"), None);
    }

    #[test]
    fn marks_split_the_text_at_utf16_offsets() {
        assert_eq!(
            split_marks("md5sum: timed out", &[[0, 3], [8, 13]]),
            [("md5", true), ("sum: ", false), ("timed", true), (" out", false)]
        );
        // 😀 is two UTF-16 units and four bytes; é is one unit and two bytes.
        assert_eq!(split_marks("😀 échec", &[[3, 8]]), [("😀 ", false), ("échec", true)]);
        assert_eq!(split_marks("abc", &[]), [("abc", false)]);
        assert_eq!(split_marks("", &[]), [("", false)]);
    }

    #[test]
    fn bad_marks_are_left_out_not_trusted() {
        assert_eq!(
            split_marks("abcdef", &[[2, 4], [3, 5], [1, 1], [4, 99]]),
            [("ab", false), ("cd", true), ("ef", false)]
        );
        assert_eq!(
            split_marks("😀x", &[[1, 3]]),
            [("😀", false), ("x", true)],
            "inside a pair: the next character"
        );
    }
}
