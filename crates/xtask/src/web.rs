//! The web app (`web/`, built by Trunk): installing Trunk at its pinned version, building `dist/`, the
//! post-build staging Trunk calls back into (`cargo xtask web-stage`), and the demo's static server.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{DEMO_SCENARIO, cargo, ensure_wasm_target, scenario_artifacts, step};

/// trunk 0.22 needs a newer rustc than this project's; 0.21.14 is the last that builds with 1.95.
const TRUNK_VERSION: &str = "0.21.14";
pub const DIST: &str = "dist";
/// The app's module, as Trunk names it with `filehash = false`.
pub const APP_WASM: &str = "faultline-web_bg.wasm";
/// Issue 8's budget for the app's own module (the analysis worker's module is the npm package's).
pub const APP_MAX_GZIP_BYTES: u64 = 800 * 1024;
pub const DEMO_ADDRESS: &str = "127.0.0.1:8080";

/// The page's policy: no inline script at all (the start script is moved to `start.js`), wasm allowed to
/// compile, the worker and fetches from this origin only. Inline `style` attributes stay allowed because
/// the app positions timeline markers and list rows with them; artifact text never reaches one.
const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; \
connect-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; \
base-uri 'none'; form-action 'none'; object-src 'none'";

pub fn ensure_trunk() -> Result<()> {
    let have = Command::new("trunk").arg("--version").output().ok().map(|o| {
        String::from_utf8_lossy(&o.stdout).split_whitespace().nth(1).unwrap_or_default().to_string()
    });
    if have.as_deref() == Some(TRUNK_VERSION) {
        return Ok(());
    }
    step(&format!("install trunk {TRUNK_VERSION} (found {})", have.as_deref().unwrap_or("none")), || {
        cargo(&["install", "--locked", "trunk", "--version", TRUNK_VERSION])
    })
}

/// PATH with `node_modules/.bin` first, where Trunk finds binaryen's `wasm-opt` at the pinned version.
fn path_with_node_bin() -> Result<std::ffi::OsString> {
    let bin = std::env::current_dir()?.join("node_modules/.bin");
    let mut paths = vec![bin];
    if let Some(p) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&p));
    }
    Ok(std::env::join_paths(paths)?)
}

/// Builds `dist/` (release) with everything it needs installed first.
pub fn build() -> Result<()> {
    ensure_wasm_target()?;
    crate::pkg::ensure_wasm_bindgen_cli()?;
    crate::e2e::ensure_npm_packages()?;
    crate::pkg::pkg_unless_fresh()?;
    ensure_trunk()?;
    step("web app (trunk build --release)", || {
        let status = Command::new("trunk")
            .args(["build", "--release"])
            .env("PATH", path_with_node_bin()?)
            .status()
            .context("running trunk")?;
        if !status.success() {
            bail!("trunk build failed ({status})");
        }
        Ok(())
    })?;
    let wasm = Path::new(DIST).join(APP_WASM);
    let gz = crate::pkg::gzip_size(&wasm)?;
    eprintln!(
        "xtask: {}: {} bytes, {gz} bytes gzipped (budget {APP_MAX_GZIP_BYTES})",
        wasm.display(),
        std::fs::metadata(&wasm)?.len()
    );
    if gz > APP_MAX_GZIP_BYTES {
        eprintln!("xtask: warning: the app's module is over its {APP_MAX_GZIP_BYTES}-byte budget");
    }
    Ok(())
}

/// Trunk's post-build hook: stages the worker's package, the demo and the start script into Trunk's
/// staging folder (`TRUNK_STAGING_DIR`) so `trunk build` and `trunk serve` both give a complete app.
pub fn stage() -> Result<()> {
    let staging = PathBuf::from(std::env::var_os("TRUNK_STAGING_DIR").context(
        "`cargo xtask web-stage` is Trunk's post-build hook (TRUNK_STAGING_DIR unset); run `cargo xtask web`",
    )?);
    // The worker loads the viewer module: a package built before there were two modules lacks it.
    if !Path::new(crate::pkg::PKG_DIR).join(crate::pkg::VIEWER_MODULE.file).is_file() {
        crate::pkg::pkg_unless_fresh()?;
    }
    copy_dir(Path::new(crate::pkg::PKG_DIR), &staging.join("pkg"))?;
    stage_demo(&staging.join("demo"))?;
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
    let public = std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".into());
    let index = staging.join("index.html");
    let html = std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let (html, start) = externalise_start_script(&html, &format!("{public}start.js"))?;
    std::fs::write(staging.join("start.js"), start)?;
    // `trunk serve` injects its inline live-reload script into debug builds; the policy is for release.
    let html = if release { with_csp(&html) } else { html };
    std::fs::write(&index, html)?;
    Ok(())
}

