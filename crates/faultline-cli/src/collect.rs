//! Turns command-line paths into inputs. This is the only place the CLI touches the file system; the
//! analysis gets each file as a [`LogSource`] it reads (from the start, in chunks) as often as it needs:
//! once for a report or an archive, in passes for a plain log, which is thus never held whole.

use std::io::{Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use faultline_core::{InputFile, LogSource};

/// A file found on the command line or in a folder given there.
pub struct DiskFile {
    path: PathBuf,
    /// Its label in the report.
    pub name: String,
    pub size: u64,
}

/// Bytes read from disk at a time.
const CHUNK_BYTES: usize = 1 << 20;

impl LogSource for DiskFile {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> u64 {
        self.size
    }

    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        self.read_from(0, sink)
    }

    /// Seeks: the quoted lines of a big log are read from a line start near them.
    fn read_from(
        &mut self,
        offset: u64,
        sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    ) -> Result<(), String> {
        let mut file = std::fs::File::open(&self.path).map_err(|e| e.to_string())?;
        if offset > 0 {
            file.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
        }
        let mut buf = vec![0u8; CHUNK_BYTES];
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.to_string()),
            };
            if sink(&buf[..n]).is_break() {
                return Ok(());
            }
        }
    }
}

impl DiskFile {
    /// The whole file in memory (baseline artifacts are compared line by line, so they are held).
    pub fn into_input(self) -> Result<InputFile, String> {
        std::fs::read(&self.path)
            .map(|bytes| InputFile::new(self.name, bytes))
            .map_err(|e| format!("{}: {e}", self.path.display()))
    }
}

pub struct Collected {
    pub files: Vec<DiskFile>,
    /// One line per path that could not be read.
    pub problems: Vec<String>,
}

pub fn collect(paths: &[PathBuf]) -> Collected {
    let mut c = Collected { files: Vec::new(), problems: Vec::new() };
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, p, &mut c),
            Ok(_) => add(p, label(p), &mut c),
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
            add(&p, label(rel), c);
        }
    }
}

fn label(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A file that cannot be opened (or is a directory read as a file) is a problem now, not a warning later.
fn add(path: &Path, name: String, c: &mut Collected) {
    let opened = std::fs::File::open(path).and_then(|f| {
        let size = f.metadata()?.len();
        // Reading one byte catches what opening does not (EISDIR on some systems).
        let _: usize = (&f).read(&mut [0u8; 1])?;
        Ok(size)
    });
    match opened {
        Ok(size) => c.files.push(DiskFile { path: path.to_path_buf(), name, size }),
        Err(e) => c.problems.push(format!("{}: {e}", path.display())),
    }
}
