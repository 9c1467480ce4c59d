//! `limes new practice|partner|page <slug>` and `limes new translation`, run as an
//! editor runs them: the file they write, that the site builds right after (publishing
//! nothing unfinished), what they refuse and how they say it.

mod common;

use common::{limes, ok, text};

use std::fs;
use std::path::{Path, PathBuf};

use limes::BuildOptions;

/// Runs limes and expects `code` with exactly `stderr`, and nothing on stdout.
#[track_caller]
fn refused(cwd: &Path, args: &[&str], code: i32, stderr: &str) {
    let out = limes(cwd, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "limes {args:?}\n{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stderr), stderr, "limes {args:?}");
    assert_eq!(text(&out.stdout), "", "limes {args:?}");
}

/// A copy of the repository's example observatory in `<tmp>/site`.
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for part in ["content", "i18n", "themes"] {
        common::copy_dir(&common::repo().join(part), &root.join(part)).unwrap();
    }
    fs::copy(
        common::repo().join("observatory.toml"),
        root.join("observatory.toml"),
    )
    .unwrap();
    (tmp, root)
}

fn build(root: &Path, out: &Path, drafts: bool) -> Result<limes::BuildReport, String> {
    limes::build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        drafts,
        ..BuildOptions::default()
    })
    .map_err(|e| e.diagnostics.to_string())
}

