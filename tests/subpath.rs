//! A site published under a path (`--base-url https://example.org/sub/`, as a GitHub
//! Pages project site is): every address the output holds — links, pictures, scripts,
//! stylesheets, forms, the addresses the scripts fetch, feeds, the sitemap, canonical
//! and alternate links, robots.txt, 404.html, the open data — stays under `/sub/` and
//! names a file the output has. And the same scan at the root of a host.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use limes::BuildOptions;

const HOST: &str = "example.org";

/// The example observatory of the repository, copied into a temporary folder, with a
/// picture in `content/static/` and a body that links it and the open data from the
/// root of the site (`/img/...`, `/data/...`), as an editor may write them.
fn example_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::site_root(&tmp);
    for dir in ["content", "themes", "i18n"] {
        common::copy_dir(&common::repo().join(dir), &root.join(dir)).unwrap();
    }
    fs::copy(
        common::repo().join("observatory.toml"),
        root.join("observatory.toml"),
    )
    .unwrap();
    let img = root.join("content/static/img");
    fs::create_dir_all(&img).unwrap();
    fs::write(img.join("border-map.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let about = root.join("content/pages/about/index.en.md");
    let mut text = fs::read_to_string(&about).unwrap();
    text.push_str(
        "\n![The border areas](/img/border-map.png)\n\nEvery record is also [open data](/data/datapackage.json), [as a table](/data/practices.csv).\n",
    );
    fs::write(&about, text).unwrap();
    tmp
}

fn build(root: &Path, out: &Path, base_url: &str) {
    let report = limes::build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: Some(base_url.to_string()),
        ..BuildOptions::default()
    });
    if let Err(e) = report {
        panic!("the build failed:\n{}", e.diagnostics);
    }
}

/// An address found in an output file, and where.
#[derive(Debug)]
struct Found {
    file: String,
    url: String,
    /// A prefix the scripts add file names to (`/sub/en/compare/p/`, the start of a
    /// template literal): its folder must exist, not an index.html in it.
    prefix: bool,
}

/// Every address in the output folder `out` that points into the site: root-relative
/// ones (`/...`), absolute ones to [`HOST`], and relative ones in HTML attributes
/// (resolved against the page's address).
fn scan(out: &Path, base: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for rel in common::list_files(out) {
        let ext = rel.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        if !["html", "xml", "json", "css", "js", "txt", "csv"].contains(&ext) {
            continue;
        }
        let text = fs::read_to_string(out.join(&rel)).unwrap();
        let mut push = |url: String, prefix: bool| {
            found.push(Found {
                file: rel.clone(),
                url,
                prefix,
            })
        };
        // Absolute addresses of the site's host, in any file.
        for url in absolute_urls(&decode(&text)) {
            push(url, false);
        }
        match ext {
            "html" | "xml" => {
                let page = page_url(base, &rel);
                for value in attribute_values(&text) {
                    let value = decode(&value);
                    if let Some(url) = site_url(&value, &page) {
                        push(url, false);
                    }
                }
                for (kind, body) in scripts(&text) {
                    if kind == "application/json" {
                        let json: serde_json::Value =
                            serde_json::from_str(&body).unwrap_or_else(|e| {
                                panic!("{rel}: a JSON script that is not JSON: {e}")
                            });
                        json_strings(&json, &mut |s| {
                            if is_root_relative(s) {
                                push(s.to_string(), s.ends_with('/'));
                            }
                        });
                    } else {
                        for (url, prefix) in js_literals(&body) {
                            push(url, prefix);
                        }
                    }
                }
            }
            "json" => {
                let json: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"));
                json_strings(&json, &mut |s| {
                    if is_root_relative(s) {
                        push(s.to_string(), false);
                    }
                });
            }
            "css" => {
                for url in css_urls(&text) {
                    if is_root_relative(&url) {
                        push(url, false);
                    }
                }
            }
            "js" => {
                for (url, prefix) in js_literals(&text) {
                    push(url, prefix);
                }
            }
            _ => {}
        }
    }
    found
}

