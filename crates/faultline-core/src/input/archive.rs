//! Recursive, bounded expansion of zip, tar, tar.gz/tgz and gz.

use std::io::{self, Read};

use super::Limits;
use crate::fast_hash::{FastMap, FastSet};
use crate::source::InputFile;
use crate::warning::{Warning, WarningKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Zip,
    Gzip,
    Tar,
}

/// True when `bytes` start like a zip, gzip or tar archive (what [`expand`] opens).
pub fn is_archive(bytes: &[u8]) -> bool {
    detect(bytes).is_some()
}

fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(Format::Zip)
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Format::Gzip)
    } else if bytes.get(257..262) == Some(b"ustar") {
        Some(Format::Tar)
    } else {
        None
    }
}

/// Members this small are always read whole, whatever their compression ratio.
const RATIO_FLOOR_BYTES: u64 = 1 << 20;

/// Shared state of one expansion: the byte budget is global across nesting levels so that a bomb
/// spread over many small nested archives is caught too.
struct Ctx<'a> {
    limits: &'a Limits,
    remaining: u64,
    /// Why the budget is what it is, for the warning when it runs out.
    budget: String,
    warnings: &'a mut Vec<Warning>,
    out: Vec<InputFile>,
    seen: FastMap<String, u32>,
}

/// Expands archives (nested too) into their member files; other files pass through unchanged. Members
/// are named `outer.zip!/dir/inner.log`.
///
/// The whole expansion of one input is bounded twice: by `max_decompressed_bytes`, and by `max_ratio`
/// times the input's own size (at least 1 MiB). The second bound is what stops a 42.zip-style bomb, whose
/// inner archives are stored rather than compressed, so no single member shows a suspicious ratio.
pub fn expand(file: InputFile, limits: &Limits, warnings: &mut Vec<Warning>) -> Vec<InputFile> {
    let by_ratio = (file.bytes.len() as u64).saturating_mul(limits.max_ratio).max(RATIO_FLOOR_BYTES);
    let (remaining, budget) = if by_ratio < limits.max_decompressed_bytes {
        (
            by_ratio,
            format!(
                "expansion limit of {by_ratio} bytes ({}:1 of the input's {} bytes) reached",
                limits.max_ratio,
                file.bytes.len()
            ),
        )
    } else {
        let max = limits.max_decompressed_bytes;
        (max, format!("total decompressed size limit of {max} bytes reached"))
    };
    let mut ctx = Ctx { limits, remaining, budget, warnings, out: Vec::new(), seen: FastMap::default() };
    visit(file, 0, &mut ctx);
    ctx.out
}

fn visit(file: InputFile, depth: u32, ctx: &mut Ctx<'_>) {
    let Some(format) = detect(&file.bytes) else {
        push_unique(file, ctx);
        return;
    };
    if depth >= ctx.limits.max_depth {
        ctx.warnings.push(Warning::new(
            WarningKind::LimitExceeded,
            &file.name,
            format!("archive nested more than {} deep; not expanded", ctx.limits.max_depth),
        ));
        return;
    }
    match format {
        Format::Zip => zip_members(&file, depth, ctx),
        Format::Tar => tar_members(&file.name, &file.bytes, depth, ctx),
        Format::Gzip => gzip_member(&file, depth, ctx),
    }
}

/// Duplicate member names (legal in zip and tar) must not make one file shadow another.
fn push_unique(mut file: InputFile, ctx: &mut Ctx<'_>) {
    let n = ctx.seen.entry(file.name.clone()).or_insert(0);
    *n += 1;
    if *n > 1 {
        file.name = format!("{} ({})", file.name, n);
    }
    ctx.out.push(file);
}

