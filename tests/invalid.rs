//! Every kind of invalid input has a fixture under `tests/fixtures/invalid/<case>/`: a
//! small site that is valid but for that one problem, and `expected.txt`, the exact
//! text limes prints for it. Each case is built over a previous output that must come
//! out of the failed build untouched.
//!
//! `LIMES_BLESS=1 cargo test --test invalid` (re)writes every `expected.txt` from the
//! actual output; read the changes before committing them.

mod common;

use std::fs;
use std::path::Path;

use limes::diagnostics::Diagnostic;

use common::SENTINEL;

/// Diagnostics that may have no line: they are about a whole file or folder (its name,
/// its absence, its encoding), not about a place inside it. Matched as substrings of
/// the message.
const FILE_LEVEL: &[&str] = &[
    "cannot read the site settings",
    "the site has no content/ folder",
    "unexpected file",
    "unexpected folder",
    "is not a valid slug",
    "is not one of the site's languages",
    "does not say its language",
    "symbolic link to",
    "symbolic link points outside the site folder",
    "is not UTF-8 text",
    "in two Unicode forms",
    "differ only in letter case",
    "differs only in letter case",
    "is also written in",
    "the file is not UTF-8 text",
    "the interface strings of",
    "missing interface string",
    "missing country name",
    "is an address limes uses itself",
];

#[test]
fn every_invalid_fixture_fails_with_its_exact_diagnostics_and_keeps_the_output() {
    let bless = std::env::var("LIMES_BLESS").is_ok_and(|v| v == "1");
    let dir = common::fixture("invalid");
    let mut cases: Vec<String> = fs::read_dir(&dir)
        .expect("read tests/fixtures/invalid")
        .map(|e| e.expect("read a fixture entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no fixtures in {}", dir.display());

    let mut failures: Vec<String> = Vec::new();
    let mut blessed = 0;
    for case in &cases {
        let mut problems: Vec<String> = Vec::new();
        let tmp = common::site_from_fixture(&format!("invalid/{case}"));
        let root = common::site_root(&tmp);
        common::prepare_invalid(case, &root);
        let out = tmp.path().join("public");
        let previous = common::previous_output(&out);

        match common::build(&root, &out) {
            Ok(report) => problems.push(format!(
                "the build succeeded ({} pages) but should have failed",
                report.pages
            )),
            Err(diags) => {
                let actual = diags.to_string();
                let expected_path = dir.join(case).join("expected.txt");
                if bless {
                    let old = fs::read_to_string(&expected_path).ok();
                    if old.as_deref() != Some(actual.as_str()) {
                        fs::write(&expected_path, &actual).unwrap();
                        blessed += 1;
                    }
                } else {
                    match fs::read_to_string(&expected_path) {
                        Ok(expected) if expected == actual => {}
                        Ok(expected) => problems.push(format!(
                            "the diagnostics differ from expected.txt (- expected, + actual):\n{}",
                            diff(&expected, &actual)
                        )),
                        Err(_) => problems.push(format!(
                            "no expected.txt; run LIMES_BLESS=1 cargo test --test invalid\nactual:\n{actual}"
                        )),
                    }
                }
                problems.extend(check_diagnostics(&diags.0, tmp.path()));
                if !diags.has_errors() {
                    problems.push("the build failed without any error".into());
                }
                if case == "many-problems" {
                    let mut files: Vec<&str> = diags.0.iter().map(|d| d.file.as_str()).collect();
                    files.dedup();
                    if files.len() < 4 {
                        problems.push(format!(
                            "several files have problems, but only {files:?} are reported"
                        ));
                    }
                }
            }
        }

        // The previous output is untouched, and nothing was left beside it.
        match fs::read_to_string(out.join("sentinel.html")) {
            Ok(s) if s == SENTINEL => {}
            Ok(s) => problems.push(format!("public/sentinel.html was changed to {s:?}")),
            Err(e) => problems.push(format!("public/sentinel.html is gone: {e}")),
        }
        let in_out = common::list_files(&out);
        if in_out != previous {
            let shown: Vec<&String> = in_out.iter().take(8).collect();
            problems.push(format!(
                "public/ holds more than the sentinel ({} files): {shown:?}...",
                in_out.len()
            ));
        }
        let mut beside: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        beside.sort();
        if beside != ["public", "site"] {
            problems.push(format!(
                "the temporary folder holds more than site/ and public/: {beside:?}"
            ));
        }

        if !problems.is_empty() {
            failures.push(format!("=== {case}\n{}", problems.join("\n")));
        }
    }

    if bless {
        eprintln!("LIMES_BLESS: rewrote {blessed} expected.txt file(s)");
    }
    assert!(
        failures.is_empty(),
        "{} of {} invalid fixtures failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// What every diagnostic must have, whatever the case: a position (unless it is about
/// a whole file), a site-relative path, and a sorted place in the list.
fn check_diagnostics(diags: &[Diagnostic], tmp: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let tmp_text = tmp.to_string_lossy().to_string();
    for d in diags {
        let head = format!("`{}: {}`", d.file, d.message);
        if d.line == 0 {
            if !FILE_LEVEL.iter().any(|p| d.message.contains(p)) {
                problems.push(format!(
                    "{head} has no line, but it is not about a whole file"
                ));
            }
        } else {
            if d.col == 0 {
                problems.push(format!("{head} has a line but no column"));
            }
            if d.snippet.is_none() {
                problems.push(format!("{head} has a line but no snippet"));
            }
        }
        if d.file.is_empty() || d.file.starts_with('/') || d.file.contains('\\') {
            problems.push(format!("{head}: the file is not a site-relative path"));
        }
        let all = format!("{d}");
        if all.contains(&tmp_text) {
            problems.push(format!("{head}: the text shows the temporary folder"));
        }
        if d.help.is_none() {
            problems.push(format!("{head} has no help line"));
        }
    }
    let keys: Vec<(&str, usize, usize)> = diags
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.col))
        .collect();
    if !keys.is_sorted() {
        problems.push(format!(
            "the diagnostics are not sorted by file and line: {keys:?}"
        ));
    }
    problems
}

/// A line diff of two texts (longest common subsequence), `-` expected, `+` actual.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}\n", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the texts differ in their final newline)\n");
    }
    out
}
