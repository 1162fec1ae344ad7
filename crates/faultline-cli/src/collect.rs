//! Turns command-line paths into in-memory inputs. This is the only place the CLI touches the file
//! system; everything after it works on bytes, exactly as in the browser.

use std::path::{Path, PathBuf};

use faultline_core::InputFile;

pub struct Collected {
    pub files: Vec<InputFile>,
    /// One line per path that could not be read.
    pub problems: Vec<String>,
}

pub fn collect(paths: &[PathBuf]) -> Collected {
    let mut c = Collected { files: Vec::new(), problems: Vec::new() };
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, p, &mut c),
            Ok(_) => read(p, label(p), &mut c),
            Err(e) => c.problems.push(format!("{}: {e}", p.display())),
        }
    }
    c
}

/// Directory members are named relative to the directory given, so a report does not depend on where
/// the artifacts were unpacked. Entries are sorted so reports are deterministic; symlinked directories
/// are not followed (a loop would never end).
fn walk(root: &Path, dir: &Path, c: &mut Collected) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            c.problems.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
        if meta.is_dir() {
            walk(root, &p, c);
        } else if meta.is_file() || (meta.file_type().is_symlink() && p.is_file()) {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            read(&p, label(rel), c);
        }
    }
}

fn label(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn read(path: &Path, name: String, c: &mut Collected) {
    match std::fs::read(path) {
        Ok(bytes) => c.files.push(InputFile::new(name, bytes)),
        Err(e) => c.problems.push(format!("{}: {e}", path.display())),
    }
}
