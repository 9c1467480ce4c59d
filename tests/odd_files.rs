//! Files as editors' systems write them (issue 14): line endings of Windows and old
//! Macs, control characters, file names that are not UTF-8, in another Unicode form or
//! another letter case, symbolic links. What git cannot hold well (odd bytes in names,
//! two names one checkout would merge, links) is written here into a copy of the
//! minimal fixture; the rest has fixtures in tests/fixtures/invalid/ (`cr-line-endings`,
//! `crlf-line-endings`, `csv-line-endings`, `control-characters`, `symlink-*`).

mod common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use limes::diagnostics::Diagnostics;

/// The minimal fixture in a temporary folder, with `edit` applied to its root.
fn site(edit: impl FnOnce(&Path)) -> (tempfile::TempDir, PathBuf) {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    edit(&root);
    (tmp, root)
}

fn build(tmp: &tempfile::TempDir) -> Result<PathBuf, Diagnostics> {
    let out = tmp.path().join("out");
    common::build(&common::site_root(tmp), &out).map(|_| out)
}

#[track_caller]
fn errors(tmp: &tempfile::TempDir) -> String {
    match build(tmp) {
        Ok(_) => panic!("the build succeeded but should have failed"),
        Err(diags) => diags.to_string(),
    }
}

/// `text` with every line ending made `ending`.
fn with_endings(text: &str, ending: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', ending)
}

fn rewrite(path: &Path, edit: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    fs::write(path, edit(text)).unwrap();
}

fn write(root: &Path, rel: impl AsRef<OsStr>, bytes: &[u8]) {
    let path = root.join(rel.as_ref());
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

#[test]
fn files_with_old_mac_or_windows_line_endings_are_read_line_by_line() {
    for ending in ["\r", "\r\n"] {
        let (tmp, _) = site(|root| {
            let to = |t: String| with_endings(&t, ending);
            rewrite(
                &root.join("content/practices/social-activation/index.en.md"),
                to,
            );
            rewrite(&root.join("content/vocabularies.toml"), to);
            rewrite(&root.join("observatory.toml"), to);
            rewrite(&root.join("i18n/en.toml"), to);
            rewrite(&root.join("themes/default/templates/base.html"), to);
        });
        let out = build(&tmp).unwrap_or_else(|d| panic!("{ending:?}:\n{d}"));
        let page = fs::read_to_string(out.join("en/practices/social-activation/index.html"))
            .expect("the practice's page");
        common::assert_contains(&page, ">Context</h2>");
        common::assert_contains(
            &page,
            "Long-term unemployment is high on both sides of the border. The model was first\ntried by",
        );
        assert!(!page.contains('\r'), "{ending:?}: a CR in the page");
    }
}

#[test]
fn control_characters_in_interface_strings_are_errors_where_they_are() {
    let (tmp, root) = site(|root| {
        rewrite(&root.join("i18n/en.toml"), |t| {
            let t = t.replace(
                "breadcrumb = \"Breadcrumb\"",
                "breadcrumb = \"Bread\u{1b}[1mcrumb\"",
            );
            with_endings(
                &t.replace("home = \"Home\"", "home = \"Ho\\u0085me\""),
                "\r\n",
            )
        });
    });
    let text = fs::read_to_string(root.join("i18n/en.toml")).unwrap();
    let line_of = |s: &str| text.split("\r\n").position(|l| l.starts_with(s)).unwrap() + 1;
    let (b, h) = (line_of("breadcrumb ="), line_of("home ="));
    assert_eq!(
        errors(&tmp),
        format!(
            "i18n/en.toml:{b}:20: error: control character U+001B (ESC) in the text
  |
{b} | breadcrumb = \"Bread\u{241b}[1mcrumb\"
  |                    ^
  = help: remove it: most editors show nothing there, so delete the characters on both sides of it and type them again (it usually comes from text pasted from a PDF or another program)

i18n/en.toml:{h}:11: error: control character U+0085 (NEL) in the text, written `\\u0085`
  |
{h} | home = \"Ho\\u0085me\"
  |           ^^^^^^
  = help: remove the escape: no page or feed may hold a control character

"
        )
    );
}

#[test]
fn a_control_character_written_as_a_markdown_reference_is_an_error() {
    let (tmp, _) = site(|root| {
        rewrite(
            &root.join("content/practices/social-activation/index.en.md"),
            |t| t.replace("of the border.", "of the border&#7;&#x1B;. &#x85;"),
        );
    });
    assert_eq!(
        errors(&tmp),
        "content/practices/social-activation/index.en.md:14:59: error: control character U+0007 (BEL) in the text, written `&#7;`
   |
14 | Long-term unemployment is high on both sides of the border&#7;&#x1B;. &#x85; The model was first
   |                                                           ^^^^
   = help: remove the reference: no page or feed may hold a control character

content/practices/social-activation/index.en.md:14:63: error: control character U+001B (ESC) in the text, written `&#x1B;`
   |
14 | Long-term unemployment is high on both sides of the border&#7;&#x1B;. &#x85; The model was first
   |                                                               ^^^^^^
   = help: remove the reference: no page or feed may hold a control character

content/practices/social-activation/index.en.md:14:71: error: control character U+0085 (NEL) in the text, written `&#x85;`
   |
14 | Long-term unemployment is high on both sides of the border&#7;&#x1B;. &#x85; The model was first
   |                                                                       ^^^^^^
   = help: remove the reference: no page or feed may hold a control character

"
    );
}

#[test]
fn file_names_that_are_not_utf8_are_refused() {
    let (tmp, _) = site(|root| {
        // Two names that a lossy reading would make one: café in Latin-1, cafè.
        write(root, OsStr::from_bytes(b"content/static/caf\xe9.pdf"), b"1");
        write(root, OsStr::from_bytes(b"content/static/caf\xe8.pdf"), b"2");
        write(
            root,
            OsStr::from_bytes(b"content/static/\xc9t\xe9/a.pdf"),
            b"3",
        );
        write(
            root,
            OsStr::from_bytes(b"themes/default/static/\xff.css"),
            b"4",
        );
    });
    let help = "rename it: the name was written in another encoding (an older system's, such as Latin-1), which browsers, hosts and other systems read differently";
    assert_eq!(
        errors(&tmp),
        format!(
            "content/static/caf\u{fffd}.pdf: error: the name `caf\\xE8.pdf` is not UTF-8 text
  = help: {help}

content/static/caf\u{fffd}.pdf: error: the name `caf\\xE9.pdf` is not UTF-8 text
  = help: {help}

content/static/\u{fffd}t\u{fffd}: error: the name `\\xC9t\\xE9` is not UTF-8 text
  = help: {help}

themes/default/static/\u{fffd}.css: error: the name `\\xFF.css` is not UTF-8 text
  = help: {help}

"
        )
    );
}

#[test]
fn names_that_differ_only_in_letter_case_or_unicode_form_are_refused() {
    let (tmp, _) = site(|root| {
        write(root, "content/static/\u{c9}t\u{e9}.pdf", b"composed");
        write(root, "content/static/E\u{301}te\u{301}.pdf", b"decomposed");
        write(root, "content/static/Report.pdf", b"1");
        write(root, "content/static/report.pdf", b"2");
        write(root, "content/static/docs/a.pdf", b"3");
        write(root, "content/static/Docs/b.pdf", b"4");
        write(root, "content/static/e\u{301}te\u{301}.pdf", b"5");
    });
    let help = "rename or remove one of them: Windows, macOS and many web hosts take the two names for one file";
    assert_eq!(
        errors(&tmp),
        format!(
            "content/static/docs: error: `Docs` and `docs` in content/static/ differ only in letter case
  = help: {help}

content/static/e\u{301}te\u{301}.pdf: error: `E\u{301}te\u{301}.pdf` and `e\u{301}te\u{301}.pdf` in content/static/ differ only in letter case
  = help: {help}

content/static/report.pdf: error: `Report.pdf` and `report.pdf` in content/static/ differ only in letter case
  = help: {help}

content/static/\u{c9}t\u{e9}.pdf: error: `E\u{301}te\u{301}.pdf` and `\u{c9}t\u{e9}.pdf` in content/static/ are one name written in two Unicode forms (accented letters composed, NFC, in one; decomposed, NFD, in the other)
  = help: {help}

"
        )
    );
}

#[test]
fn a_static_file_named_as_a_theme_file_but_for_letter_case_is_refused() {
    let (tmp, _) = site(|root| {
        write(root, "content/static/CSS/Site.css", b"body {}");
    });
    let help = "name it content/static/css/site.css to replace the theme's file, or give it another name: Windows, macOS and many web hosts take the two names for one file";
    assert_eq!(
        errors(&tmp),
        format!(
            "content/static/CSS/Site.css: error: `content/static/CSS/Site.css` and the theme's `themes/default/static/css/site.css` differ only in letter case
  = help: {help}

"
        )
    );
}

#[test]
fn a_name_saved_in_decomposed_form_is_published_in_composed_form() {
    let (tmp, _) = site(|root| {
        write(root, "content/static/docs/E\u{301}te\u{301}.pdf", b"summer");
    });
    let out = build(&tmp).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        fs::read(out.join("docs/\u{c9}t\u{e9}.pdf")).unwrap(),
        b"summer"
    );
    let names: Vec<String> = fs::read_dir(out.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["\u{c9}t\u{e9}.pdf"]);
}

