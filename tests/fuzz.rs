//! Fuzz targets, on stable Rust (see tests/fuzz/engine.rs for the engine and its
//! settings). `cargo test --test fuzz` runs each target briefly with a fixed seed, as
//! part of the suite; `scripts/fuzz` runs them for as long as it is told to, with a new
//! seed each time. Every crash found becomes a regression case in `regressions()`.
//!
//! - `front_matter`: mutated records and TOML files through decoding, the front matter
//!   split and the TOML parse; every problem must point inside the file.
//! - `site`: mutated records, settings, vocabularies, diagnostics, shapes and interface strings
//!   built into a whole site: no panic, every problem inside its file, every HTML tag
//!   safe, nothing written outside the output folder, nothing of the site touched.
//! - `csv`: mutated observation files, built the same way.
//! - `markdown`: mutated bodies rendered under each `raw_html` policy, with `@/` links
//!   resolved: no panic, nothing unsafe, no control character, unique ids.
//! - `analyzer`: awkward texts in every language: the words and keys are well formed,
//!   a word typed as a query finds itself, and the browser's analyzer (search.js, run by
//!   node) gives the same words and folded forms.
//! - `paths`: hostile names for static files, records, links and `output_dir`: nothing
//!   is ever written outside the output folder; `safe_join` never leaves its root.
//!
//! tests/compare/url_state.test.mjs fuzzes the URL state of the search and comparison
//! pages the same way, in node.

mod common;
#[path = "fuzz/engine.rs"]
mod engine;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use common::html::{tag_problems, tags};
use common::{list_files, repo, site_from_fixture, site_root};
use engine::{apply, awkward_text, edits, fuzz};
use limes::config::RawHtml;
use limes::diagnostics::{Diagnostic, Source};
use limes::search::analyze::{Analyzer, MAX_WORD, fold};
use limes::search::index::AnalyzerData;
use limes::types::Lang;
use limes::{BuildOptions, markdown};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Corpus: the real files of the fixtures and of the example observatory
// ---------------------------------------------------------------------------

/// Every file of `tests/fixtures`, `content/` and `i18n/` whose name ends in one of
/// `exts`, as (path from the repository, bytes), in a stable order.
fn corpus(exts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for top in ["tests/fixtures", "content", "i18n", "observatory.toml"] {
        for entry in walkdir::WalkDir::new(repo().join(top)).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if entry.file_type().is_file() && exts.contains(&ext) {
                let rel = path
                    .strip_prefix(repo())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, fs::read(path).unwrap()));
            }
        }
    }
    assert!(!out.is_empty(), "no corpus for {exts:?}");
    out
}

/// The number of lines of a text as limes counts them (LF, CRLF or a lone CR end one).
fn line_count(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    limes::text::normalise_newlines(text.into_owned())
        .split('\n')
        .count()
}

/// A problem must name its file, and a place inside it.
fn placed(d: &Diagnostic, file: &str, lines: usize) -> Result<(), String> {
    if d.message.trim().is_empty() {
        return Err(format!("a problem without a message: {d:?}"));
    }
    if d.file != file {
        return Ok(());
    }
    if d.line > lines {
        return Err(format!("line {} of a file of {lines} lines: {d:?}", d.line));
    }
    if d.line > 0 && d.col == 0 {
        return Err(format!("column 0: {d:?}"));
    }
    if let Some(s) = &d.snippet
        && s.start > s.text.chars().count() + 1
    {
        return Err(format!("the underline starts after the quoted line: {d:?}"));
    }
    Ok(())
}