/// The problems of `found` for a site whose base path is `base` (`/sub`, or empty):
/// an address outside it, or one naming no file of `out`.
fn problems(out: &Path, base: &str, found: &[Found]) -> Vec<String> {
    let origin = format!("https://{HOST}");
    let mut problems = Vec::new();
    for f in found {
        let path = f.url.strip_prefix(&origin).unwrap_or(&f.url);
        let path = path.split(['?', '#']).next().unwrap_or("");
        let path = if path.is_empty() { "/" } else { path };
        let Some(inside) = path.strip_prefix(base).filter(|rest| rest.starts_with('/')) else {
            problems.push(format!("{}: {} is not under {base}/", f.file, f.url));
            continue;
        };
        let target = out.join(percent_decode(inside.trim_start_matches('/')));
        let exists = if f.prefix {
            // The folder the script adds names to.
            let folder = &inside[..inside.rfind('/').map_or(0, |i| i + 1)];
            out.join(percent_decode(folder.trim_start_matches('/')))
                .is_dir()
        } else if inside.ends_with('/') {
            target.join("index.html").is_file()
        } else {
            target.is_file()
        };
        if !exists {
            problems.push(format!(
                "{}: {} names no file of the output ({})",
                f.file,
                f.url,
                display(&target, out)
            ));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// Fails with the first problems, if any.
#[track_caller]
fn assert_none(problems: &[String], of: usize) {
    assert!(
        problems.is_empty(),
        "{} of {of} addresses are wrong; the first:\n{}",
        problems.len(),
        problems[..problems.len().min(40)].join("\n")
    );
}

fn display(target: &Path, out: &Path) -> String {
    target
        .strip_prefix(out)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| target.display().to_string())
}

/// The address of an output file: `en/x/index.html` → `/sub/en/x/`.
fn page_url(base: &str, rel: &str) -> String {
    let rel = rel.strip_suffix("index.html").unwrap_or(rel);
    format!("{base}/{rel}")
}

/// A value of an HTML attribute as an address of the site, resolved against the
/// page's address `page`; `None` for other hosts, other schemes and bare fragments.
fn site_url(value: &str, page: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || v.starts_with('#') || v.starts_with("//") {
        return None;
    }
    if is_root_relative(v) {
        return Some(v.to_string());
    }
    if v.contains(':') {
        // A scheme (https:, mailto:, data:...): absolute addresses of the host are
        // collected by absolute_urls; the rest is not the site's. A value that is
        // not an address at all (a `content` of a meta element) has spaces.
        return None;
    }
    if v.contains(char::is_whitespace) {
        return None;
    }
    // Relative: against the page's folder (`page` ends with `/` for index.html).
    let folder = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    let mut segments: Vec<&str> = folder.split('/').collect();
    segments.pop();
    let (path, rest) = match v.find(['?', '#']) {
        Some(i) => v.split_at(i),
        None => (v, ""),
    };
    if path.is_empty() {
        // `?choose`: the page itself.
        return Some(format!("{page}{rest}"));
    }
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        match *part {
            "." => {}
            ".." => {
                segments.pop();
            }
            p if p.is_empty() && i + 1 == parts.len() => segments.push(""),
            p => segments.push(p),
        }
    }
    Some(format!("{}{rest}", segments.join("/")))
}

fn is_root_relative(s: &str) -> bool {
    s.starts_with('/') && !s.starts_with("//")
}

/// Every `https://HOST...` or `http://HOST...` address in `text`.
fn absolute_urls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for scheme in ["https://", "http://"] {
        let start = format!("{scheme}{HOST}");
        let mut rest = text;
        while let Some(i) = rest.find(&start) {
            let tail = &rest[i..];
            let end = tail
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | ',' | '\\')
                })
                .unwrap_or(tail.len());
            let url = &tail[..end];
            // Only the host itself, not a host that starts like it (example.org.evil).
            if url.len() == start.len() || url[start.len()..].starts_with(['/', '?', '#', ':']) {
                out.push(url.to_string());
            }
            rest = &tail[start.len()..];
        }
    }
    out
}

/// Attributes whose value is an address.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "data",
    "srcset",
    "xlink:href",
];

/// The values of the attributes of an HTML or XML text that hold an address
/// ([`URL_ATTRIBUTES`]), undecoded; of a `srcset`, its first address.
fn attribute_values(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("=\"") {
        let name_start = rest[..i]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .map_or(0, |s| s + 1);
        let name = rest[name_start..i].to_ascii_lowercase();
        rest = &rest[i + 2..];
        let Some(j) = rest.find('"') else { break };
        if URL_ATTRIBUTES.contains(&name.as_str()) {
            let value = &rest[..j];
            let value = if name == "srcset" {
                value.split_whitespace().next().unwrap_or("")
            } else {
                value
            };
            out.push(value.to_string());
        }
        rest = &rest[j + 1..];
    }
    out
}

/// The `<script>` elements of a page: their `type` (empty when none) and text.
fn scripts(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        rest = &rest[i..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let open = &rest[..open_end];
        let kind = open
            .split_once("type=\"")
            .and_then(|(_, t)| t.split_once('"'))
            .map(|(t, _)| t.to_string())
            .unwrap_or_default();
        let Some(close) = rest.find("</script>") else {
            break;
        };
        out.push((kind, rest[open_end + 1..close].to_string()));
        rest = &rest[close + "</script>".len()..];
    }
    out
}

