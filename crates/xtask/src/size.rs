//! What the package's wasm module holds, by crate and by function: issue 6 asks for the top items
//! whenever the module is over its size budget, and printing them from `cargo xtask pkg` keeps that
//! report reproducible on any machine, without twiggy or cargo-bloat installed.
//!
//! It reads wasm-bindgen's output before wasm-opt, the last step that still has the name section;
//! the sizes are therefore a little above the shipped ones, but they rank the same.

use std::collections::HashMap;

use anyhow::{Context, Result};
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

/// Standard-library crates: their generic code is instantiated for the crates that call it, and
/// legacy symbol mangling does not say for which, so it is counted as its own line.
const STD: [&str; 3] = ["core", "alloc", "std"];

/// Sizes in bytes of a module's function bodies (with their demangled names) and data segments.
pub struct Contents {
    pub functions: Vec<(String, u64)>,
    pub data: u64,
}

impl Contents {
    pub fn code(&self) -> u64 {
        self.functions.iter().map(|(_, n)| n).sum()
    }

    /// Code bytes per crate, largest first.
    pub fn by_crate(&self) -> Vec<(&str, u64)> {
        let mut sizes: HashMap<&str, u64> = HashMap::new();
        for (name, n) in &self.functions {
            *sizes.entry(crate_of(name)).or_default() += n;
        }
        let mut sizes: Vec<_> = sizes.into_iter().collect();
        sizes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        sizes
    }