/// A problem's position checked against the decoded text.
fn placed_in(src: &Source, d: &Diagnostic) -> Result<(), String> {
    let lines: Vec<&str> = src.text.split('\n').collect();
    placed(d, &src.rel, lines.len())?;
    if d.file == src.rel && d.line > 0 {
        let width = lines[d.line - 1].chars().count();
        if d.col > width + 1 {
            return Err(format!(
                "column {} of a line of {width} characters: {d:?}",
                d.col
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// front_matter
// ---------------------------------------------------------------------------

fn front_matter_case(rel: &str, bytes: Vec<u8>) -> Result<(), String> {
    let (src, found) = match limes::text::decode(rel, bytes) {
        Ok(ok) => ok,
        Err(d) => return placed(&d, rel, usize::MAX),
    };
    for d in &found {
        placed_in(&src, d)?;
    }
    let mut diags = Vec::new();
    if rel.ends_with(".md") {
        match limes::load::split_front_matter(&src) {
            Ok((fm, body)) => {
                if fm.end > body.start || body.end != src.text.len() {
                    return Err(format!(
                        "ranges {fm:?} and {body:?} of {} bytes",
                        src.text.len()
                    ));
                }
                if !src.text.is_char_boundary(fm.start) || !src.text.is_char_boundary(fm.end) {
                    return Err(format!("the front matter {fm:?} cuts a character"));
                }
                limes::spanned::parse(&src, &src.text[fm.clone()], fm.start, &mut diags);
            }
            Err(d) => placed_in(&src, &d)?,
        }
    } else {
        limes::spanned::parse(&src, &src.text, 0, &mut diags);
    }
    for d in &diags {
        placed_in(&src, d)?;
    }
    Ok(())
}

#[test]
fn front_matter() {
    let corpus = corpus(&["md", "toml"]);
    fuzz(
        "front_matter",
        400,
        (0..corpus.len(), edits(8)),
        |(i, e)| {
            let (rel, base) = &corpus[*i];
            front_matter_case(rel, apply(base, e))
        },
    );
}

// ---------------------------------------------------------------------------
// site and csv: whole builds of a mutated site
// ---------------------------------------------------------------------------

/// A copy of the `rich` fixture, built again and again with one file replaced.
struct Workspace {
    tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    /// The files of the site before any case, from the site root.
    files: Vec<String>,
}

impl Workspace {
    fn new() -> Workspace {
        let tmp = site_from_fixture("rich");
        let root = site_root(&tmp);
        let out = tmp.path().join("out");
        let files = list_files(&root);
        Workspace {
            tmp,
            root,
            out,
            files,
        }
    }

    /// Where a file of the corpus goes in the site: over the file of the same kind.
    fn slot(corpus_path: &str) -> &'static str {
        let name = corpus_path.rsplit('/').next().unwrap_or_default();
        match name {
            "observatory.toml" => "observatory.toml",
            "vocabularies.toml" => "content/vocabularies.toml",
            "territories.toml" => "content/diagnostics/territories.toml",
            "indicators.toml" => "content/diagnostics/indicators.toml",
            "borders.toml" => "content/diagnostics/borders.toml",
            _ if name.ends_with(".csv") => "content/diagnostics/social.csv",
            "background.geojson" => "content/diagnostics/background.geojson",
            _ if name.ends_with(".geojson") => "content/diagnostics/shapes.geojson",
            _ if name.ends_with(".toml") => "i18n/en.toml",
            _ if corpus_path.contains("/partners/") => {
                "content/partners/karst-care-network/index.en.md"
            }
            _ if corpus_path.contains("/pages/") => "content/pages/about/index.en.md",
            _ => "content/practices/istrian-care-bridge/index.en.md",
        }
    }

    /// Builds the site with `bytes` at `slot`, checks what the build did, and puts the
    /// original file back.
    fn case(&self, slot: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.root.join(slot);
        let original = fs::read(&path).ok();
        fs::write(&path, bytes).unwrap();
        let outcome = self.build_and_check(slot, bytes);
        match original {
            Some(o) => fs::write(&path, o).unwrap(),
            None => fs::remove_file(&path).unwrap(),
        }
        outcome
    }

    fn build_and_check(&self, slot: &str, bytes: &[u8]) -> Result<(), String> {
        let result = limes::build(&BuildOptions {
            root: self.root.clone(),
            out: Some(self.out.clone()),
            ..BuildOptions::default()
        });
        match &result {
            Err(e) => {
                if !e.output_untouched {
                    return Err("a refused build touched the output".into());
                }
                let lines = line_count(bytes);
                for d in e.diagnostics.errors() {
                    if d.file.starts_with('/') || d.file.split('/').any(|p| p == "..") {
                        return Err(format!("a problem names a file outside the site: {d:?}"));
                    }
                    placed(d, slot, lines)?;
                }
            }
            Ok(_) => {
                let trusted = fs::read_to_string(self.root.join("observatory.toml"))
                    .unwrap()
                    .contains("trust");
                if !trusted {
                    pages_are_safe(&self.out)?;
                }
            }
        }
        // The file of the case is the site's too while it runs.
        let mut files = self.files.clone();
        if !files.iter().any(|f| f == slot) {
            files.push(slot.to_string());
        }
        contained(self.tmp.path(), &self.root, &files, &[self.out.as_path()])
    }
}

/// Nothing in any page of `out` that content could have made unsafe.
fn pages_are_safe(out: &Path) -> Result<(), String> {
    for rel in list_files(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = fs::read_to_string(out.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
        for tag in tags(&html).iter().filter(|t| !t.end) {
            if let Some(p) = tag_problems(tag).first() {
                return Err(format!("{rel}: {p}"));
            }
        }
    }
    Ok(())
}

/// Only the output folders (and a build's lock beside each) are new under `tmp`, the
/// files of the site are all there, and nothing in an output is a symbolic link.
fn contained(tmp: &Path, root: &Path, site_files: &[String], outs: &[&Path]) -> Result<(), String> {
    let allowed = |p: &Path| {
        outs.iter().any(|o| {
            let lock = o.with_file_name(format!(
                ".{}.limes-lock",
                o.file_name().unwrap_or_default().to_string_lossy()
            ));
            p.starts_with(o) || p == lock
        })
    };
    let mut found = BTreeSet::new();
    for entry in walkdir::WalkDir::new(tmp).follow_links(false) {
        let entry = entry.map_err(|e| e.to_string())?;
        let p = entry.path();
        if entry.file_type().is_symlink() && outs.iter().any(|o| p.starts_with(o)) {
            return Err(format!("a symbolic link in the output: {}", p.display()));
        }
        if entry.file_type().is_dir() {
            continue;
        }
        match p.strip_prefix(root) {
            Ok(rel) if !allowed(p) => {
                found.insert(rel.to_string_lossy().into_owned());
            }
            Ok(_) => {}
            Err(_) if allowed(p) => {}
            Err(_) => {
                return Err(format!(
                    "a file outside the site and the output: {}",
                    p.display()
                ));
            }
        }
    }
    let before: BTreeSet<String> = site_files.iter().cloned().collect();
    if let Some(new) = found.difference(&before).next() {
        return Err(format!("a new file in the site folder: {new}"));
    }
    if let Some(gone) = before.difference(&found).next() {
        return Err(format!("a file of the site is gone: {gone}"));
    }
    Ok(())
}

thread_local! {
    static WORKSPACE: RefCell<Option<Workspace>> = const { RefCell::new(None) };
}

fn in_workspace<T>(f: impl FnOnce(&Workspace) -> T) -> T {
    WORKSPACE.with(|w| f(w.borrow_mut().get_or_insert_with(Workspace::new)))
}

#[test]
fn site() {
    let corpus = corpus(&["md", "toml", "geojson"]);
    fuzz("site", 40, (0..corpus.len(), edits(6)), |(i, e)| {
        let (rel, base) = &corpus[*i];
        in_workspace(|w| w.case(Workspace::slot(rel), &apply(base, e)))
    });
}

#[test]
fn csv() {
    let corpus = corpus(&["csv"]);
    fuzz("csv", 40, (0..corpus.len(), edits(8)), |(i, e)| {
        let (rel, base) = &corpus[*i];
        in_workspace(|w| w.case(Workspace::slot(rel), &apply(base, e)))
    });
}

// ---------------------------------------------------------------------------
// markdown
// ---------------------------------------------------------------------------

/// What a build's check of a body refuses before rendering it.
fn refused_before_rendering(md: &str) -> bool {
    limes::text::has_control(md)
        || !markdown::scan(md).1.is_empty()
        || markdown::too_deep(md).is_some()
}

fn markdown_case(md: &str) -> Result<(), String> {
    let _ = markdown::plain_text(md);
    let _ = markdown::outline(md);
    let links = markdown::internal_links(md);
    for l in &links {
        if l.span.end > md.len() || !md.is_char_boundary(l.span.start) {
            return Err(format!("link span {:?} outside the body", l.span));
        }
    }
    let resolve = |kind: &str, id: &str, anchor: Option<&str>| -> Option<String> {
        let slug = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        slug.then(|| {
            format!(
                "/obs/en/{kind}/{id}/{}",
                anchor.map(|a| format!("#{a}")).unwrap_or_default()
            )
        })
    };
    let checked = !refused_before_rendering(md);
    for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
        let out = markdown::render(md, policy, "/obs", &resolve);
        if policy == RawHtml::Trust || !checked {
            continue;
        }
        if let Some(c) = out
            .html
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(format!(
                "{policy:?}: control character U+{:04X} in {:?}",
                c as u32, out.html
            ));
        }
        let mut ids = BTreeSet::new();
        for tag in tags(&out.html).iter().filter(|t| !t.end) {
            if let Some(p) = tag_problems(tag).first() {
                return Err(format!("{policy:?}: {p} in {:?}", out.html));
            }
            // (`input` is allowed under `sanitize`: task list check boxes.)
            let forbidden = [
                "script", "form", "button", "textarea", "select", "link", "meta",
            ];
            if forbidden.contains(&tag.name.as_str())
                || (tag.name == "input" && policy == RawHtml::Escape)
            {
                return Err(format!(
                    "{policy:?}: element <{}> in {:?}",
                    tag.name, out.html
                ));
            }
            if let Some(id) = tag.attr("id")
                && !ids.insert(id.to_string())
                && policy == RawHtml::Escape
            {
                return Err(format!("{policy:?}: the id {id:?} twice in {:?}", out.html));
            }
        }
    }
    Ok(())
}

#[test]
fn markdown() {
    let corpus = corpus(&["md"]);
    fuzz("markdown", 400, (0..corpus.len(), edits(10)), |(i, e)| {
        let bytes = apply(&corpus[*i].1, e);
        match limes::text::decode("x.md", bytes) {
            Ok((src, _)) => markdown_case(&src.text),
            Err(_) => Ok(()),
        }
    });
}

// ---------------------------------------------------------------------------
// analyzer
// ---------------------------------------------------------------------------

/// The languages of src/search/languages.toml, and two it has no settings for.
fn languages() -> Vec<Lang> {
    let mut out: Vec<Lang> = [
        "ca", "de", "en", "es", "fr", "hr", "it", "pt", "ro", "sl", "sq", "sr-Latn", "sr", "el",
        "hu",
    ]
    .iter()
    .map(|l| Lang::parse(l).unwrap())
    .collect();
    out.dedup();
    out
}

/// search.js's analyzer, run by node (tests/search/oracle.mjs), or `None` without node.
struct Browser {
    _child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Browser {
    fn start(analyzers: &[(Lang, Analyzer)]) -> Option<Browser> {
        let mut child = Command::new("node")
            .arg(repo().join("tests/search/oracle.mjs"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let mut input = child.stdin.take()?;
        let output = BufReader::new(child.stdout.take()?);
        let settings: serde_json::Map<String, serde_json::Value> = analyzers
            .iter()
            .map(|(l, a)| {
                (
                    l.to_string(),
                    serde_json::to_value(AnalyzerData::of(a)).unwrap(),
                )
            })
            .collect();
        writeln!(input, "{}", serde_json::json!({ "settings": settings })).ok()?;
        Some(Browser {
            _child: child,
            input,
            output,
        })
    }

    fn analyse(&mut self, lang: &Lang, text: &str) -> (Vec<String>, Vec<String>) {
        writeln!(
            self.input,
            "{}",
            serde_json::json!({ "lang": lang.to_string(), "text": text })
        )
        .unwrap();
        let mut line = String::new();
        self.output.read_line(&mut line).unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).expect("the oracle answers JSON");
        let list = |k: &str| -> Vec<String> {
            v[k].as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap().to_string())
                .collect()
        };
        (list("words"), list("folded"))
    }
}

fn analyzer_case(
    a: &Analyzer,
    lang: &Lang,
    text: &str,
    browser: Option<&Mutex<Browser>>,
) -> Result<(), String> {
    let words = a.words(text);
    for w in &words {
        if w.is_empty() || w.chars().count() > MAX_WORD || w.chars().any(char::is_whitespace) {
            return Err(format!("{lang}: the word {w:?} of {text:?}"));
        }
        let keys = a.keys(w);
        if keys.first() != Some(&fold(w)) || keys.iter().any(String::is_empty) {
            return Err(format!("{lang}: the keys {keys:?} of {w:?}"));
        }
        let folded = fold(w);
        if fold(&folded) != folded {
            return Err(format!(
                "{lang}: folding {w:?} twice gives {:?}, then {:?}",
                folded,
                fold(&folded)
            ));
        }
        // A word of the content, typed as a query, finds what it was indexed under.
        let typed = a.words(w);
        if typed.len() != 1 || a.keys(&typed[0]).first() != keys.first() {
            return Err(format!(
                "{lang}: the word {w:?} of {text:?} typed as a query gives {typed:?}"
            ));
        }
    }
    // The indexer's path (a cache of analysed words) counts the same keys.
    let mut counted = std::collections::HashMap::new();
    let n = a.count_keys(text, &mut counted, &mut Default::default());
    let mut expected = std::collections::HashMap::new();
    for w in &words {
        for k in a.keys(w) {
            *expected.entry(k).or_insert(0u32) += 1;
        }
    }
    if n as usize != words.len() || counted != expected {
        return Err(format!(
            "{lang}: {text:?}: count_keys gives {counted:?} for {n} words, words and keys {expected:?}"
        ));
    }
    if let Some(b) = browser {
        let (js_words, js_folded) = b.lock().unwrap().analyse(lang, text);
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        if js_words != words || js_folded != folded {
            return Err(format!(
                "{lang}: {text:?}: Rust gives {words:?} {folded:?}, search.js {js_words:?} {js_folded:?}"
            ));
        }
    }
    Ok(())
}

#[test]
fn analyzer() {
    let analyzers: Vec<(Lang, Analyzer)> = languages()
        .into_iter()
        .map(|l| {
            let a = Analyzer::new(&l);
            (l, a)
        })
        .collect();
    let browser = Browser::start(&analyzers).map(Mutex::new);
    if browser.is_none() {
        println!("analyzer: node is not installed; search.js is not compared");
    }
    fuzz(
        "analyzer",
        500,
        (0..analyzers.len(), awkward_text()),
        |(i, text)| {
            let (lang, a) = &analyzers[*i];
            analyzer_case(a, lang, text, browser.as_ref())
        },
    );
}

// ---------------------------------------------------------------------------
// paths
// ---------------------------------------------------------------------------

/// A name made to escape: pieces of paths, dots, separators and odd characters.
fn hostile_name() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(&["..", ".", "/", "\\", "%2e%2e", "%2F", "%00", "~", "-", "a", "x.html", "index.html", ".limes", ".git", "CON", "nul", " ", "\u{202e}", "é", "e\u{301}", "A", "\u{0}", "//", "./", "../"][..]).prop_map(str::to_string),
        1 => "[a-z0-9-]{1,12}",
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 1..8).prop_map(|v| v.concat())
}

/// Where a hostile name goes.
#[derive(Clone, Copy, Debug)]
enum Use {
    StaticFile,
    PracticeFolder,
    Link,
    OutputDir,
}

fn paths_case(name: &str, use_: Use) -> Result<(), String> {
    let tmp = site_from_fixture("minimal");
    let root = site_root(&tmp);
    let out = tmp.path().join("out");
    let mut own_out = None;
    let files_before;
    match use_ {
        Use::StaticFile | Use::PracticeFolder => {
            let base = if matches!(use_, Use::StaticFile) {
                "content/static"
            } else {
                "content/practices"
            };
            let parts: Vec<&str> = name
                .split('/')
                .filter(|p| !p.is_empty() && *p != "." && *p != "..")
                .collect();
            if parts.is_empty() || parts.iter().any(|p| p.contains('\0') || p.len() > 200) {
                return Ok(());
            }
            let path = root.join(base).join(parts.join("/"));
            let file = if matches!(use_, Use::StaticFile) {
                path
            } else {
                path.join("index.en.md")
            };
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            let text =
                fs::read(root.join("content/practices/social-activation/index.en.md")).unwrap();
            fs::write(&file, text).unwrap();
            files_before = list_files(&root);
        }
        Use::Link => {
            let page = root.join("content/pages/about/index.en.md");
            let mut text = fs::read_to_string(&page).unwrap();
            text.push_str(&format!(
                "\n[a](@/practices/{name}) [b](/{name}) ![c]({name}) [d](@/pages/{name}#{name})\n"
            ));
            fs::write(&page, text).unwrap();
            files_before = list_files(&root);
        }
        Use::OutputDir => {
            let settings = root.join("observatory.toml");
            let text = fs::read_to_string(&settings).unwrap();
            let quoted = serde_json::to_string(name).unwrap();
            fs::write(&settings, format!("output_dir = {quoted}\n{text}")).unwrap();
            files_before = list_files(&root);
            let r = limes::build(&BuildOptions {
                root: root.clone(),
                ..BuildOptions::default()
            });
            if r.is_ok() {
                let dir = root.join(name);
                let inside = Path::new(name)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
                if !inside || !dir.starts_with(&root) {
                    return Err(format!("output_dir {name:?} was accepted"));
                }
                own_out = Some(dir);
            }
        }
    }
    if !matches!(use_, Use::OutputDir) {
        let _ = limes::build(&BuildOptions {
            root: root.clone(),
            out: Some(out.clone()),
            ..BuildOptions::default()
        });
    }
    let mut outs = vec![out.as_path()];
    if let Some(o) = &own_out {
        outs.push(o.as_path());
    }
    contained(tmp.path(), &root, &files_before, &outs)
}

#[test]
fn paths() {
    fuzz(
        "paths",
        60,
        (
            hostile_name(),
            prop::sample::select(
                &[
                    Use::StaticFile,
                    Use::PracticeFolder,
                    Use::Link,
                    Use::OutputDir,
                ][..],
            ),
        ),
        |(name, use_)| paths_case(name, *use_),
    );
}

#[test]
fn safe_join() {
    let root = Path::new("/srv/site/public");
    fuzz("safe_join", 2000, hostile_name(), |rel| {
        if let Some(p) = limes::output::safe_join(root, rel) {
            let tail = p
                .strip_prefix(root)
                .map_err(|_| format!("{rel:?} → {}", p.display()))?;
            if tail.as_os_str().is_empty()
                || !tail.components().all(|c| matches!(c, Component::Normal(_)))
            {
                return Err(format!("{rel:?} → {}", p.display()));
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// Regressions: every failure the fuzzers found, kept as a case
// ---------------------------------------------------------------------------

#[test]
fn regressions() {
    for (what, md) in REGRESSIONS_MARKDOWN {
        markdown_case(md).unwrap_or_else(|e| panic!("{what}: {e}"));
        markdown_case(&md.repeat(500)).unwrap_or_else(|e| panic!("{what}, 500 times: {e}"));
    }
    // toml's error recovery went deeper than its limit of 80 and overflowed the stack
    // (the process aborted): a stray `{[]` repeated in a value.
    let deep = format!(
        "+++\ntitle = \"x\"\nx = {{a{}\n+++\n",
        "{[]a".repeat(20_000)
    );
    front_matter_case("content/practices/x/index.en.md", deep.into_bytes()).unwrap();
    for (lang, text) in REGRESSIONS_ANALYZER {
        let lang = Lang::parse(lang).unwrap();
        analyzer_case(&Analyzer::new(&lang), &lang, text, None)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
}

/// Texts the `analyzer` target once failed on.
const REGRESSIONS_ANALYZER: &[(&str, &str)] = &[
    // A word of marks alone folded to an empty key (U+113CC, a Tulu-Tigalari sign).
    ("ca", "\u{113cc} "),
    // A mark then a plural `s`: French stemming left the mark alone, an empty key.
    ("fr", "\u{1cf00}S "),
    ("en", "\u{301}"),
];

/// Bodies the `markdown` target once failed on (a control character reached the page).
const REGRESSIONS_MARKDOWN: &[(&str, &str)] = &[
    (
        "a reference definition's title",
        "[x][r]\n\n[r]: /a \"t&#7;\"\n",
    ),
    (
        "a reference in raw HTML, decoded by the sanitizer",
        "<div>&#7;</div>",
    ),
    (
        "a reference in a raw HTML attribute",
        "<span title=\"&#x1B;\">x</span>",
    ),
    // HTML reads a numeric reference without its `;` (the check wanted one).
    (
        "a reference without `;` in raw HTML",
        "<span title=\"&#x1 B\">x</span> <b>&#7</b>",
    ),
    // A fence's info string decodes its references into the code block's class.
    (
        "a reference in a fence's info string",
        "```&#7;\ncode\n```\n",
    ),
    // Thousands of empty headings: each one's id was looked for from `-1` up, in
    // square time (44 kB took 1.8 s).
    ("headings alike", "#\n+++\n#\n]\n+++\n#\n+++\n#\n"),
    // A footnote defined twice gave two elements one id, and a footnote took the id
    // of a heading of the same words.
    (
        "footnotes",
        "## Rota\n\nA rota.[^rota] Twice.[^rota]\n\n[^rota]: One.\n\n[^rota]: Two.\n",
    ),
];
