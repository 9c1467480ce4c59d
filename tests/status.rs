//! `limes status` as an editor runs it: counts, missing and outdated translations per
//! language, dates from file times or from git history, the text and JSON forms, and
//! exit code 1 with the diagnostics for a site that does not load.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use serde_json::Value;

/// 2020-01-01T00:00:00Z and one year later.
const T2020: u64 = 1_577_836_800;
const T2021: u64 = 1_609_459_200;

/// The minimal fixture (practice `social-activation` en+fr, partner `csd-koper` en,
/// page `about` en+fr) with a practice only in English and one only in French.
fn site() -> tempfile::TempDir {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    write(
        &root,
        "content/practices/job-bridge/index.en.md",
        "+++\ntitle = \"Job bridge\"\nstatus = \"ongoing\"\ncountries = [\"SI\"]\n+++\nText.\n",
    );
    write(
        &root,
        "content/practices/cafe-social.fr.md",
        "+++\ntitle = \"Café social\"\nstatus = \"planned\"\ncountries = [\"HR\"]\n+++\nTexte.\n",
    );
    tmp
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
}

/// Sets the modification time of every file under `dir`.
fn touch_all(dir: &Path, secs: u64) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            touch_all(&path, secs);
        } else {
            touch(&path, secs);
        }
    }
}

fn touch(file: &Path, secs: u64) {
    let f = fs::File::options().write(true).open(file).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
        .unwrap();
}

/// Runs `limes status --root <root> <args>`, never letting git look above `ceiling`.
fn status(root: &Path, ceiling: &Path, args: &[&str]) -> Output {
    Command::new(common::server::bin())
        .arg("status")
        .arg("--root")
        .arg(root)
        .args(args)
        .env("GIT_CEILING_DIRECTORIES", ceiling)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run the limes binary")
}

fn json(root: &Path, ceiling: &Path) -> Value {
    let out = status(root, ceiling, &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(&out.stdout)))
}

fn lang<'a>(report: &'a Value, kind: &str, lang: &str) -> &'a Value {
    &report["kinds"][kind]["by_language"][lang]
}

#[test]
fn json_counts_missing_and_outdated_by_file_times() {
    let tmp = site();
    let root = common::site_root(&tmp);
    touch_all(&root.join("content"), T2020);

    let report = json(&root, tmp.path());
    assert_eq!(report["dates_from"], "file-times");
    assert_eq!(report["languages"], serde_json::json!(["en", "fr"]));
    // Keys in a fixed order: the kinds as documented, languages in the site's order
    // (serde_json's Value sorts its keys, so look at the printed text).
    let out = status(&root, tmp.path(), &["--format", "json"]);
    let printed = String::from_utf8_lossy(&out.stdout);
    let at = |key: &str| {
        printed
            .find(&format!("\"{key}\":"))
            .unwrap_or_else(|| panic!("no key {key} in\n{printed}"))
    };
    assert!(at("dates_from") < at("languages") && at("languages") < at("kinds"));
    assert!(at("practices") < at("partners") && at("partners") < at("pages"));
    assert!(at("en") < at("fr"), "{printed}");
    assert!(at("total") < at("by_language"));
    assert!(at("present") < at("missing") && at("missing") < at("outdated"));
    assert_eq!(
        status(&root, tmp.path(), &["--format", "json"]).stdout,
        out.stdout
    );

    assert_eq!(report["kinds"]["practices"]["total"], 3);
    assert_eq!(lang(&report, "practices", "en")["present"], 2);
    assert_eq!(
        lang(&report, "practices", "en")["missing"],
        serde_json::json!(["cafe-social"])
    );
    assert_eq!(lang(&report, "practices", "fr")["present"], 2);
    assert_eq!(
        lang(&report, "practices", "fr")["missing"],
        serde_json::json!(["job-bridge"])
    );
    assert_eq!(report["kinds"]["partners"]["total"], 1);
    assert_eq!(lang(&report, "partners", "en")["present"], 1);
    assert_eq!(
        lang(&report, "partners", "fr")["missing"],
        serde_json::json!(["csd-koper"])
    );
    assert_eq!(report["kinds"]["pages"]["total"], 1);
    assert_eq!(lang(&report, "pages", "fr")["present"], 1);
    assert_eq!(
        lang(&report, "pages", "fr")["missing"],
        serde_json::json!([])
    );
    // Same times everywhere: nothing is outdated.
    for kind in ["practices", "partners", "pages"] {
        for l in ["en", "fr"] {
            assert_eq!(lang(&report, kind, l)["outdated"], serde_json::json!([]));
        }
    }

    // The English source changes after the French translation.
    touch(
        &root.join("content/practices/social-activation/index.en.md"),
        T2021,
    );
    let report = json(&root, tmp.path());
    assert_eq!(report["dates_from"], "file-times");
    assert_eq!(
        lang(&report, "practices", "fr")["outdated"],
        serde_json::json!([{
            "slug": "social-activation",
            "source_language": "en",
            "changed": "2020-01-01T00:00:00Z",
            "source_changed": "2021-01-01T00:00:00Z",
            "file": "content/practices/social-activation/index.fr.md",
            "source_file": "content/practices/social-activation/index.en.md",
        }])
    );
    assert_eq!(
        lang(&report, "pages", "fr")["outdated"],
        serde_json::json!([])
    );
    // The source itself is never outdated, even when another translation is newer.
    touch(&root.join("content/pages/about/index.fr.md"), T2021);
    let report = json(&root, tmp.path());
    assert_eq!(
        lang(&report, "pages", "en")["outdated"],
        serde_json::json!([])
    );
}