/// Reads at most what the limits allow from one member; the rest is dropped with a warning.
fn read_capped(
    read: &mut dyn FnMut(&mut [u8]) -> io::Result<usize>,
    name: &str,
    compressed: u64,
    ctx: &mut Ctx<'_>,
) -> Option<Vec<u8>> {
    let by_ratio = compressed.saturating_mul(ctx.limits.max_ratio).max(RATIO_FLOOR_BYTES);
    let cap = ctx.remaining.min(by_ratio);
    let mut buf = Vec::new();
    let result = read_up_to(read, cap.saturating_add(1), &mut buf);
    if let Err(e) = result {
        ctx.warnings.push(Warning::new(
            WarningKind::BadArchive,
            name,
            format!("member could not be read completely ({e}); {} bytes kept", buf.len()),
        ));
    }
    if buf.len() as u64 > cap {
        buf.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
        let why = if cap == ctx.remaining {
            ctx.budget.clone()
        } else {
            format!("decompression ratio over {}:1", ctx.limits.max_ratio)
        };
        ctx.warnings.push(Warning::new(
            WarningKind::LimitExceeded,
            name,
            format!("{why}; only the first {} bytes were read", buf.len()),
        ));
    }
    ctx.remaining = ctx.remaining.saturating_sub(buf.len() as u64);
    if buf.is_empty() && ctx.remaining == 0 { None } else { Some(buf) }
}