    /// The largest functions, largest first.
    pub fn largest(&self, n: usize) -> Vec<&(String, u64)> {
        let mut all: Vec<_> = self.functions.iter().collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

pub fn read(wasm: &[u8]) -> Result<Contents> {
    let mut imported = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut data = 0u64;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.context("reading the wasm module")? {
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if matches!(import.context("reading an import")?.ty, TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                bodies.push(range.end - range.start);
            }
            Payload::DataSection(segments) => {
                for segment in segments {
                    data += segment.context("reading a data segment")?.data.len() as u64;
                }
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(subsections) = section.as_known() {
                    for subsection in subsections {
                        if let Name::Function(map) = subsection.context("reading the name section")? {
                            for naming in map {
                                let naming = naming.context("reading a function name")?;
                                names.insert(naming.index, tidy(naming.name));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let functions = bodies
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let index = imported + i as u32;
            (names.remove(&index).unwrap_or_else(|| format!("function[{index}]")), n)
        })
        .collect();
    Ok(Contents { functions, data })
}

/// A function's name as a reader wants it: demangled (LLVM usually writes it demangled already),
/// without the symbol hash (`::h0123…`) or the standard library's crate disambiguator (`core[0123…]`).
fn tidy(name: &str) -> String {
    let name = format!("{:#}", rustc_demangle::demangle(name));
    let is_hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    let name = match name.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && is_hex(hash) => head.to_string(),
        _ => name,
    };
    let mut out = String::with_capacity(name.len());
    let mut rest = name.as_str();
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').map(|c| open + c);
        match close {
            Some(close) if is_hex(&rest[open + 1..close]) && rest[close + 1..].starts_with("::") => {
                out.push_str(&rest[..open]);
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The crate a function's code belongs to: the first crate its name mentions that is not the
/// standard library's (`<regex_syntax::Foo as core::fmt::Debug>::fmt` is regex_syntax's), else the
/// standard library's own.
pub fn crate_of(name: &str) -> &str {
    let mut first = None;
    for root in roots(name) {
        if !STD.contains(&root) {
            return root;
        }
        first.get_or_insert(root);
    }
    match first {
        Some(_) => "std generics (core, alloc, std)",
        None => "(no crate in the name)",
    }
}

/// The first segment of every path in a name: `a::b<c::d>` gives `a` and `c`.
fn roots(name: &str) -> impl Iterator<Item = &str> {
    let bytes = name.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && ident(bytes[i]) {
                i += 1;
            }
            // A root starts after a non-path character and is followed by `::`.
            let after_path = start > 1 && &name[start - 2..start] == "::";
            let is_root = i > start && !after_path && name[i..].starts_with("::");
            let word = &name[start..i];
            i = i.max(start + 1);
            if is_root && !word.as_bytes()[0].is_ascii_digit() {
                return Some(word);
            }
        }
        None
    })
}

/// The report `cargo xtask pkg` prints when the module is over its budget: every crate with at least
/// 1 % of the code (the rest summed on one line), then the largest functions.
pub fn report(c: &Contents, functions: usize) -> String {
    let code = c.code().max(1);
    let share = |n: u64| n as f64 * 100.0 / code as f64;
    let line = |n: u64, what: &str| format!("    {n:>9}  {:>5.1} %  {what}\n", share(n));
    let mut out = format!(
        "what the module holds before wasm-opt: {} bytes of code, {} bytes of data\n  by crate (code):\n",
        c.code(),
        c.data
    );
    let (listed, rest): (Vec<_>, Vec<_>) = c.by_crate().into_iter().partition(|&(_, n)| share(n) >= 1.0);
    for (name, n) in listed {
        out.push_str(&line(n, name));
    }
    if !rest.is_empty() {
        out.push_str(&line(rest.iter().map(|(_, n)| n).sum(), &format!("{} other crates", rest.len())));
    }
    out.push_str("  largest functions:\n");
    for (name, n) in c.largest(functions) {
        out.push_str(&line(*n, name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_belongs_to_the_first_crate_its_name_mentions_outside_std() {
        assert_eq!(crate_of("faultline_core::export::html::test_card"), "faultline_core");
        assert_eq!(
            crate_of(
                "<regex_syntax::hir::translate::TranslatorI as regex_syntax::ast::visitor::Visitor>::visit_post"
            ),
            "regex_syntax"
        );
        assert_eq!(
            crate_of("<core::str::iter::EscapeDebug as core::fmt::Display>::fmt"),
            "std generics (core, alloc, std)"
        );
        assert_eq!(crate_of("<alloc::vec::Vec<T> as serde_core::ser::Serialize>::serialize"), "serde_core");
        assert_eq!(
            crate_of("core::num::flt2dec::strategy::dragon::format_shortest"),
            "std generics (core, alloc, std)"
        );
        assert_eq!(crate_of("hashbrown::raw::RawTable<T,A>::reserve_rehash"), "hashbrown");
        assert_eq!(crate_of("function[12]"), "(no crate in the name)");
        assert_eq!(crate_of("__wbindgen_malloc"), "(no crate in the name)");
    }

    #[test]
    fn names_lose_their_hashes_and_disambiguators_but_nothing_else() {
        assert_eq!(tidy("faultline_core::analyze::run::hce8d19f86af89d1e"), "faultline_core::analyze::run");
        assert_eq!(tidy("core[c5930c85a12de822]::num::fmt<[u8; 4]>"), "core::num::fmt<[u8; 4]>");
        assert_eq!(tidy("_ZN4core3fmt5write17h0123456789abcdefE"), "core::fmt::write");
        assert_eq!(tidy("memcpy"), "memcpy");
        assert_eq!(tidy("a::hb"), "a::hb");
    }

    #[test]
    fn inner_path_segments_are_not_taken_for_crates() {
        assert_eq!(roots("a::b::c<d::e>::f").collect::<Vec<_>>(), ["a", "d"]);
        assert_eq!(roots("<T as core::ops::Fn<A>>::call").collect::<Vec<_>>(), ["core"]);
    }

    /// A module written by hand: one imported function, two bodies, a data segment, names.
    #[test]
    fn sizes_are_read_per_function_with_their_names() {
        let section = |id: u8, content: &[u8]| [&[id, content.len() as u8][..], content].concat();
        let names = [&b"\x04name\x01\x17\x02\x01\x07core::f\x02\x0bmy_crate::g"[..]].concat();
        let wasm = [
            b"\0asm\x01\0\0\0".to_vec(),
            section(1, b"\x01\x60\0\0"),                      // type 0: () -> ()
            section(2, b"\x01\x01m\x01f\0\0"),                // import m.f, a function of type 0
            section(3, b"\x02\0\0"),                          // two functions of type 0
            section(10, b"\x02\x02\0\x0b\x04\0\x01\x01\x0b"), // bodies of 2 and 4 bytes
            section(11, b"\x01\0\x41\0\x0b\x02hi"),           // a 2-byte data segment
            section(0, &names),                               // functions 1 and 2 named
        ]
        .concat();
        let c = read(&wasm).expect("the module parses");
        assert_eq!(c.functions, [("core::f".to_string(), 2), ("my_crate::g".to_string(), 4)]);
        assert_eq!((c.code(), c.data), (6, 2));
        assert_eq!(c.by_crate(), [("my_crate", 4), ("std generics (core, alloc, std)", 2)]);
        assert_eq!(c.largest(1), [&("my_crate::g".to_string(), 4)]);
        let report = report(&c, 1);
        assert!(report.contains("6 bytes of code, 2 bytes of data"), "{report}");
        assert!(report.contains("            4   66.7 %  my_crate\n"), "{report}");
        assert!(report.contains("  largest functions:\n            4   66.7 %  my_crate::g\n"), "{report}");
    }
}