/// Every string of a JSON value.
fn json_strings(v: &serde_json::Value, f: &mut impl FnMut(&str)) {
    match v {
        serde_json::Value::String(s) => f(s),
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_strings(v, f)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
            f(k);
            json_strings(v, f)
        }),
        _ => {}
    }
}

/// The addresses of `url(...)` in a stylesheet.
fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let Some(j) = rest.find(')') else { break };
        out.push(rest[..j].trim().trim_matches(['"', '\'']).to_string());
        rest = &rest[j..];
    }
    out
}

/// String literals of a script that start from the root of a host (`"/en/x"`,
/// `'/x'`, `` `/x` ``), wherever a literal can start (after `(`, `=`, `:`, `,`, `[`,
/// `+`, `?`, a space or a line start): what a `fetch` or an `href` of the script
/// would use. A regular expression like `/"/g` is not one. A template literal gives
/// its fixed start, as a prefix.
fn js_literals(js: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let chars: Vec<char> = js.chars().collect();
    for i in 0..chars.len().saturating_sub(2) {
        let q = chars[i];
        if !matches!(q, '"' | '\'' | '`') || chars[i + 1] != '/' {
            continue;
        }
        let after = chars[i + 2];
        if !(after.is_alphanumeric() || after == '$') {
            continue;
        }
        let before = if i == 0 { '\n' } else { chars[i - 1] };
        if !(before.is_whitespace() || matches!(before, '(' | '=' | ':' | ',' | '[' | '+' | '?')) {
            continue;
        }
        let end = chars[i + 1..]
            .iter()
            .position(|&c| c == q || c == '\n')
            .map_or(chars.len(), |p| i + 1 + p);
        let literal: String = chars[i + 1..end].iter().collect();
        // A template literal's fixed start: the folder it names must exist.
        match literal.split_once("${") {
            Some((start, _)) => out.push((start.to_string(), true)),
            None => out.push((literal, false)),
        }
    }
    out
}

/// HTML's character references as the browser reads them (`&#x2f;` is `/`).
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn percent_decode(s: &str) -> PathBuf {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    PathBuf::from(String::from_utf8_lossy(&out).into_owned())
}

