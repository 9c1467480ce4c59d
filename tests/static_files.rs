//! Files of `content/static/` that a browser would run as documents of the site (SVG,
//! HTML, XML): refused when they could run script, unless the site trusts its editors
//! (`raw_html = "trust"`), in which case they are published byte for byte. The checks
//! themselves are unit-tested in `src/static_check.rs`; these tests build the minimal
//! fixture with such files added.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use limes::diagnostics::Diagnostics;

const HOSTILE_SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <a href="javascript:alert(1)"><text>x</text></a>
</svg>
"#;

const CLEAN_SVG: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
  <style>.a { fill: #036 }</style>
  <a href="https://example.org/"><rect class="a" width="10" height="10"/></a>
</svg>
"##;

const HTML_PAGE: &str = "<!DOCTYPE html>\n<p onclick=\"alert(1)\">Hello</p>\n";
const VERIFICATION: &str = "google-site-verification: google1234abcd.html\n";

/// Bytes no text file has, for a picture that is never read.
fn picture() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..=255u8).rev().cycle().take(300));
    bytes.extend(b"<script>alert(1)</script>");
    bytes
}

/// The minimal fixture with `raw_html` set (or left out) and `files` added under
/// content/static/, built into `<tmp>/out`.
fn build(
    raw_html: Option<&str>,
    files: &[(&str, &[u8])],
) -> (tempfile::TempDir, PathBuf, Result<(), Diagnostics>) {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    if let Some(policy) = raw_html {
        let config = root.join("observatory.toml");
        let mut text = fs::read_to_string(&config).unwrap();
        text.push_str(&format!("\n[markdown]\nraw_html = \"{policy}\"\n"));
        fs::write(&config, text).unwrap();
    }
    for (rel, bytes) in files {
        let path = root.join("content/static").join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
    }
    let out = tmp.path().join("out");
    let result = common::build(&root, &out).map(|_| ());
    (tmp, out, result)
}

fn read(out: &Path, rel: &str) -> Vec<u8> {
    fs::read(out.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel} in the output: {e}"))
}

#[test]
fn a_trusting_site_publishes_such_files_as_they_are() {
    let files: &[(&str, &[u8])] = &[
        ("img/map.svg", HOSTILE_SVG.as_bytes()),
        ("img/map.svgz", b"\x1f\x8b\x08\x00 compressed"),
        ("legacy/page.html", HTML_PAGE.as_bytes()),
        ("feed.xsl", b"<xsl:stylesheet/>"),
    ];
    let (_tmp, out, result) = build(Some("trust"), files);
    if let Err(diags) = result {
        panic!("a trusting site refused its static files:\n{diags}");
    }
    for (rel, bytes) in files {
        assert_eq!(read(&out, rel), *bytes, "{rel}");
    }
}

#[test]
fn escape_and_sanitize_refuse_files_that_run_script() {
    for policy in [None, Some("escape"), Some("sanitize")] {
        let files: &[(&str, &[u8])] = &[
            ("img/map.svg", HOSTILE_SVG.as_bytes()),
            ("img/MAP2.SVG", HOSTILE_SVG.as_bytes()),
            ("legacy/page.html", HTML_PAGE.as_bytes()),
            ("img/map.svgz", b"\x1f\x8b\x08\x00"),
        ];
        let (_tmp, out, result) = build(policy, files);
        let Err(diags) = result else {
            panic!("{policy:?}: the build succeeded with a script in content/static/");
        };
        let shown: Vec<(String, usize, String)> = diags
            .errors()
            .map(|d| (d.file.clone(), d.line, d.message.clone()))
            .collect();
        let count = |file: &str| shown.iter().filter(|d| d.0 == file).count();
        assert_eq!(
            count("content/static/img/map.svg"),
            3,
            "{policy:?}: {shown:?}"
        );
        assert_eq!(
            count("content/static/img/MAP2.SVG"),
            3,
            "{policy:?}: {shown:?}"
        );
        assert_eq!(
            count("content/static/legacy/page.html"),
            1,
            "{policy:?}: {shown:?}"
        );
        assert_eq!(
            count("content/static/img/map.svgz"),
            1,
            "{policy:?}: {shown:?}"
        );
        assert_eq!(shown.len(), 8, "{policy:?}: {shown:?}");
        assert!(
            shown
                .iter()
                .any(|d| d.1 == 2 && d.2.contains("runs a script (`<script>`)")),
            "{policy:?}: {shown:?}"
        );
        assert!(!out.join("img/map.svg").exists());
    }
}

#[test]
fn harmless_files_are_published_unchanged_by_a_cautious_site() {
    let png = picture();
    let files: &[(&str, &[u8])] = &[
        ("img/clean.svg", CLEAN_SVG.as_bytes()),
        ("google1234abcd.html", VERIFICATION.as_bytes()),
        ("img/photo.png", &png),
        ("js/widget.js", b"document.write('<script>x</script>')"),
        (
            "data/feed.xml",
            b"<?xml version=\"1.0\"?><rss><title>A &amp; B</title></rss>",
        ),
    ];
    let (_tmp, out, result) = build(None, files);
    if let Err(diags) = result {
        panic!("harmless static files were refused:\n{diags}");
    }
    for (rel, bytes) in files {
        assert_eq!(read(&out, rel), *bytes, "{rel}");
    }
}