#[test]
fn links_inside_the_folder_they_are_published_from_are_followed() {
    let (tmp, _) = site(|root| {
        write(root, "content/static/reports/2024.pdf", b"report 2024");
        std::os::unix::fs::symlink("reports/2024.pdf", root.join("content/static/latest.pdf"))
            .unwrap();
        std::os::unix::fs::symlink("reports", root.join("content/static/archive")).unwrap();
    });
    let out = build(&tmp).unwrap_or_else(|d| panic!("{d}"));
    for rel in ["reports/2024.pdf", "latest.pdf", "archive/2024.pdf"] {
        assert_eq!(fs::read(out.join(rel)).unwrap(), b"report 2024", "{rel}");
    }
}

#[test]
fn a_translation_starts_from_a_source_with_old_mac_line_endings() {
    let (_tmp, root) = site(|root| {
        let to_cr = |t: String| with_endings(&t, "\r");
        rewrite(&root.join("content/partners/csd-koper/index.en.md"), to_cr);
        rewrite(&root.join("observatory.toml"), to_cr);
    });
    let created = limes::scaffold::new::translation(&root, "partners/csd-koper", "fr")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let text = fs::read_to_string(root.join(&created.path)).unwrap();
    let source = fs::read_to_string(root.join("content/partners/csd-koper/index.en.md")).unwrap();
    let body = source.rsplit("+++\r").next().unwrap().replace('\r', "\n");
    assert!(!text.contains('\r'), "{text:?}");
    assert!(
        text.ends_with(&body),
        "the body is not copied line by line:\n{text}"
    );
}