/// What the scan finds on the example, by kind.
type Kind = (&'static str, fn(&Found) -> bool);

/// The scan must find addresses of every kind, or it would pass by finding nothing.
const KINDS: &[Kind] = &[
    ("a stylesheet link", |f| {
        f.file.ends_with(".html") && f.url.ends_with("/css/site.css")
    }),
    ("the comparison script", |f| {
        f.url.contains("/js/compare-") && f.url.ends_with(".js")
    }),
    ("a search manifest in the search config", |f| {
        f.file.ends_with(".html") && f.url.ends_with("/search/index.json")
    }),
    ("a search card's page", |f| {
        f.file.contains("/search/c-") && f.url.contains("/practices/")
    }),
    ("the search form", |f| {
        f.file.ends_with(".html") && f.url.ends_with("/search/")
    }),
    ("a practices' comparison data prefix", |f| {
        f.prefix && f.url.ends_with("/compare/p/")
    }),
    ("a territories' comparison data prefix", |f| {
        f.prefix && f.url.ends_with("/compare/t/")
    }),
    ("a sitemap entry", |f| f.file == "sitemap.xml"),
    ("the sitemap in robots.txt", |f| {
        f.file == "robots.txt" && f.url.ends_with("/sitemap.xml")
    }),
    ("a feed entry", |f| {
        f.file.ends_with("feed.xml") && f.url.contains("/practices/")
    }),
    ("a feed link on a page", |f| {
        f.file.ends_with(".html") && f.url.ends_with("/feed.xml")
    }),
    ("a canonical or alternate link", |f| {
        f.file.ends_with(".html") && f.url.starts_with("https://")
    }),
    ("a link of 404.html", |f| f.file == "404.html"),
    ("an open data link", |f| {
        f.file.ends_with(".html") && f.url.contains("/data/")
    }),
    ("an open data url column", |f| {
        f.file.starts_with("data/") && f.url.starts_with("https://")
    }),
    ("a picture linked from the root in Markdown", |f| {
        f.url.ends_with("/img/border-map.png")
    }),
];

fn assert_covers(found: &[Found], base: &str) {
    for (what, kind) in KINDS {
        assert!(
            found.iter().any(kind),
            "base {base:?}: the scan found no {what}"
        );
    }
}

#[test]
fn every_address_stays_under_the_sub_path_and_names_a_file() {
    let tmp = example_site();
    let out = tmp.path().join("public");
    build(&common::site_root(&tmp), &out, "https://example.org/sub/");
    let found = scan(&out, "/sub");
    assert_covers(&found, "/sub");
    let problems = problems(&out, "/sub", &found);
    assert_none(&problems, found.len());
    // The picture an editor linked from the root of the site is there, under /sub/.
    let about = fs::read_to_string(out.join("en/about/index.html")).unwrap();
    common::assert_contains(&decode(&about), "src=\"/sub/img/border-map.png\"");
    // robots.txt names the sitemap under the path.
    common::assert_contains(
        &fs::read_to_string(out.join("robots.txt")).unwrap(),
        "Sitemap: https://example.org/sub/sitemap.xml",
    );
}

#[test]
fn at_the_root_of_a_host_every_address_names_a_file_too() {
    let tmp = example_site();
    let out = tmp.path().join("public");
    build(&common::site_root(&tmp), &out, "https://example.org");
    let found = scan(&out, "");
    assert_covers(&found, "");
    let problems = problems(&out, "", &found);
    assert_none(&problems, found.len());
    let about = fs::read_to_string(out.join("en/about/index.html")).unwrap();
    common::assert_contains(&decode(&about), "src=\"/img/border-map.png\"");
}

/// The scan itself: on an output with addresses that leave the path or name nothing,
/// it reports each of them.
#[test]
fn the_scan_reports_addresses_outside_the_path_or_to_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    fs::create_dir_all(out.join("en")).unwrap();
    fs::create_dir_all(out.join("css")).unwrap();
    fs::write(
        out.join("css/site.css"),
        "body { background: url(/img/x.png) }",
    )
    .unwrap();
    fs::write(
        out.join("en/index.html"),
        concat!(
            r#"<link rel="stylesheet" href="&#x2f;sub&#x2f;css&#x2f;site.css">"#,
            r#"<a href="/en/">root</a><a href="/sub/fr/">missing</a><a href="../nowhere/">up</a>"#,
            r#"<a href="https://example.org/en/">abs</a><a href="https://example.org.evil/x">other</a>"#,
            r#"<script type="application/json">{"url":"/sub/en/search/index.json"}</script>"#,
            r#"<script>fetch("/en/data.json").then(r => r.json()); x.replace(/"/g, "")</script>"#,
            r#"<script>fetch(`/sub/en/${n}.json`); fetch(`/sub/missing/${n}.json`)</script>"#,
        ),
    )
    .unwrap();
    fs::write(
        out.join("robots.txt"),
        "Sitemap: https://example.org/sitemap.xml\n",
    )
    .unwrap();
    let found = scan(out, "/sub");
    let problems = problems(out, "/sub", &found);
    let expected = [
        "css/site.css: /img/x.png is not under /sub/",
        "en/index.html: ../nowhere/ names no file",
        "en/index.html: /en/ is not under /sub/",
        "en/index.html: /en/data.json is not under /sub/",
        "en/index.html: /sub/missing/ names no file",
        "en/index.html: /sub/en/search/index.json names no file",
        "en/index.html: /sub/fr/ names no file",
        "en/index.html: https://example.org/en/ is not under /sub/",
        "robots.txt: https://example.org/sitemap.xml is not under /sub/",
    ];
    for e in expected {
        let (file, rest) = e.split_once(": ").unwrap();
        let (url, what) = rest.split_once(' ').unwrap();
        let url = if url == "../nowhere/" {
            "/sub/nowhere/"
        } else {
            url
        };
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("{file}: {url} {what}"))),
            "not reported: {e}\nreported:\n{}",
            problems.join("\n")
        );
    }
    assert_eq!(problems.len(), expected.len(), "{}", problems.join("\n"));
}

#[test]
fn a_base_url_that_is_not_an_address_is_refused() {
    let tmp = common::site_from_fixture("minimal");
    let out = tmp.path().join("public");
    for bad in [
        "example.org/sub",
        "https://example.org//sub/",
        "https://example.org/a b/",
        "https://example.org/sub?x",
    ] {
        let result = limes::build(&BuildOptions {
            root: common::site_root(&tmp),
            out: Some(out.clone()),
            base_url: Some(bad.to_string()),
            ..BuildOptions::default()
        });
        let Err(e) = result else {
            panic!("{bad}: built");
        };
        let printed = e.diagnostics.to_string();
        assert!(
            printed.starts_with(&format!("--base-url: error: `{bad}` ")),
            "{bad}: {printed}"
        );
        assert!(printed.contains("  = help: "), "{printed}");
        assert!(!out.exists());
    }
}