#[test]
fn json_dates_from_git_history() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed: skipping");
        return;
    }
    let tmp = site();
    let root = common::site_root(&tmp);
    let git = |args: &[&str], date: &str| {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(&root)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_CEILING_DIRECTORIES", tmp.path())
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let jan_2020 = "2020-01-01T00:00:00Z";
    let jan_2021 = "2021-01-01T00:00:00Z";
    git(&["init", "-q"], jan_2020);
    git(&["add", "."], jan_2020);
    git(&["commit", "-q", "-m", "all"], jan_2020);
    // Newer file times must not matter when git history is there.
    touch_all(&root.join("content"), T2021 + 86_400 * 365);
    let report = json(&root, tmp.path());
    assert_eq!(report["dates_from"], "git");
    assert_eq!(
        lang(&report, "practices", "fr")["outdated"],
        serde_json::json!([])
    );

    let en = "content/practices/social-activation/index.en.md";
    let text = fs::read_to_string(root.join(en)).unwrap();
    fs::write(root.join(en), text + "\nA new paragraph.\n").unwrap();
    git(&["commit", "-q", "-a", "-m", "update the source"], jan_2021);
    let report = json(&root, tmp.path());
    assert_eq!(report["dates_from"], "git");
    assert_eq!(
        lang(&report, "practices", "fr")["outdated"],
        serde_json::json!([{
            "slug": "social-activation",
            "source_language": "en",
            "changed": jan_2020,
            "source_changed": jan_2021,
            "file": "content/practices/social-activation/index.fr.md",
            "source_file": en,
        }])
    );
    assert_eq!(
        lang(&report, "pages", "fr")["outdated"],
        serde_json::json!([])
    );

    // An uncommitted change counts as made now: the translation is being updated.
    let fr = "content/practices/social-activation/index.fr.md";
    let text = fs::read_to_string(root.join(fr)).unwrap();
    fs::write(root.join(fr), text + "\nUn nouveau paragraphe.\n").unwrap();
    let report = json(&root, tmp.path());
    assert_eq!(
        lang(&report, "practices", "fr")["outdated"],
        serde_json::json!([])
    );
}

#[test]
fn text_shows_the_table_and_the_missing_slugs() {
    let tmp = site();
    let root = common::site_root(&tmp);
    touch_all(&root.join("content"), T2020);
    touch(
        &root.join("content/practices/social-activation/index.en.md"),
        T2021,
    );
    let out = status(&root, tmp.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{stdout}");
    // Compare lines with their spaces collapsed: column widths are not the point.
    let lines: Vec<String> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let has = |line: &str| {
        assert!(
            lines.iter().any(|l| l == line),
            "no line `{line}` in:\n{stdout}"
        )
    };
    has("3 practices, 1 partner, 1 page in 2 languages; dates from file modification times");
    has("Practices (3)");
    has("language present missing outdated");
    has("en English 2/3 1 0");
    has("fr Français 2/3 1 1");
    has("Partners (1)");
    has("fr Français 0/1 1 0");
    has("Missing translations:");
    has("fr Français (1): job-bridge");
    has("en English (1): cafe-social");
    has("fr Français (1): csd-koper");
    has("social-activation (fr): changed 2020-01-01, source en changed 2021-01-01");
}

#[test]
fn help_shows_examples() {
    let out = Command::new(common::server::bin())
        .args(["status", "--help"])
        .output()
        .expect("run the limes binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("--format <FORMAT>"), "{stdout}");
    assert!(stdout.contains("limes status --format json"), "{stdout}");
}

#[test]
fn a_site_with_errors_exits_1_with_the_diagnostics() {
    let tmp = site();
    let root = common::site_root(&tmp);
    write(
        &root,
        "content/practices/broken/index.en.md",
        "+++\ntitle = \"Broken\"\nstatus = \"ongoing\"\ncountries = [\"SI\"]\nthemes = [\"employmnt\"]\n+++\n",
    );
    let out = status(&root, tmp.path(), &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert!(
        stderr.contains(
            "content/practices/broken/index.en.md:5:11: error: unknown theme `employmnt`"
        ),
        "stderr:\n{stderr}"
    );
    assert!(stderr.contains("did you mean `employment`?"), "{stderr}");
}

#[test]
fn status_refuses_what_build_refuses_templates_and_code_strings() {
    for case in ["template-syntax-error", "i18n-code-keys-missing"] {
        let tmp = common::site_from_fixture(&format!("invalid/{case}"));
        let root = common::site_root(&tmp);
        let out = status(&root, tmp.path(), &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{case}: {stderr}");
        let expected =
            fs::read_to_string(common::fixture(&format!("invalid/{case}/expected.txt"))).unwrap();
        assert!(stderr.starts_with(&expected), "{case}: {stderr}");
    }
}
