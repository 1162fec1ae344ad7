//! Where each report goes. `--format` and `--out` pair up by position on the command line: an `--out`
//! belongs to the `--format` just before it, so `--format json --out r.json --format text` writes JSON
//! to a file and text to the terminal. clap gives each value's position; the pairing is checked here.

use std::path::PathBuf;

use crate::cli::Format;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    Stdout,
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub dest: Dest,
}

/// Pairs formats and outs given with their argv positions. No format at all means text to stdout.
pub fn plan(formats: &[(usize, Format)], outs: &[(usize, PathBuf)]) -> Result<Vec<Output>, String> {
    let mut plan: Vec<Output> =
        formats.iter().map(|&(_, format)| Output { format, dest: Dest::Stdout }).collect();
    for (pos, path) in outs {
        let Some(i) = formats.iter().rposition(|(fpos, _)| fpos < pos) else {
            return Err(format!(
                "--out {} comes before any --format; write `--format FORMAT --out FILE`",
                path.display()
            ));
        };
        if plan[i].dest != Dest::Stdout {
            return Err(format!(
                "--format {} has two --out files; give the format again for a second file",
                plan[i].format.name()
            ));
        }
        if plan.iter().any(|o| o.dest == Dest::File(path.clone())) {
            return Err(format!("{} is the --out of two formats", path.display()));
        }
        plan[i].dest = Dest::File(path.clone());
    }
    if plan.is_empty() {
        plan.push(Output { format: Format::Text, dest: Dest::Stdout });
    }
    let to_stdout: Vec<&str> =
        plan.iter().filter(|o| o.dest == Dest::Stdout).map(|o| o.format.name()).collect();
    if to_stdout.len() > 1 {
        return Err(format!(
            "{} formats would all go to standard output ({}); give all but one an --out FILE",
            to_stdout.len(),
            to_stdout.join(", ")
        ));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(f: &[(usize, Format)], o: &[(usize, &str)]) -> Result<Vec<Output>, String> {
        plan(f, &o.iter().map(|(i, s)| (*i, PathBuf::from(s))).collect::<Vec<_>>())
    }

    #[test]
    fn outs_pair_with_the_format_before_them() {
        let plan = p(&[(1, Format::Json), (5, Format::Text)], &[(3, "r.json")]).unwrap_or_default();
        assert_eq!(
            plan,
            vec![
                Output { format: Format::Json, dest: Dest::File("r.json".into()) },
                Output { format: Format::Text, dest: Dest::Stdout }
            ]
        );
        assert_eq!(
            p(&[], &[]).unwrap_or_default(),
            vec![Output { format: Format::Text, dest: Dest::Stdout }]
        );
    }

    #[test]
    fn ambiguous_pairings_are_refused() {
        assert!(p(&[(3, Format::Json)], &[(1, "r.json")]).is_err_and(|e| e.contains("before any --format")));
        assert!(p(&[(1, Format::Json)], &[(3, "a"), (5, "b")]).is_err_and(|e| e.contains("two --out")));
        assert!(
            p(&[(1, Format::Json), (3, Format::Html)], &[]).is_err_and(|e| e.contains("standard output"))
        );
        assert!(
            p(&[(1, Format::Json), (5, Format::Html)], &[(3, "x"), (7, "x")])
                .is_err_and(|e| e.contains("two formats"))
        );
    }
}