/// Reads until `read` ends or `limit` bytes are in `buf`, keeping what was read before an error, as
/// `take(limit).read_to_end` does. Through a closure, not `dyn Read`: a reader made into a `dyn Read`
/// links every provided method of `Read` for its type (about 2 KB each) into the browser package.
fn read_up_to(
    read: &mut dyn FnMut(&mut [u8]) -> io::Result<usize>,
    limit: u64,
    buf: &mut Vec<u8>,
) -> io::Result<()> {
    /// Bytes asked for per call: a deflate stream is inflated into the caller's buffer, so this is
    /// also how much is zeroed ahead of it.
    const CHUNK: usize = 64 * 1024;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    while buf.len() < limit {
        let start = buf.len();
        buf.resize(start + CHUNK.min(limit - start), 0);
        let result = read(&mut buf[start..]);
        buf.truncate(start + *result.as_ref().unwrap_or(&0));
        match result {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Member names are labels only (nothing is ever written to disk), but `../` and absolute paths are
/// still normalised so a label cannot pretend to be a file outside its archive.
fn member_label(archive: &str, raw: &str, ctx: &mut Ctx<'_>) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut escaped = raw.starts_with('/') || raw.starts_with('\\');
    for part in raw.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => escaped |= parts.pop().is_none(),
            p => parts.push(p),
        }
    }
    let clean = parts.join("/");
    if escaped {
        ctx.warnings.push(Warning::new(
            WarningKind::BadArchive,
            archive,
            format!("member name {raw:?} points outside the archive; shown as {clean:?}"),
        ));
    }
    if raw.chars().any(char::is_control) {
        ctx.warnings.push(Warning::new(
            WarningKind::BadArchive,
            archive,
            format!("member name {raw:?} holds control characters; reports show them escaped"),
        ));
    }
    format!("{archive}!/{}", clean.replace('\0', "\u{FFFD}"))
}

/// One central-directory record. The whole directory is read before any member is, so that a
/// directory that cannot be read to its end counts as missing and the local headers are walked
/// instead, as for a truncated upload.
struct Record {
    raw: String,
    wayfinder: rawzip::ZipArchiveEntryWayfinder,
    method: u16,
    encrypted: bool,
}

fn zip_members(file: &InputFile, depth: u32, ctx: &mut Ctx<'_>) {
    let (archive, records) = match zip_directory(&file.bytes, ctx.limits.max_entries) {
        Ok(read) => read,
        Err(e) => {
            ctx.warnings.push(Warning::new(
                WarningKind::BadArchive,
                &file.name,
                format!("zip directory unreadable ({e}); reading members from the start of the file"),
            ));
            return zip_stream_members(file, 0, depth, ctx);
        }
    };
    let listed = archive.entries_hint();
    if listed > u64::from(ctx.limits.max_entries) {
        ctx.warnings.push(Warning::new(
            WarningKind::LimitExceeded,
            &file.name,
            format!(
                "more than {} members; the remaining {} were skipped",
                ctx.limits.max_entries,
                listed - u64::from(ctx.limits.max_entries)
            ),
        ));
    }
    let mut names = FastSet::default();
    if !records.iter().all(|r| names.insert(r.raw.as_str())) {
        ctx.warnings.push(Warning::new(
            WarningKind::BadArchive,
            &file.name,
            "several members have the same name; all are kept, later ones named `name (2)`…",
        ));
    }
    // Byte ranges of the members read so far: a member whose data overlaps another's is how a small zip
    // holds thousands of copies of one compressed kernel (David Fifield's "better zip bomb").
    let mut ranges = Ranges::default();
    let mut overlapping: Vec<String> = Vec::new();
    for (i, record) in records.into_iter().enumerate() {
        let entry = match archive.get_entry(record.wayfinder) {
            Ok(e) => e,
            Err(e) => {
                ctx.warnings.push(Warning::new(
                    WarningKind::BadArchive,
                    &file.name,
                    format!("member {i} ({:?}): {e}", record.raw),
                ));
                continue;
            }
        };
        // At least one byte long, so that two empty members at one offset still count as sharing it.
        let (start, end) = entry.compressed_data_range();
        let end = end.max(start.saturating_add(1));
        if ranges.overlaps(start, end) {
            overlapping.push(record.raw);
            continue;
        }
        ranges.insert(start, end);
        let name = member_label(&file.name, &record.raw, ctx);
        if record.encrypted {
            ctx.warnings.push(Warning::new(WarningKind::BadArchive, &name, "member is encrypted; skipped"));
            continue;
        }
        let data = entry.data();
        let Some(decoder) = decoder(record.method, data, &name, ctx) else { continue };
        let mut verified = Verified::new(decoder, entry.claim_verifier());
        if let Some(bytes) = read_capped(&mut |b| verified.read(b), &name, data.len() as u64, ctx) {
            visit(InputFile::new(name, bytes), depth + 1, ctx);
        }
    }
    if let Some(first) = overlapping.first() {
        ctx.warnings.push(Warning::new(
            WarningKind::BadArchive,
            &file.name,
            format!(
                "{} member(s) share their bytes with another member (an overlapping-file zip bomb), the \
                 first {first:?}; they were skipped",
                overlapping.len()
            ),
        ));
    }
}

/// The archive and its file members (directories and symlinks left out), at most `max` records read.
fn zip_directory(
    bytes: &[u8],
    max: u32,
) -> Result<(rawzip::ZipSliceArchive<&[u8]>, Vec<Record>), rawzip::Error> {
    let archive = rawzip::ZipArchive::from_slice(bytes)?;
    let mut records = Vec::new();
    let mut entries = archive.entries();
    for _ in 0..max {
        let Some(r) = entries.next_entry()? else { break };
        if r.is_dir() || r.mode().is_symlink() {
            continue;
        }
        records.push(Record {
            raw: String::from_utf8_lossy(r.file_path().as_bytes()).into_owned(),
            wayfinder: r.wayfinder(),
            method: r.compression_method().as_u16(),
            encrypted: r.flags().is_encrypted(),
        });
    }
    Ok((archive, records))
}

/// Checks a member's content against the CRC-32 and size its directory record claims, once the
/// content has been read to its end; a mismatch is a read error, so the member is kept with a warning.
/// flate2's CRC, not rawzip's: the gzip path links flate2's already, and rawzip's 16 KB table would be
/// a second one in the wasm module.
struct Verified<R> {
    inner: R,
    crc: flate2::Crc,
    claimed: rawzip::ZipVerification,
}

impl<R: Read> Verified<R> {
    fn new(inner: R, claimed: rawzip::ZipVerification) -> Self {
        Verified { inner, crc: flate2::Crc::new(), claimed }
    }

    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.crc.update(&buf[..n]);
        if n == 0 && !buf.is_empty() {
            // flate2 counts the length modulo 2^32, as a gzip trailer does.
            let (size, crc) = (u64::from(self.crc.amount()), self.crc.sum());
            if size != self.claimed.uncompressed_size & u64::from(u32::MAX) {
                return Err(std::io::Error::other(format!(
                    "{size} bytes where the directory says {}",
                    self.claimed.uncompressed_size
                )));
            }
            if crc != self.claimed.crc {
                return Err(std::io::Error::other(format!(
                    "CRC-32 {crc:08x} where the directory says {:08x}",
                    self.claimed.crc
                )));
            }
        }
        Ok(n)
    }
}

/// A member's content as stored or deflated, what CI tools write. An enum rather than a boxed
/// `dyn Read`, for the reason `read_up_to` gives.
enum Decoder<'a> {
    Stored(&'a [u8]),
    Deflated(flate2::read::DeflateDecoder<&'a [u8]>),
}

impl Read for Decoder<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Stored(data) => data.read(buf),
            Decoder::Deflated(d) => d.read(buf),
        }
    }
}