/// The file with every commented-out field of its front matter put in, and without
/// `draft = true`: what an editor has once they have filled every field in.
fn fill_in(path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    let (front, body) = text[4..].split_once("+++\n").unwrap();
    let mut out = String::from("+++\n");
    for line in front.lines() {
        let field = line.strip_prefix("# ").filter(|l| {
            l.starts_with("[[")
                || l.split_once(" = ").is_some_and(|(k, _)| {
                    !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                })
        });
        match field {
            Some(f) => out.push_str(f),
            None if line == "draft = true" => continue,
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.push_str("+++\n");
    out.push_str(body);
    fs::write(path, out).unwrap();
}

#[test]
fn a_new_record_of_each_kind_is_a_draft_the_site_builds_with() {
    let (tmp, root) = example_site();
    let made = [
        (
            vec!["new", "practice", "cafe-social"],
            "content/practices/cafe-social/index.en.md",
        ),
        (
            vec!["new", "partner", "rijeka-help-desk", "--lang", "hr"],
            "content/partners/rijeka-help-desk/index.hr.md",
        ),
        (
            vec!["new", "page", "join-us", "--lang", "fr"],
            "content/pages/join-us/index.fr.md",
        ),
    ];
    for (args, rel) in &made {
        let stdout = ok(&root, args);
        assert_eq!(
            stdout,
            format!("{rel}\n"),
            "limes {args:?} prints the path it wrote"
        );
        assert!(root.join(rel).is_file(), "{rel}");
    }
    // With --root, the path is shown under the root as given.
    let stdout = ok(
        tmp.path(),
        &["new", "page", "partners-meeting", "--root", "site"],
    );
    assert_eq!(stdout, "site/content/pages/partners-meeting/index.en.md\n");

    let practice = fs::read_to_string(root.join(made[0].1)).unwrap();
    assert!(practice.starts_with("+++\n# Draft: "), "{practice}");
    for line in [
        "draft = true",
        "# Title of the practice (required)",
        "title = \"Cafe social\"",
        "status = \"planned\"",
        "countries = [\"SI\"]",
        "# border = \"si-hr\"",
        "# [[results]]",
        "# [[sources]]",
        "## Context",
        "## Transferability",
    ] {
        assert!(
            practice.lines().any(|l| l == line),
            "no line `{line}` in\n{practice}"
        );
    }
    // The comments are in the file's language.
    let page = fs::read_to_string(root.join(made[2].1)).unwrap();
    assert!(
        page.contains("\n# Titre de la page (obligatoire)\ntitle = \"Join us\"\n"),
        "{page}"
    );
    let partner = fs::read_to_string(root.join(made[1].1)).unwrap();
    assert!(
        partner.contains("\n# Puni naziv organizacije (obavezno)\n"),
        "{partner}"
    );

    // The site builds, and publishes none of them.
    let out = tmp.path().join("public");
    build(&root, &out, false).unwrap();
    for gone in [
        "en/practices/cafe-social/index.html",
        "hr/partners/rijeka-help-desk/index.html",
        "fr/join-us/index.html",
        "en/partners-meeting/index.html",
    ] {
        assert!(!out.join(gone).exists(), "{gone} was published");
    }
    // With drafts (as `limes serve` builds), they are there.
    build(&root, &out, true).unwrap();
    for shown in [
        "en/practices/cafe-social/index.html",
        "hr/partners/rijeka-help-desk/index.html",
        "fr/join-us/index.html",
    ] {
        assert!(
            out.join(shown).is_file(),
            "{shown} is not shown with drafts"
        );
    }

    // Every optional field's example is valid as it stands: filled in and published,
    // the site still builds.
    for (_, rel) in &made {
        fill_in(&root.join(rel));
    }
    build(&root, &out, false).unwrap_or_else(|e| panic!("filled in, the new files fail:\n{e}"));
    assert!(out.join("en/practices/cafe-social/index.html").is_file());
    let filled = fs::read_to_string(root.join(made[0].1)).unwrap();
    assert!(
        filled.contains("\n[[results]]\nlabel = \"...\""),
        "{filled}"
    );
}

#[test]
fn a_site_without_the_comment_strings_gets_them_in_english() {
    // The rtl fixture has its own interface strings (English and Arabic), without the
    // comments of new files.
    let tmp = common::site_from_fixture("rtl");
    let root = common::site_root(&tmp);
    let stdout = ok(&root, &["new", "practice", "souk-lab", "--lang", "ar"]);
    assert_eq!(stdout, "content/practices/souk-lab/index.ar.md\n");
    let file = fs::read_to_string(root.join("content/practices/souk-lab/index.ar.md")).unwrap();
    assert!(
        file.contains("\n# Title of the practice (required)\n"),
        "{file}"
    );
    ok(&root, &["new", "partner", "tunis-desk"]);
    build(&root, &tmp.path().join("public"), false).unwrap();
}

#[test]
fn new_refuses_what_would_not_build_and_writes_nothing() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    let before = common::list_files(&root);
    refused(
        &root,
        &["new", "practice", "social-activation"],
        1,
        "error: the practice `social-activation` already exists: content/practices/social-activation/index.en.md\n  = help: choose another slug; to translate the practice, run: limes new translation practices/social-activation --lang <language>\n",
    );
    refused(
        &root,
        &["new", "partner", "csd-koper", "--lang", "fr"],
        1,
        "error: the partner `csd-koper` already exists: content/partners/csd-koper/index.en.md\n  = help: choose another slug; to translate the partner, run: limes new translation partners/csd-koper --lang <language>\n",
    );
    refused(
        &root,
        &["new", "practice", "Café Social"],
        1,
        "error: `Café Social` is not a valid slug\n  = help: slugs use lowercase ASCII letters, digits and single `-` between them, for example `cafe-social`\n",
    );
    refused(
        &root,
        &["new", "page", "a--b"],
        1,
        "error: `a--b` is not a valid slug\n  = help: slugs use lowercase ASCII letters, digits and single `-` between them, for example `a-b`\n",
    );
    refused(
        &root,
        &["new", "practice", "job-bridge", "--lang", "de"],
        1,
        "error: `de` is not one of the site's languages\n  = help: the site's languages are en, fr; to add `de`, list it in `languages` in observatory.toml and write i18n/de.toml\n",
    );
    refused(
        &root,
        &["new", "practice", "job-bridge", "--lang", "FR"],
        1,
        "error: `FR` is not one of the site's languages\n  = help: did you mean `fr`? the site's languages are en, fr\n",
    );
    refused(
        &root,
        &["new", "page", "search"],
        1,
        &format!(
            "error: the page slug `search` is an address limes uses itself\n  = help: choose another slug; reserved slugs are: {}\n",
            limes::routes::RESERVED.join(", ")
        ),
    );
    // A partner needs a kind from the vocabulary.
    let vocab = root.join("content/vocabularies.toml");
    let vocabularies = fs::read_to_string(&vocab).unwrap();
    let without = &vocabularies[..vocabularies.find("[partner_kinds.ngo]").unwrap()];
    fs::write(&vocab, without).unwrap();
    refused(
        &root,
        &["new", "partner", "hzz-rijeka"],
        1,
        "error: content/vocabularies.toml defines no partner kind, and a partner needs one\n  = help: add one first, for example a table [partner_kinds.ngo] with a line en = \"Non-governmental organisation\" (a label per language)\n",
    );
    fs::write(&vocab, &vocabularies).unwrap();
    assert_eq!(
        common::list_files(&root),
        before,
        "a refusal wrote something"
    );

    // Not a site: the build's message.
    let out = limes(tmp.path(), &["new", "practice", "x", "--root", "nowhere"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("nowhere: error: the site folder does not exist\n"),
        "{}",
        text(&out.stderr)
    );
    // A mistake in the command itself is a usage error.
    assert_eq!(limes(&root, &["new", "practice"]).status.code(), Some(2));
    assert_eq!(
        limes(&root, &["new", "article", "x"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_translation_starts_from_the_text_of_the_source_without_the_facts() {
    let (tmp, root) = example_site();
    // cries-social-economy-models is written in English (the default) and Romanian.
    let record = "practices/cries-social-economy-models";
    let source =
        fs::read_to_string(root.join("content/practices/cries-social-economy-models/index.en.md"))
            .unwrap();
    let stdout = ok(&root, &["new", "translation", record, "--lang", "fr"]);
    assert_eq!(
        stdout,
        "content/practices/cries-social-economy-models/index.fr.md\n"
    );
    let file = fs::read_to_string(root.join(stdout.trim_end())).unwrap();
    assert!(
        file.starts_with("+++\n# Traduction de content/practices/cries-social-economy-models/index.en.md\u{a0}: traduisez le texte sur place, puis supprimez la ligne draft = true.\n"),
        "{file}"
    );
    assert!(file.lines().any(|l| l == "draft = true"), "{file}");
    let front = |t: &str| -> toml::Table {
        let (f, _) = t[4..].split_once("+++\n").unwrap();
        toml::from_str(f).unwrap()
    };
    let (ours, theirs) = (front(&file), front(&source));
    assert_eq!(ours["title"], theirs["title"]);
    assert_eq!(ours["summary"], theirs["summary"]);
    // Facts are left to the other translations...
    for fact in [
        "status",
        "start",
        "end",
        "countries",
        "territories",
        "themes",
        "target_groups",
        "partners",
        "transferability",
    ] {
        assert!(
            !ours.contains_key(fact),
            "the translation states `{fact}`:\n{file}"
        );
    }
    // ...but the results' labels are text, and a result is written with its value.
    assert_eq!(ours["results"], theirs["results"]);
    // The body, to translate in place.
    let body = |t: &str| t[4..].split_once("+++\n").unwrap().1.to_string();
    assert_eq!(body(&file), body(&source));

    // The site builds with it; the French page is still the English one (a draft).
    let out = tmp.path().join("public");
    build(&root, &out, false).unwrap();
    let fr = fs::read_to_string(out.join("fr/practices/cries-social-economy-models/index.html"))
        .unwrap();
    assert!(
        fr.contains("<article class=\"record practice\" lang=\"en\""),
        "the draft translation was published"
    );
    build(&root, &out, true).unwrap();
    let fr = fs::read_to_string(out.join("fr/practices/cries-social-economy-models/index.html"))
        .unwrap();
    assert!(
        !fr.contains("<article class=\"record practice\" lang=\"en\""),
        "the draft translation is not shown with drafts"
    );

    // Partners and pages: their own text fields.
    ok(
        &root,
        &["new", "translation", "partners/ccae", "--lang", "it"],
    );
    let partner = fs::read_to_string(root.join("content/partners/ccae/index.it.md")).unwrap();
    let p = front(&partner);
    assert_eq!(p["name"].as_str(), Some("Alt Empordà County Council"));
    assert!(
        !p.contains_key("kind") && !p.contains_key("country"),
        "{partner}"
    );
    ok(&root, &["new", "page", "events"]);
    ok(
        &root,
        &[
            "new",
            "translation",
            "content/pages/events/",
            "--lang",
            "sq",
        ],
    );
    let page = fs::read_to_string(root.join("content/pages/events/index.sq.md")).unwrap();
    assert!(page.contains("\ntitle = \"Events\"\n"), "{page}");
    build(&root, &out, false).unwrap();
    build(&root, &out, true).unwrap();

    // Refusals.
    refused(
        &root,
        &["new", "translation", record, "--lang", "ro"],
        1,
        "error: the practice `cries-social-economy-models` already exists in `ro`: content/practices/cries-social-economy-models/index.ro.md\n  = help: edit that file; `limes status` lists the translations that are missing or older than their source\n",
    );
    refused(
        &root,
        &["new", "translation", "practices/job-bridge", "--lang", "fr"],
        1,
        "error: there is no practice `job-bridge` to translate\n  = help: check the slug in content/practices/, or start the practice with: limes new practice job-bridge\n",
    );
    refused(
        &root,
        &["new", "translation", "practices/job-bridge", "--lang", "de"],
        1,
        "error: `de` is not one of the site's languages\n  = help: the site's languages are en, fr, es, ca, it, pt, ro, hr, sl, sq, sr-Latn; to add `de`, list it in `languages` in observatory.toml and write i18n/de.toml\n",
    );
    refused(
        &root,
        &["new", "translation", "job-bridge", "--lang", "fr"],
        2,
        "error: `job-bridge` does not name a record\n  = help: name the record as practices/<slug>, partners/<slug> or pages/<slug>\n",
    );
    refused(
        &root,
        &["new", "translation", "articles/job-bridge", "--lang", "fr"],
        2,
        "error: `articles` is not a kind of record\n  = help: name the record as practices/<slug>, partners/<slug> or pages/<slug>\n",
    );
}

#[test]
fn a_translation_of_a_record_without_the_default_language_starts_from_its_first() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    let dir = root.join("content/practices/cafe-social");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("index.fr.md"),
        "+++\ntitle = \"Café social\"\nstatus = \"ongoing\"\ncountries = [\"SI\"]\n+++\nUn café.\n",
    )
    .unwrap();
    ok(
        &root,
        &[
            "new",
            "translation",
            "practices/cafe-social",
            "--lang",
            "en",
        ],
    );
    let file = fs::read_to_string(dir.join("index.en.md")).unwrap();
    assert!(
        file.contains("\n# Translation of content/practices/cafe-social/index.fr.md: "),
        "{file}"
    );
    assert!(file.contains("\ntitle = \"Café social\"\n"), "{file}");
    assert!(file.ends_with("+++\nUn café.\n"), "{file}");
    build(&root, &tmp.path().join("public"), false).unwrap();
}