fn stage_demo(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut names = Vec::new();
    for file in scenario_artifacts(Path::new(DEMO_SCENARIO))? {
        let name = file.file_name().and_then(|n| n.to_str()).context("demo file name")?.to_string();
        std::fs::copy(&file, dir.join(&name)).with_context(|| format!("staging {}", file.display()))?;
        names.push(name);
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    std::fs::write(dir.join("manifest.json"), format!("{{\"files\":[{}]}}\n", quoted.join(",")))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Moves Trunk's inline start script (the one that fires `TrunkApplicationStarted`) into a file, so the
/// page's policy can forbid inline scripts. Returns the new page and the script.
pub fn externalise_start_script(html: &str, src: &str) -> Result<(String, String)> {
    let marker = html.find("TrunkApplicationStarted").context("Trunk's start script is not in the page")?;
    let open = html[..marker].rfind("<script").context("start script without <script>")?;
    let body_start = open + html[open..].find('>').context("unterminated <script> tag")? + 1;
    let close = marker + html[marker..].find("</script>").context("start script without </script>")?;
    let script = html[body_start..close].trim().to_string();
    let page = format!(
        "{}<script type=\"module\" src=\"{src}\"></script>{}",
        &html[..open],
        &html[close + "</script>".len()..]
    );
    Ok((page, format!("{script}\n")))
}

pub fn with_csp(html: &str) -> String {
    let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">");
    match html.find("<meta charset=\"utf-8\">") {
        Some(at) => {
            let end = at + "<meta charset=\"utf-8\">".len();
            format!("{}\n  {meta}{}", &html[..end], &html[end..])
        }
        None => html.replacen("<head>", &format!("<head>{meta}"), 1),
    }
}

/// Serves `dist/` on 127.0.0.1:8080 until interrupted; `/` opens the demo.
pub fn serve_demo() -> Result<()> {
    let server = tiny_http::Server::http(DEMO_ADDRESS).map_err(|e| {
        anyhow::anyhow!("listening on {DEMO_ADDRESS}: {e} (is something else using the port?)")
    })?;
    eprintln!("xtask: the app with the founding case: http://{DEMO_ADDRESS}/  (Ctrl-C stops)");
    let root = std::fs::canonicalize(DIST)?;
    for request in server.incoming_requests() {
        let url = request.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        if path == "/" && query.is_empty() {
            let to = tiny_http::Header::from_bytes("Location", "/?demo")
                .map_err(|()| anyhow::anyhow!("header"))?;
            let _ = request.respond(tiny_http::Response::empty(302).with_header(to));
            continue;
        }
        let _ = match resolve(&root, path) {
            Some(file) => match std::fs::File::open(&file) {
                Ok(f) => {
                    let kind = tiny_http::Header::from_bytes("Content-Type", content_type(&file))
                        .map_err(|()| anyhow::anyhow!("header"))?;
                    request.respond(tiny_http::Response::from_file(f).with_header(kind))
                }
                Err(_) => request.respond(tiny_http::Response::empty(404)),
            },
            None => request.respond(tiny_http::Response::empty(404)),
        };
    }
    Ok(())
}

/// The file under `root` a URL path names (`/` is index.html); nothing outside `root`.
fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let rel = decoded.trim_start_matches('/');
    let file = if rel.is_empty() { root.join("index.html") } else { root.join(rel) };
    let file = std::fs::canonicalize(file).ok()?;
    (file.starts_with(root) && file.is_file()).then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "xml" => "application/xml",
        "log" | "txt" | "md" | "toml" => "text/plain; charset=utf-8",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head><meta charset=\"utf-8\"><title>t</title>\
<script type=\"module\">\nimport init from '/a.js';\nawait init();\ndispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {}));\n</script>\
</head><body></body></html>";

    #[test]
    fn the_start_script_leaves_the_page_and_the_policy_forbids_inline_scripts() {
        let (page, script) = externalise_start_script(PAGE, "/start.js").unwrap_or_default();
        assert!(
            script.starts_with("import init from '/a.js';") && script.contains("TrunkApplicationStarted")
        );
        assert!(page.contains("<script type=\"module\" src=\"/start.js\"></script></head>"), "{page}");
        assert!(!page.contains("import init"));
        let page = with_csp(&page);
        assert!(page.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!CSP.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn paths_outside_dist_are_refused() {
        let root = std::env::temp_dir().join(format!("fl-xtask-{}", std::process::id()));
        let _ = std::fs::create_dir_all(root.join("a"));
        let _ = std::fs::write(root.join("a/b.js"), "x");
        let _ = std::fs::write(root.join("index.html"), "x");
        let root = std::fs::canonicalize(&root).unwrap_or_default();
        assert_eq!(resolve(&root, "/a/b.js"), Some(root.join("a/b.js")));
        assert_eq!(resolve(&root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/../etc/passwd"), None);
        assert_eq!(resolve(&root, "/%2e%2e/%2e%2e/etc/passwd"), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
