//! `limes check`: every problem a build would find, in each output format, with the
//! right exit code, and nothing written.

mod common;

use common::{limes, text};

use std::fs;
use std::path::Path;

/// Every file and folder under `dir`, relative to it, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = walkdir(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().to_string())
        .collect();
    all.sort();
    all
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        out.push(path.clone());
        if path.is_dir() && !path.is_symlink() {
            out.extend(walkdir(&path));
        }
    }
    out
}

/// Runs `limes check --root site ARGS` in a copy of the fixture; asserts that nothing
/// was written; returns the exit code, stdout and stderr.
fn check(fixture: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let tmp = common::site_from_fixture(fixture);
    check_in(&tmp, args)
}

fn check_in(tmp: &tempfile::TempDir, args: &[&str]) -> (Option<i32>, String, String) {
    let before = tree(tmp.path());
    let mut all = vec!["check", "--root", "site"];
    all.extend(args);
    let out = limes(tmp.path(), &all);
    assert_eq!(tree(tmp.path()), before, "limes check changed the files");
    assert!(!tmp.path().join("site/public").exists());
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn a_valid_site_passes_and_nothing_is_written() {
    for format in ["human", "json", "github"] {
        let (code, stdout, stderr) = check("minimal", &["--format", format]);
        assert_eq!(
            code,
            Some(0),
            "{format}: stdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert_eq!(stderr, "", "{format}");
        let expected = match format {
            "human" => "The check found no problem\n",
            "json" => "[]\n",
            _ => "",
        };
        assert_eq!(stdout, expected, "{format}");
    }
}

#[test]
fn human_prints_every_problem_as_the_build_does_then_a_summary() {
    let (code, stdout, _) = check("invalid/many-problems", &[]);
    assert_eq!(code, Some(1), "stdout:\n{stdout}");
    let build = fs::read_to_string(common::fixture("invalid/many-problems/expected.txt")).unwrap();
    assert_eq!(
        stdout,
        format!("{build}error: the check found 7 errors and 0 warnings\n")
    );
}

#[test]
fn json_is_one_array_of_problems_with_a_stable_shape() {
    let (code, stdout, _) = check("invalid/many-problems", &["--format", "json"]);
    assert_eq!(code, Some(1), "stdout:\n{stdout}");
    assert_eq!(stdout, JSON_MANY_PROBLEMS);
}

#[test]
fn github_prints_one_workflow_command_per_problem() {
    let (code, stdout, _) = check("invalid/many-problems", &["--format", "github"]);
    assert_eq!(code, Some(1), "stdout:\n{stdout}");
    assert_eq!(stdout, GITHUB_MANY_PROBLEMS);
}

#[test]
fn github_escapes_percent_signs_in_messages() {
    let (code, stdout, _) = check("invalid/csv-value-not-a-number", &["--format", "github"]);
    assert_eq!(code, Some(1), "stdout:\n{stdout}");
    assert_eq!(stdout, GITHUB_PERCENT);
}

#[test]
fn template_errors_of_the_render_are_found() {
    let tmp = common::site_from_fixture("minimal");
    let practice = common::site_root(&tmp).join("themes/default/templates/practice.html");
    let mut html = fs::read_to_string(&practice).unwrap();
    html.push_str("{{ no_such_function() }}\n");
    fs::write(&practice, html).unwrap();
    let (code, stdout, _) = check_in(&tmp, &["--format", "json"]);
    assert_eq!(code, Some(1), "stdout:\n{stdout}");
    let problems: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let problems = problems.as_array().unwrap();
    assert!(!problems.is_empty());
    for p in problems {
        assert_eq!(p["severity"], "error");
        assert_eq!(p["file"], "themes/default/templates/practice.html", "{p}");
    }
}

#[test]
fn warnings_only_exit_0() {
    let tmp = common::site_from_fixture("minimal");
    let fr = common::site_root(&tmp).join("i18n/fr.toml");
    let strings = fs::read_to_string(&fr).unwrap();
    let without_home: String = strings
        .lines()
        .filter(|l| !l.starts_with("home = "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(strings, without_home, "no `home` string to remove");
    fs::write(&fr, without_home).unwrap();

    let (code, stdout, _) = check_in(&tmp, &["--allow-missing-strings"]);
    assert_eq!(code, Some(0), "stdout:\n{stdout}");
    assert_eq!(stdout, HUMAN_WARNING);
    let (code, stdout, _) = check_in(&tmp, &["--allow-missing-strings", "--format", "github"]);
    assert_eq!(code, Some(0), "stdout:\n{stdout}");
    assert_eq!(stdout, GITHUB_WARNING);
    // Without the option the same problem is an error.
    let (code, stdout, _) = check_in(&tmp, &[]);
    assert_eq!(code, Some(1), "stdout:\n{stdout}");
}

/// The warnings only a check gives (tests/fixtures/check-warnings has each kind: links
/// to missing anchors, a partner no practice names, unused terms of each vocabulary,
/// territories without data, images without alt text; and a draft, whose terms and
/// partners count as used), exactly, in every format; they alone exit 0.
///
/// `LIMES_BLESS=1 cargo test --test check` (re)writes the fixture's `expected.*` from the
/// actual output; read the changes before committing them.
#[test]
fn warnings_of_the_check_in_every_format() {
    let bless = std::env::var("LIMES_BLESS").is_ok_and(|v| v == "1");
    for (format, expected) in [
        ("human", "expected.txt"),
        ("json", "expected.json"),
        ("github", "expected.github.txt"),
    ] {
        let (code, stdout, stderr) = check("check-warnings", &["--format", format]);
        assert_eq!(code, Some(0), "{format}: stdout:\n{stdout}");
        assert_eq!(stderr, "", "{format}");
        let path = common::fixture("check-warnings").join(expected);
        if bless {
            fs::write(&path, &stdout).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run LIMES_BLESS=1 cargo test --test check",
                path.display()
            )
        });
        assert_eq!(stdout, expected, "{format}");
    }
    // Warnings, each kind present, and nothing else.
    let (_, json, _) = check("check-warnings", &["--format", "json"]);
    let problems: serde_json::Value = serde_json::from_str(&json).unwrap();
    let problems = problems.as_array().unwrap();
    assert_eq!(problems.len(), 14);
    for p in problems {
        assert_eq!(p["severity"], "warning", "{p}");
        assert!(
            p["line"].as_u64().unwrap() > 0 && p["column"].as_u64().unwrap() > 0,
            "{p}"
        );
        assert!(p["help"].is_string(), "{p}");
    }
    for what in [
        "has no anchor",
        "no practice names the partner",
        "no practice has the theme",
        "no practice has the target group",
        "no partner is of the kind",
        "has no data",
        "has no alt text",
    ] {
        assert!(
            problems
                .iter()
                .any(|p| p["message"].as_str().unwrap().contains(what)),
            "no warning `{what}`"
        );
    }
}

/// A vocabulary, or territories, written before any record that uses them (a new site,
/// a site that publishes no statistics) are not reported as unused.
#[test]
fn nothing_is_unused_before_anything_could_use_it() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    fs::remove_dir_all(root.join("content/partners")).unwrap();
    let practice = root.join("content/practices/social-activation/index.en.md");
    let text = fs::read_to_string(&practice).unwrap();
    let text = text
        .replace("partners = [\"csd-koper\"]\n", "")
        .replace("(@/partners/csd-koper)", "(https://example.org/)");
    fs::write(&practice, text).unwrap();
    fs::create_dir(root.join("content/diagnostics")).unwrap();
    fs::write(
        root.join("content/diagnostics/territories.toml"),
        "[[territory]]\nid = \"SI042\"\nname = { en = \"Coastal–Karst\" }\ncountry = \"SI\"\n",
    )
    .unwrap();
    let (code, stdout, _) = check_in(&tmp, &[]);
    assert_eq!(
        (code, stdout.as_str()),
        (Some(0), "The check found no problem\n")
    );
    // With a partner, the kind nobody has is reported; with data, the territory without.
    fs::write(
        root.join("content/vocabularies.toml"),
        fs::read_to_string(root.join("content/vocabularies.toml")).unwrap()
            + "\n[partner_kinds.university]\nen = \"University\"\n",
    )
    .unwrap();
    let partner = root.join("content/partners/csd-koper/index.en.md");
    fs::create_dir_all(partner.parent().unwrap()).unwrap();
    fs::write(
        &partner,
        "+++\nname = \"Social Work Centre Koper\"\nkind = \"ngo\"\ncountry = \"SI\"\n+++\n",
    )
    .unwrap();
    let (code, stdout, _) = check_in(&tmp, &["--format", "json"]);
    assert_eq!(code, Some(0));
    let messages: Vec<String> = serde_json::from_str::<serde_json::Value>(&stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        messages,
        [
            "no practice names the partner `csd-koper`",
            "no partner is of the kind `university`"
        ]
    );
}

#[test]
fn a_build_does_not_print_the_warnings_of_the_check() {
    let tmp = common::site_from_fixture("check-warnings");
    let out = limes(tmp.path(), &["build", "--root", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Only the report of the build: "Built 60 pages (121 files) into site/public in ...".
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("Built "), "{stderr}");
    // The mark of a decorative image is not published.
    let page = fs::read_to_string(
        tmp.path()
            .join("site/public/en/practices/social-activation/index.html"),
    )
    .unwrap();
    common::assert_contains(&page, "<img src=\"/img/wave.png\" alt=\"\" />");
}

#[test]
fn errors_and_warnings_stay_apart_in_every_format() {
    let tmp = common::site_from_fixture("check-warnings");
    let practice = common::site_root(&tmp).join("themes/default/templates/practice.html");
    let mut html = fs::read_to_string(&practice).unwrap();
    html.push_str("{{ no_such_function() }}\n");
    fs::write(&practice, html).unwrap();

    let (code, stdout, _) = check_in(&tmp, &["--format", "json"]);
    assert_eq!(code, Some(1), "stdout:\n{stdout}");
    let problems: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let problems = problems.as_array().unwrap();
    let count = |severity: &str| {
        problems
            .iter()
            .filter(|p| p["severity"] == severity)
            .count()
    };
    assert!(count("error") > 0, "{stdout}");
    // Without rendered pages the anchors cannot be checked: the other 10 warnings remain.
    assert_eq!(count("warning"), 10, "{stdout}");
    assert!(!stdout.contains("has no anchor"), "{stdout}");

    let (code, stdout, _) = check_in(&tmp, &["--format", "github"]);
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("::warning file="))
            .count(),
        10
    );
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::warning file=") || l.starts_with("::error file=")),
        "{stdout}"
    );

    let (code, stdout, _) = check_in(&tmp, &[]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains(": warning: no practice names the partner `zrc-sazu`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("themes/default/templates/practice.html"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(" errors and 10 warnings\n")
            || stdout.ends_with(" error and 10 warnings\n"),
        "{stdout}"
    );
}

