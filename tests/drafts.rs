//! Drafts: a translation that says `draft = true` is checked like any other file, left
//! out of every output of a build without drafts, and published with drafts (as
//! `limes serve` builds). `tests/fixtures/drafts/` has a practice, a partner and a page
//! that are drafts in every language, and a practice whose French translation is one.

mod common;

use std::fs;
use std::path::Path;

use limes::BuildOptions;

/// Words only the drafts hold (slugs, and words of their titles and summaries as the
/// search index keeps them: lowercase, possibly cut to their stems).
const DRAFT_WORDS: &[&str] = &[
    "secret-pilot",
    "zanzibar",
    "quokka",
    "hidden-partner",
    "xylophon",
    "launch-notes",
    "vellichor",
    "brouillonnes",
];

fn build(root: &Path, out: &Path, drafts: bool) -> limes::BuildReport {
    limes::build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        drafts,
        ..BuildOptions::default()
    })
    .unwrap_or_else(|e| panic!("the build failed:\n{}", e.diagnostics))
}

/// Every file of the output with one of `words` in it (any case), and the word.
fn files_with(out: &Path, words: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for rel in common::list_files(out) {
        let text = String::from_utf8_lossy(&fs::read(out.join(&rel)).unwrap()).to_lowercase();
        for w in words {
            if text.contains(w) {
                found.push((rel.clone(), w.to_string()));
            }
        }
    }
    found
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

#[test]
fn a_build_leaves_every_draft_out_of_every_file() {
    let tmp = common::site_from_fixture("drafts");
    let root = common::site_root(&tmp);
    let out = tmp.path().join("public");
    build(&root, &out, false);

    let found = files_with(&out, DRAFT_WORDS);
    assert!(found.is_empty(), "drafts published in: {found:#?}");
    for gone in [
        "en/practices/secret-pilot/index.html",
        "fr/practices/secret-pilot/index.html",
        "en/partners/hidden-partner/index.html",
        "en/launch-notes/index.html",
    ] {
        assert!(!out.join(gone).exists(), "{gone} was published");
    }
    // The counts leave them out too.
    common::assert_contains(&read(&out, "en/practices/index.html"), "2 good practices");

    // A draft translation: the record is published in its other language, and its
    // French page shows the English text as any missing translation does.
    let fr = read(&out, "fr/practices/job-bridge/index.html");
    common::assert_contains(&fr, "Job bridge");
    common::assert_contains(&fr, "<article class=\"record practice\" lang=\"en\"");
    common::assert_not_contains(&fr, "<link rel=\"alternate\" hreflang=\"fr\"");
    let sitemap = read(&out, "sitemap.xml");
    common::assert_contains(&sitemap, "/en/practices/job-bridge/");
    common::assert_not_contains(&sitemap, "/fr/practices/job-bridge/");
}

#[test]
fn with_drafts_every_draft_is_published() {
    let tmp = common::site_from_fixture("drafts");
    let root = common::site_root(&tmp);
    let out = tmp.path().join("public");
    build(&root, &out, true);

    for w in DRAFT_WORDS {
        assert!(
            !files_with(&out, &[w]).is_empty(),
            "`{w}` is in no file of a build with drafts"
        );
    }
    common::assert_contains(
        &read(&out, "en/practices/secret-pilot/index.html"),
        "Zanzibarish pilot of mentoring",
    );
    common::assert_contains(
        &read(&out, "en/partners/hidden-partner/index.html"),
        "Xylophonic Foundation",
    );
    common::assert_contains(
        &read(&out, "en/launch-notes/index.html"),
        "Vellichor launch notes",
    );
    common::assert_contains(
        &read(&out, "fr/practices/job-bridge/index.html"),
        "Passerelle brouillonnesque",
    );
    common::assert_contains(&read(&out, "en/practices/index.html"), "3 good practices");
}

#[test]
fn the_command_line_build_leaves_drafts_out() {
    let tmp = common::site_from_fixture("drafts");
    let out = std::process::Command::new(common::server::bin())
        .args(["build", "--root", "site"])
        .current_dir(tmp.path())
        .output()
        .expect("run the limes binary");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    let public = tmp.path().join("site/public");
    assert!(public.join("en/practices/job-bridge/index.html").is_file());
    let found = files_with(&public, DRAFT_WORDS);
    assert!(found.is_empty(), "drafts published in: {found:#?}");
}

/// A published record that links or names a record left out is an error of a build
/// without drafts (the `draft-linked` invalid fixture has the exact messages); with
/// drafts, the same site builds.
#[test]
fn a_link_to_a_draft_fails_only_a_build_without_drafts() {
    let tmp = common::site_from_fixture("invalid/draft-linked");
    let root = common::site_root(&tmp);
    let out = tmp.path().join("public");
    let err = common::build(&root, &out).expect_err("a link to a draft must fail the build");
    let messages: Vec<&str> = err.0.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "partner `hidden-partner` is a draft and not published",
            "link to `@/practices/secret-pilot`, which is a draft and not published",
        ]
    );
    build(&root, &out, true);
}

#[test]
fn draft_must_be_true_or_false() {
    let tmp = common::site_from_fixture("drafts");
    let root = common::site_root(&tmp);
    let file = root.join("content/practices/secret-pilot/index.en.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("draft = true", "draft = \"yes\"")).unwrap();
    for drafts in [false, true] {
        let err = limes::build(&BuildOptions {
            root: root.clone(),
            out: Some(tmp.path().join("public")),
            drafts,
            ..BuildOptions::default()
        })
        .expect_err("draft = \"yes\" must be refused");
        let shown = err.diagnostics.to_string();
        assert!(
            shown.contains(
                "content/practices/secret-pilot/index.en.md:2:9: error: `draft` must be true or false, found a string"
            ),
            "{shown}"
        );
        assert!(
            shown.contains("help: write it like: draft = true"),
            "{shown}"
        );
    }
}