/// A reader of a member's content. Any method but stored and deflated is reported and the member
/// skipped.
fn decoder<'a>(method: u16, data: &'a [u8], name: &str, ctx: &mut Ctx<'_>) -> Option<Decoder<'a>> {
    match method {
        0 => Some(Decoder::Stored(data)),
        8 => Some(Decoder::Deflated(flate2::read::DeflateDecoder::new(data))),
        m => {
            ctx.warnings.push(Warning::new(
                WarningKind::BadArchive,
                name,
                format!("compression method {m} is not supported; member skipped"),
            ));
            None
        }
    }
}

/// Disjoint byte ranges `[start, end)`, asked whether a new one overlaps any. Most are kept sorted and
/// binary-searched; the newest wait in a short unsorted tail, merged in when it grows past the square
/// root of the whole, so however a directory orders its members (100,000 at most) a member costs
/// O(√n). (A `BTreeMap` did this with a B-tree compiled into the wasm module for this one use.)
#[derive(Default)]
struct Ranges {
    sorted: Vec<(u64, u64)>,
    tail: Vec<(u64, u64)>,
}

impl Ranges {
    fn overlaps(&self, start: u64, end: u64) -> bool {
        let i = self.sorted.partition_point(|r| r.0 <= start);
        let before = i.checked_sub(1).and_then(|j| self.sorted.get(j)).is_some_and(|r| r.1 > start);
        let after = self.sorted.get(i).is_some_and(|r| r.0 < end);
        before || after || self.tail.iter().any(|r| r.0 < end && start < r.1)
    }

    fn insert(&mut self, start: u64, end: u64) {
        self.tail.push((start, end));
        if self.tail.len() * self.tail.len() > self.sorted.len().max(64) {
            crate::sort::sort_by(&mut self.tail, |a, b| a.0.cmp(&b.0));
            let (old, new) = (&self.sorted, &self.tail);
            let mut merged = Vec::with_capacity(old.len() + new.len());
            let (mut i, mut j) = (0, 0);
            while i < old.len() && j < new.len() {
                if old[i].0 <= new[j].0 {
                    merged.push(old[i]);
                    i += 1;
                } else {
                    merged.push(new[j]);
                    j += 1;
                }
            }
            merged.extend_from_slice(&old[i..]);
            merged.extend_from_slice(&new[j..]);
            self.sorted = merged;
            self.tail.clear();
        }
    }
}

/// A zip whose central directory is gone (a truncated upload) still has its local headers: walk them in
/// order and inflate each member whose data is complete, until the bytes run out.
fn zip_stream_members(file: &InputFile, start: usize, depth: u32, ctx: &mut Ctx<'_>) {
    let bytes = &file.bytes[..];
    let mut at = start;
    for i in 0..ctx.limits.max_entries {
        let Some(header) = LocalHeader::parse(bytes, at) else {
            if at < bytes.len() && !bytes[at..].starts_with(b"PK\x01\x02") {
                ctx.warnings.push(Warning::new(
                    WarningKind::BadArchive,
                    &file.name,
                    format!("archive ends inside member {}; earlier members were kept", i + 1),
                ));
            }
            return;
        };
        let data_end = header.data_start.saturating_add(header.compressed);
        let name = member_label(&file.name, &header.name, ctx);
        let data = &bytes[header.data_start.min(bytes.len())..data_end.min(bytes.len())];
        if header.name.ends_with('/') {
            at = data_end;
            continue;
        }
        if data_end > bytes.len() || header.sizes_unknown {
            ctx.warnings.push(Warning::new(
                WarningKind::BadArchive,
                &name,
                "member data is cut off; what could be inflated is kept",
            ));
        }
        let content = decoder(header.method, data, &name, ctx)
            .and_then(|mut r| read_capped(&mut |b| r.read(b), &name, header.compressed.max(1) as u64, ctx));
        if let Some(content) = content {
            visit(InputFile::new(name, content), depth + 1, ctx);
        }
        if data_end > bytes.len() || header.sizes_unknown {
            return;
        }
        at = data_end;
    }
}