/// `check` finds exactly what a build finds in every invalid fixture (their
/// `expected.txt`, checked against `limes build` by tests/invalid.rs), and writes nothing.
/// (The warnings only a check gives need a site that loads, which none of them does.)
#[test]
fn check_finds_what_the_build_finds_in_every_invalid_fixture() {
    let dir = common::fixture("invalid");
    let mut cases: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let tmp = common::site_from_fixture(&format!("invalid/{case}"));
        let root = common::site_root(&tmp);
        // As in tests/invalid.rs: what git cannot hold.
        common::setup_invalid(case, &root);
        let before = tree(tmp.path());
        let diags = limes::check::check(&limes::BuildOptions {
            root: root.clone(),
            ..Default::default()
        });
        let expected = fs::read_to_string(dir.join(case).join("expected.txt")).unwrap();
        if diags.to_string() != expected {
            failures.push(format!("=== {case}\n{diags}"));
        }
        if !diags.has_errors() {
            failures.push(format!("=== {case}: no error"));
        }
        if tree(tmp.path()) != before {
            failures.push(format!("=== {case}: files were written"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const JSON_MANY_PROBLEMS: &str = r#"[
  {
    "severity": "error",
    "file": "content/diagnostics/observations.csv",
    "line": 4,
    "column": 1,
    "message": "this row has 6 fields, the header has 5",
    "help": "every row is: territory,indicator,year,value,note (leave `value` or `note` empty, but keep the commas; write decimals with a dot, like 6.1, or quote a note that holds a comma)"
  },
  {
    "severity": "error",
    "file": "content/diagnostics/observations.csv",
    "line": 5,
    "column": 1,
    "message": "a second value for HR031, unemployment-rate, 2022 (the first is at content/diagnostics/observations.csv:3)",
    "help": "keep one row per territory, indicator and year"
  },
  {
    "severity": "error",
    "file": "content/pages/about/index.en.md",
    "line": 1,
    "column": 1,
    "message": "a page's front matter is missing the required field `title`",
    "help": "add a line like: title = \"About the observatory\""
  },
  {
    "severity": "error",
    "file": "content/practices/social-activation/index.en.md",
    "line": 8,
    "column": 11,
    "message": "unknown theme `employmnt`",
    "help": "did you mean `employment`? themes are defined in content/vocabularies.toml under [themes.<id>]"
  },
  {
    "severity": "error",
    "file": "content/practices/social-activation/index.en.md",
    "line": 10,
    "column": 26,
    "message": "unknown partner `hzz-rijeka`",
    "help": "create content/partners/hzz-rijeka/index.en.md, or check the slug"
  },
  {
    "severity": "error",
    "file": "content/practices/social-activation/index.fr.md",
    "line": 3,
    "column": 10,
    "message": "unknown status `terminé`",
    "help": "expected one of: planned, ongoing, completed"
  },
  {
    "severity": "error",
    "file": "content/vocabularies.toml",
    "line": 19,
    "column": 6,
    "message": "label `fr` must be a string, found an integer",
    "help": "write it like: fr = \"...\""
  }
]
"#;
const GITHUB_MANY_PROBLEMS: &str = r#"::error file=content/diagnostics/observations.csv,line=4,col=1,title=limes::this row has 6 fields, the header has 5%0Ahelp: every row is: territory,indicator,year,value,note (leave `value` or `note` empty, but keep the commas; write decimals with a dot, like 6.1, or quote a note that holds a comma)
::error file=content/diagnostics/observations.csv,line=5,col=1,title=limes::a second value for HR031, unemployment-rate, 2022 (the first is at content/diagnostics/observations.csv:3)%0Ahelp: keep one row per territory, indicator and year
::error file=content/pages/about/index.en.md,line=1,col=1,title=limes::a page's front matter is missing the required field `title`%0Ahelp: add a line like: title = "About the observatory"
::error file=content/practices/social-activation/index.en.md,line=8,col=11,title=limes::unknown theme `employmnt`%0Ahelp: did you mean `employment`? themes are defined in content/vocabularies.toml under [themes.<id>]
::error file=content/practices/social-activation/index.en.md,line=10,col=26,title=limes::unknown partner `hzz-rijeka`%0Ahelp: create content/partners/hzz-rijeka/index.en.md, or check the slug
::error file=content/practices/social-activation/index.fr.md,line=3,col=10,title=limes::unknown status `terminé`%0Ahelp: expected one of: planned, ongoing, completed
::error file=content/vocabularies.toml,line=19,col=6,title=limes::label `fr` must be a string, found an integer%0Ahelp: write it like: fr = "..."
"#;
const GITHUB_PERCENT: &str = r#"::error file=content/diagnostics/observations.csv,line=4,col=30,title=limes::value `n/a` is not a number%0Ahelp: write a number like 12.1, or leave the value empty when it is not available
::error file=content/diagnostics/observations.csv,line=5,col=30,title=limes::value `6.1%25` is not a number%0Ahelp: write a number like 12.1, or leave the value empty when it is not available
"#;
const HUMAN_WARNING: &str = r#"i18n/fr.toml: warning: missing interface string `home` for `fr`
  = help: add home = "...", translating it from i18n/en.toml

The check found no error and 1 warning
"#;
const GITHUB_WARNING: &str = r#"::warning file=i18n/fr.toml,title=limes::missing interface string `home` for `fr`%0Ahelp: add home = "...", translating it from i18n/en.toml
"#;
