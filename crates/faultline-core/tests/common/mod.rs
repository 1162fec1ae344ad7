//! Scenario loading shared by the integration tests: every folder under `fixtures/` with an
//! `expected.toml` is a recorded CI run.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use faultline_core::InputFile;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Reads a scenario folder as the CLI would: every file, sorted, named relative to the folder.
pub fn load(dir: &Path) -> Vec<InputFile> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)
            .expect("readable fixture dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("expected.toml" | "README.md" | "generate.py" | "generate.sh")
            ) {
                let name = p.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
                out.push(InputFile::new(name, std::fs::read(&p).expect("readable fixture")));
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

pub fn scenarios() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// A scenario folder's short name, for snapshot names and messages.
pub fn name(dir: &Path) -> String {
    dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The committed report schema made strict: the published one allows fields added later (consumers
/// must not break on them); the tests do not, so every field the report writes has to be described.
pub fn strict_schema_validator() -> jsonschema::Validator {
    fn strict(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), serde_json::Value::Bool(false));
                }
                map.values_mut().for_each(strict);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strict),
            _ => {}
        }
    }
    let path = repo().join("schema/faultline.report.v1.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut schema: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    strict(&mut schema);
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"))
}

/// True when a warning's `file` is the input `input` or inside it (`x.zip!/…`; a gzip's one member is the
/// name without `.gz`).
pub fn belongs(input: &str, file: &str) -> bool {
    file == input
        || file.starts_with(&format!("{input}!/"))
        || input
            .strip_suffix(".gz")
            .is_some_and(|inner| file == inner || file.starts_with(&format!("{inner}!/")))
}

/// The vendored CTRF schema (`schema/ctrf.schema.json`), draft 7 with formats checked.
pub fn ctrf_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("schema/ctrf.schema.json")).expect("vendored schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the CTRF schema compiles")
}

/// A CTRF document as faultline writes it: the top two levels in CTRF's order and every object below
/// them with its keys in byte order (what `serde_json::Value`'s sorted maps give), so that comparing
/// `ctrf::to_string` with this catches a field declared out of order.
pub fn ctrf_in_key_order(doc: &serde_json::Value) -> String {
    use serde_json::Value;
    #[derive(serde::Serialize)]
    struct Document<'a> {
        #[serde(rename = "reportFormat")]
        report_format: &'a Value,
        #[serde(rename = "specVersion")]
        spec_version: &'a Value,
        #[serde(rename = "generatedBy")]
        generated_by: &'a Value,
        results: Results<'a>,
    }
    #[derive(serde::Serialize)]
    struct Results<'a> {
        tool: &'a Value,
        summary: &'a Value,
        tests: &'a Value,
        extra: &'a Value,
    }
    let r = &doc["results"];
    serde_json::to_string_pretty(&Document {
        report_format: &doc["reportFormat"],
        spec_version: &doc["specVersion"],
        generated_by: &doc["generatedBy"],
        results: Results { tool: &r["tool"], summary: &r["summary"], tests: &r["tests"], extra: &r["extra"] },
    })
    .expect("a Value serialises")
}