/// The fixed part of a zip local file header (APPNOTE 4.3.7).
struct LocalHeader {
    method: u16,
    compressed: usize,
    name: String,
    data_start: usize,
    /// Bit 3: sizes follow the data in a descriptor, so the header's are zero and the end is unknown.
    sizes_unknown: bool,
}

impl LocalHeader {
    fn parse(bytes: &[u8], at: usize) -> Option<LocalHeader> {
        let h = bytes.get(at..at.checked_add(30)?)?;
        if &h[..4] != b"PK\x03\x04" {
            return None;
        }
        let u16_at = |o: usize| u16::from_le_bytes([h[o], h[o + 1]]);
        let u32_at = |o: usize| u32::from_le_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
        let flags = u16_at(6);
        let name_len = usize::from(u16_at(26));
        let extra_len = usize::from(u16_at(28));
        let name_start = at + 30;
        let name = String::from_utf8_lossy(bytes.get(name_start..name_start + name_len)?).into_owned();
        let sizes_unknown = flags & 0x08 != 0;
        let compressed =
            if sizes_unknown { bytes.len().saturating_sub(name_start) } else { u32_at(18) as usize };
        Some(LocalHeader {
            method: u16_at(8),
            compressed,
            name,
            data_start: name_start + name_len + extra_len,
            sizes_unknown,
        })
    }
}

fn tar_members(archive_name: &str, bytes: &[u8], depth: u32, ctx: &mut Ctx<'_>) {
    let mut archive = tar::Archive::new(bytes);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            ctx.warnings.push(Warning::new(
                WarningKind::BadArchive,
                archive_name,
                format!("tar unreadable: {e}"),
            ));
            return;
        }
    };
    for (i, entry) in entries.enumerate() {
        if i >= ctx.limits.max_entries as usize {
            ctx.warnings.push(Warning::new(
                WarningKind::LimitExceeded,
                archive_name,
                format!("more than {} members; the rest were skipped", ctx.limits.max_entries),
            ));
            break;
        }
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                ctx.warnings.push(Warning::new(
                    WarningKind::BadArchive,
                    archive_name,
                    format!("tar ends inside member {} ({e}); earlier members were kept", i + 1),
                ));
                break;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let name = member_label(archive_name, &raw, ctx);
        let size = entry.header().size().unwrap_or(0);
        if let Some(data) = read_capped(&mut |b| entry.read(b), &name, size.max(1), ctx) {
            visit(InputFile::new(name, data), depth + 1, ctx);
        }
    }
}

