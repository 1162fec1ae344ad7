//! The view the URL hash describes: which tab, test, replay step and log line. A copied link opens the
//! same view; the back button walks the views the user went through.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Summary,
    Replay,
    Logs,
    Tests,
    Rules,
}

impl View {
    pub const ALL: [View; 5] = [View::Summary, View::Replay, View::Logs, View::Tests, View::Rules];

    pub fn slug(self) -> &'static str {
        match self {
            View::Summary => "summary",
            View::Replay => "replay",
            View::Logs => "logs",
            View::Tests => "tests",
            View::Rules => "rules",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Summary => "Summary",
            View::Replay => "Replay",
            View::Logs => "Logs",
            View::Tests => "Tests",
            View::Rules => "Rules",
        }
    }

    fn from_slug(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.slug() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Route {
    pub view: View,
    /// Test id.
    pub test: Option<String>,
    /// Replay step (0-based, as in the report).
    pub step: Option<usize>,
    /// Log file name and 1-based line.
    pub file: Option<String>,
    pub line: Option<u32>,
}

impl Route {
    /// Reads `#view=replay&test=…&step=3&file=console.log&line=161`; anything unreadable is ignored.
    pub fn parse(hash: &str) -> Route {
        let mut route = Route::default();
        for (k, v) in form_urlencoded::parse(hash.trim_start_matches('#').as_bytes()) {
            if v.is_empty() {
                continue;
            }
            match &*k {
                "view" => route.view = View::from_slug(&v).unwrap_or_default(),
                "test" => route.test = Some(v.into_owned()),
                "step" => route.step = v.parse().ok(),
                "file" => route.file = Some(v.into_owned()),
                "line" => route.line = v.parse().ok(),
                _ => {}
            }
        }
        route
    }

    pub fn to_hash(&self) -> String {
        let mut out = form_urlencoded::Serializer::for_suffix(String::from("#"), 1);
        out.append_pair("view", self.view.slug());
        if let Some(t) = &self.test {
            out.append_pair("test", t);
        }
        if let Some(s) = self.step {
            out.append_pair("step", &s.to_string());
        }
        if let Some(f) = &self.file {
            out.append_pair("file", f);
        }
        if let Some(l) = self.line {
            out.append_pair("line", &l.to_string());
        }
        out.finish()
    }

    pub fn view(view: View) -> Route {
        Route { view, ..Route::default() }
    }

    pub fn log_line(file: &str, line: u32) -> Route {
        Route { view: View::Logs, file: Some(file.into()), line: Some(line), ..Route::default() }
    }

    pub fn replay(test: &str, step: Option<usize>) -> Route {
        Route { view: View::Replay, test: Some(test.into()), step, ..Route::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_survives_its_hash_with_any_characters_in_names() {
        let r = Route {
            view: View::Replay,
            test: Some("Tests.Negative::Test Longhorn RWX & <b>#2</b>".into()),
            step: Some(12),
            file: Some("bundle.zip/logs/longhorn-manager.log".into()),
            line: Some(161),
        };
        assert_eq!(Route::parse(&r.to_hash()), r);
        assert_eq!(Route::view(View::Logs).to_hash(), "#view=logs", "no stray separator after #");
    }

    #[test]
    fn unreadable_parts_are_ignored() {
        let r = Route::parse("#view=nope&step=-1&line=x&test=&file=a.log");
        assert_eq!(r, Route { file: Some("a.log".into()), ..Route::default() });
        assert_eq!(Route::parse(""), Route::default());
    }
}