/// A gzip stream holds one file. A tarball inside keeps the outer name (`logs.tgz!/a.log`); a single
/// file is named without its `.gz` suffix.
fn gzip_member(file: &InputFile, depth: u32, ctx: &mut Ctx<'_>) {
    let mut decoder = flate2::read::MultiGzDecoder::new(&file.bytes[..]);
    let inner = file.name.strip_suffix(".gz").or_else(|| file.name.strip_suffix(".GZ")).map(str::to_string);
    let label = inner.clone().unwrap_or_else(|| format!("{}!/data", file.name));
    let Some(bytes) = read_capped(&mut |b| decoder.read(b), &label, file.bytes.len() as u64, ctx) else {
        return;
    };
    if detect(&bytes) == Some(Format::Tar) {
        tar_members(&file.name, &bytes, depth + 1, ctx);
    } else {
        let name = if file.name.ends_with(".tgz") { format!("{}!/data", file.name) } else { label };
        visit(InputFile::new(name, bytes), depth + 1, ctx);
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    proptest::proptest! {
        /// Members kept when they overlap none kept before, in any order and across merges of the
        /// tail: the same choice as checking every kept range.
        #[test]
        fn ranges_keep_what_a_full_check_keeps(members in proptest::collection::vec((0u64..3000, 1u64..40), 0..600)) {
            let (mut ranges, mut kept): (Ranges, Vec<(u64, u64)>) = (Ranges::default(), Vec::new());
            for (start, len) in members {
                let end = start + len;
                let naive = kept.iter().any(|&(s, e)| s < end && start < e);
                proptest::prop_assert_eq!(ranges.overlaps(start, end), naive);
                if !naive {
                    ranges.insert(start, end);
                    kept.push((start, end));
                }
            }
            proptest::prop_assert!(ranges.sorted.windows(2).all(|w| w[0].1 <= w[1].0));
        }
    }

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in members {
            let opts =
                zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            w.start_file(*name, opts).expect("start");
            w.write_all(data).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    fn gz_of(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("gz");
        e.finish().expect("gz finish")
    }

    fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in members {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, *data).expect("tar append");
        }
        b.into_inner().expect("tar")
    }

    fn run(name: &str, bytes: Vec<u8>, limits: Limits) -> (Vec<InputFile>, Vec<Warning>) {
        let mut w = Vec::new();
        (expand(InputFile::new(name, bytes), &limits, &mut w), w)
    }

    #[test]
    fn plain_files_pass_through() {
        let (out, w) = run("a.log", b"hello".to_vec(), Limits::default());
        assert_eq!(out, vec![InputFile::new("a.log", b"hello".to_vec())]);
        assert!(w.is_empty());
    }

    #[test]
    fn zip_tar_gz_and_nesting() {
        let inner = zip_of(&[("logs/m.log", b"manager"), ("junit.xml", b"<testsuite/>")]);
        let tgz = gz_of(&tar_of(&[("bundle.zip", &inner), ("c.log", b"console")]));
        let (out, w) = run("run.tgz", tgz, Limits::default());
        let names: Vec<&str> = out.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["run.tgz!/bundle.zip!/logs/m.log", "run.tgz!/bundle.zip!/junit.xml", "run.tgz!/c.log"]
        );
        assert_eq!(out[0].bytes, b"manager");
        assert!(w.is_empty(), "{w:?}");
        let (out, _) = run("console.log.gz", gz_of(b"line"), Limits::default());
        assert_eq!(out[0].name, "console.log");
        assert_eq!(out[0].bytes, b"line");
    }

    #[test]
    fn zip_bomb_is_cut_at_the_ratio_with_a_warning() {
        let zeros = vec![0u8; 8 << 20];
        let bomb = zip_of(&[("zeros.bin", &zeros)]);
        let limits = Limits { max_ratio: 2, ..Limits::default() };
        let (out, w) = run("bomb.zip", bomb, limits);
        assert!(out[0].bytes.len() < zeros.len());
        assert!(
            w.iter().any(|w| w.kind == WarningKind::LimitExceeded && w.file == "bomb.zip!/zeros.bin"),
            "{w:?}"
        );
    }

    #[test]
    fn a_fanout_of_stored_archives_is_bounded_by_the_input_size() {
        // Every member is under the 1 MiB floor and the inner zips are stored, so no member's ratio is
        // suspicious; the whole expansion is still bounded by 1000x the input.
        let leaf = zip_of(&[("zeros.log", &vec![0u8; 512 << 10])]);
        let mid_members: Vec<(String, Vec<u8>)> =
            (0..8).map(|i| (format!("leaf-{i}.zip"), leaf.clone())).collect();
        let mid = zip_of(&mid_members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect::<Vec<_>>());
        let top_members: Vec<(String, Vec<u8>)> =
            (0..8).map(|i| (format!("mid-{i}.zip"), mid.clone())).collect();
        let top = zip_of(&top_members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect::<Vec<_>>());
        let input_len = top.len() as u64;
        let limits = Limits { max_ratio: 100, ..Limits::default() };
        let (out, w) = run("fan.zip", top, limits);
        let total: u64 = out.iter().map(|f| f.bytes.len() as u64).sum();
        assert!(total <= (input_len * 100).max(1 << 20), "{total} bytes from {input_len}");
        assert!(total < 64 * (512 << 10));
        assert!(
            w.iter().any(|w| w.kind == WarningKind::LimitExceeded && w.message.contains("expansion limit")),
            "{w:?}"
        );
    }

    #[test]
    fn members_sharing_their_bytes_are_skipped() {
        let z = zip_of(&[("kernel.log", &[b'k'; 4000])]);
        // Append a second central-directory record that points at the first local header.
        let cd = z.windows(4).position(|w| w == b"PK\x01\x02").expect("central directory");
        let eocd = z.windows(4).position(|w| w == b"PK\x05\x06").expect("end record");
        let record = z[cd..eocd].to_vec();
        let mut bomb = z[..eocd].to_vec();
        // Same local header, another name (the zip reader keys members by name).
        let mut copy = record.clone();
        let at = copy.windows(10).position(|w| w == b"kernel.log").expect("name in record");
        copy[at + 9] = b'2';
        bomb.extend(&copy);
        let mut end = z[eocd..].to_vec();
        for at in [8, 10] {
            end[at] = 2; // entries on this disk, total entries
        }
        let cd_size = (2 * record.len()) as u32;
        end[12..16].copy_from_slice(&cd_size.to_le_bytes());
        bomb.extend(end);
        let (out, w) = run("overlap.zip", bomb, Limits::default());
        assert_eq!(out.len(), 1, "{out:?} {w:?}");
        assert!(
            w.iter().any(|w| w.kind == WarningKind::BadArchive && w.message.contains("share their bytes")),
            "{w:?}"
        );
    }

    #[test]
    fn duplicate_member_names_lose_nothing() {
        // The zip writer refuses a repeated name, so the second one is renamed in the bytes.
        let mut z = zip_of(&[("console.log", b"first"), ("consolX.log", b"second"), ("other.log", b"third")]);
        while let Some(at) = z.windows(11).position(|w| w == b"consolX.log") {
            z[at + 6] = b'e';
        }
        let (out, w) = run("dup.zip", z, Limits::default());
        let got: Vec<(&str, &[u8])> = out.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
        assert_eq!(
            got,
            [
                ("dup.zip!/console.log", &b"first"[..]),
                ("dup.zip!/console.log (2)", &b"second"[..]),
                ("dup.zip!/other.log", &b"third"[..])
            ]
        );
        assert!(
            w.iter().any(|w| w.kind == WarningKind::BadArchive && w.message.contains("same name")),
            "{w:?}"
        );
    }

    /// Offsets of the central-directory records in `z`.
    fn records(z: &[u8]) -> Vec<usize> {
        z.windows(4).enumerate().filter(|(_, w)| w == b"PK\x01\x02").map(|(i, _)| i).collect()
    }

    #[test]
    fn a_member_whose_crc_or_size_is_wrong_is_kept_with_a_warning() {
        let z = zip_of(&[("a.log", b"hello world")]);
        let cd = records(&z)[0];
        let mut bad = z.clone();
        bad[cd + 16] ^= 0xff; // CRC-32
        let (out, w) = run("crc.zip", bad, Limits::default());
        assert_eq!(out[0].bytes, b"hello world");
        assert!(w.iter().any(|w| w.kind == WarningKind::BadArchive && w.message.contains("CRC-32")), "{w:?}");
        let mut bad = z;
        bad[cd + 24] += 1; // uncompressed size
        let (out, w) = run("size.zip", bad, Limits::default());
        assert_eq!(out[0].bytes, b"hello world");
        assert!(w.iter().any(|w| w.message.contains("11 bytes where the directory says 12")), "{w:?}");
    }

    #[test]
    fn encrypted_and_unknown_method_members_are_skipped_with_a_warning() {
        let mut z = zip_of(&[("a.log", b"aaa"), ("b.log", b"bbb"), ("c.log", b"ccc")]);
        let cd = records(&z);
        z[cd[0] + 8] |= 1; // general purpose flag bit 0: encrypted
        z[cd[1] + 10] = 12; // compression method 12: bzip2
        let (out, w) = run("x.zip", z, Limits::default());
        let names: Vec<&str> = out.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["x.zip!/c.log"]);
        assert!(w.iter().any(|w| w.file == "x.zip!/a.log" && w.message.contains("encrypted")), "{w:?}");
        assert!(w.iter().any(|w| w.file == "x.zip!/b.log" && w.message.contains("method 12")), "{w:?}");
    }

    #[test]
    fn total_budget_spans_members() {
        let z = zip_of(&[("a", &[b'a'; 3000]), ("b", &[b'b'; 3000])]);
        let limits = Limits { max_decompressed_bytes: 4000, ..Limits::default() };
        let (out, w) = run("x.zip", z, limits);
        let total: usize = out.iter().map(|f| f.bytes.len()).sum();
        assert_eq!(total, 4000);
        assert!(w.iter().any(|w| w.kind == WarningKind::LimitExceeded));
    }

    #[test]
    fn depth_limit_stops_recursion() {
        let mut bytes = b"deep".to_vec();
        for _ in 0..5 {
            bytes = gz_of(&bytes);
        }
        let (out, w) = run("x.gz", bytes, Limits { max_depth: 3, ..Limits::default() });
        assert!(out.is_empty());
        assert!(w.iter().any(|w| w.kind == WarningKind::LimitExceeded && w.message.contains("nested")));
    }

    #[test]
    fn traversal_names_are_normalised_and_duplicates_kept() {
        let z = tar_of(&[("a.log", b"1"), ("a.log", b"2")]);
        let (out, w) = run("dup.tar", z, Limits::default());
        let names: Vec<&str> = out.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["dup.tar!/a.log", "dup.tar!/a.log (2)"]);
        assert!(w.is_empty());
        let z = zip_of(&[("../../etc/passwd", b"x"), ("/abs.log", b"y"), ("a.log", b"1")]);
        let (out, w) = run("evil.zip", z, Limits::default());
        let names: Vec<&str> = out.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["evil.zip!/etc/passwd", "evil.zip!/abs.log", "evil.zip!/a.log"]);
        assert_eq!(w.iter().filter(|w| w.kind == WarningKind::BadArchive).count(), 2);
        let z = zip_of(&[("\u{1b}]0;title\u{7}.log", b"x")]);
        let (out, w) = run("esc.zip", z, Limits::default());
        assert_eq!(out[0].name, "esc.zip!/\u{1b}]0;title\u{7}.log", "kept as data; renderers escape it");
        assert!(w.iter().any(|w| w.message.contains("control characters")), "{w:?}");
    }

    #[test]
    fn truncated_zip_keeps_complete_members() {
        let z = zip_of(&[("first.log", b"first member"), ("second.log", &[b'z'; 5000])]);
        // Cut inside the second member's data: the first is complete, the central directory is gone.
        let second = z.windows(10).position(|w| w == b"second.log").expect("second header");
        let cut = z[..second + 20].to_vec();
        let (out, w) = run("cut.zip", cut, Limits::default());
        assert_eq!(out.first().map(|f| f.name.as_str()), Some("cut.zip!/first.log"));
        assert_eq!(out[0].bytes, b"first member", "{w:?}");
        assert!(w.iter().any(|w| w.kind == WarningKind::BadArchive));
    }

    #[test]
    fn truncated_tar_keeps_earlier_members() {
        let t = tar_of(&[("a.log", b"aaa"), ("b.log", &[b'b'; 2000])]);
        let cut = t[..1024 + 512 + 100].to_vec();
        let (out, w) = run("x.tar", cut, Limits::default());
        assert_eq!(out[0].name, "x.tar!/a.log");
        assert!(w.iter().any(|w| w.kind == WarningKind::BadArchive), "{w:?}");
    }

    #[test]
    fn garbage_after_magic_never_panics() {
        for bytes in [b"PK\x03\x04garbage".to_vec(), vec![0x1f, 0x8b, 0, 1, 2], b"PK\x05\x06".to_vec()] {
            let _ = run("g", bytes, Limits::default());
        }
    }

    /// `read_up_to` keeps `take(limit).read_to_end`'s contract: it stops at the limit or the end,
    /// retries an interrupted read, and keeps what came before an error.
    #[test]
    fn read_up_to_stops_at_the_limit_and_keeps_bytes_read_before_an_error() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        for limit in [0u64, 1, 65_536, 65_537, 199_999, 200_000, 200_001, u64::MAX] {
            let mut src = &data[..];
            let mut buf = Vec::new();
            read_up_to(&mut |b| src.read(b), limit, &mut buf).expect("reads");
            let mut want = Vec::new();
            (&data[..]).take(limit).read_to_end(&mut want).expect("reads");
            assert_eq!(buf, want, "limit {limit}");
        }
        // Small reads, an interruption, then a failure: the bytes before it are kept.
        let mut calls = 0;
        let mut buf = Vec::new();
        let err = read_up_to(
            &mut |b| {
                calls += 1;
                match calls {
                    2 => Err(io::ErrorKind::Interrupted.into()),
                    1 | 3 => {
                        b[..3].copy_from_slice(b"abc");
                        Ok(3)
                    }
                    _ => Err(io::Error::other("corrupt")),
                }
            },
            u64::MAX,
            &mut buf,
        )
        .expect_err("the failure is returned");
        assert_eq!(err.to_string(), "corrupt");
        assert_eq!(buf, b"abcabc");
    }
}
