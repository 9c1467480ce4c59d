//! tests/fixtures/hostile, whose editors put markup, quotes of both kinds, `</script>`,
//! `]]>`, `{{ }}`, `javascript:` addresses, U+2028 and spreadsheet formulas in every
//! field they write (records, vocabularies, territories, indicators, borders, units,
//! notes of the statistics, site settings, an interface string), built in each safe
//! `raw_html` mode. Every file of the output is read back as a browser, a feed reader,
//! a JSON parser or a spreadsheet would read it, and nothing an editor typed may come
//! out as markup, a script, an event handler, a `javascript:` link, a broken document
//! or a formula. tests/browser/run.mjs opens the same site in Chromium.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::html::{decode, tag_problems, tags};
use common::{list_files, site_from_fixture, site_root};

/// What the theme writes itself: the text of its inline scripts and its
/// Content-Security-Policy.
struct Theme {
    inline_scripts: Vec<String>,
    csp: String,
}

fn theme(root: &Path) -> Theme {
    let mut inline_scripts = Vec::new();
    let mut csp = None;
    for name in ["base.html", "chooser.html"] {
        let text = fs::read_to_string(root.join("themes/default/templates").join(name)).unwrap();
        for tag in tags(&text) {
            if !tag.end
                && tag.name == "script"
                && tag.attr("src").is_none()
                && tag.attr("type").is_none()
            {
                inline_scripts.push(tag.raw.clone().unwrap_or_default());
            }
            if tag.name == "meta" && tag.attr("http-equiv") == Some("Content-Security-Policy") {
                csp = tag.attr("content").map(str::to_string);
            }
        }
    }
    assert_eq!(inline_scripts.len(), 2, "the theme's two inline scripts");
    Theme {
        inline_scripts,
        csp: csp.expect("the theme's Content-Security-Policy"),
    }
}

/// Everything in one page that an editor could have put there.
fn html_problems(html: &str, theme: &Theme) -> Vec<String> {
    let mut problems = Vec::new();
    let all = tags(html);
    let mut csp_at = None;
    let mut first_load = None;
    for tag in all.iter().filter(|t| !t.end) {
        let shown = tag.shown();
        problems.extend(tag_problems(tag));
        match tag.name.as_str() {
            "meta" if tag.attr("http-equiv").is_some() => {
                if tag.attr("http-equiv") == Some("Content-Security-Policy")
                    && tag.attr("content") == Some(theme.csp.as_str())
                    && csp_at.is_none()
                {
                    csp_at = Some(tag.at);
                } else {
                    problems.push(format!("a meta http-equiv not the theme's: {shown}"));
                }
            }
            "link" => {
                first_load.get_or_insert(tag.at);
                let rel = tag.attr("rel").unwrap_or_default();
                let href = tag.attr("href").unwrap_or_default();
                let loads = ["stylesheet", "preload", "modulepreload"].contains(&rel);
                if !(loads || ["canonical", "alternate"].contains(&rel)) {
                    problems.push(format!("link rel={rel:?}: {shown}"));
                }
                if loads && (!href.starts_with('/') || href.starts_with("//")) {
                    problems.push(format!("a link that loads from elsewhere: {shown}"));
                }
            }
            "script" => {
                first_load.get_or_insert(tag.at);
                let body = tag.raw.as_deref().unwrap_or_default();
                match (tag.attr("src"), tag.attr("type")) {
                    (Some(src), _) => {
                        if !src.starts_with('/') || src.starts_with("//") || !body.is_empty() {
                            problems.push(format!("a script from elsewhere: {shown}"));
                        }
                    }
                    (None, Some("application/json")) => {
                        if body.contains('<') {
                            problems.push(format!("`<` in JSON inside a script: {shown}"));
                        }
                        if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
                            problems.push(format!("JSON of {shown} does not parse: {e}"));
                        }
                    }
                    (None, None) if theme.inline_scripts.iter().any(|s| s == body) => {}
                    _ => problems.push(format!(
                        "a script that is not the theme's: {shown}: {body:.80}"
                    )),
                }
            }
            "form" => {
                let action = tag.attr("action").unwrap_or_default();
                if !action.starts_with('/') || action.starts_with("//") {
                    problems.push(format!("a form sent elsewhere: {shown}"));
                }
            }
            _ => {}
        }
    }
    match (csp_at, first_load) {
        (None, _) => problems.push("no Content-Security-Policy of the theme".into()),
        (Some(c), Some(l)) if l < c => {
            problems.push("a script or stylesheet comes before the Content-Security-Policy".into())
        }
        _ => {}
    }
    problems
}

/// Every string of a JSON value.
fn strings(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                out.insert(k.clone());
                strings(x, out);
            }
        }
        _ => {}
    }
}

/// What the editors of the fixture typed, exactly: each must come out of the JSON
/// files as the same string (not escaped for HTML, not cut), somewhere.
const TYPED: &[&str] = &[
    "<script>alert(601)</script> \"><img src=x onerror=alert(602)> Hostile practice",
    "'><svg onload=alert(603)> </p><script>alert(604)</script> summary",
    "<script>alert(631)</script> Hostile partner",
    "\"><img src=x onerror=alert(632)>",
    "<svg onload=alert(633)>",
    "Uradno </title><script>alert(635)</script> ime \u{2028} ]]>",
    "<img src=x onerror=alert(711)> Employment",
    "<script>alert(721)</script> Coastal \"><img src=x onerror=alert(722)>",
    "Littoral</title><svg onload=alert(723)> \u{2028} ]]> {{ 7*7 }}",
    "<b onclick=alert(726)>NUTS 3</b> \u{2028}",
    "<script>alert(731)</script> Unemployment \"rate\"",
    "% <b onmouseover=alert(735)>",
    "<script>alert(741)</script> Slovenia–Croatia \u{2028}",
    "\"><img src=x onerror=alert(752)>",
    "{{ 7*7 }} &amp; &lt;",
];

fn build(mode: &str) -> (tempfile::TempDir, std::path::PathBuf, Theme) {
    let tmp = site_from_fixture("hostile");
    let root = site_root(&tmp);
    let config = root.join("observatory.toml");
    let text = fs::read_to_string(&config).unwrap();
    assert!(text.contains("raw_html = \"escape\""));
    fs::write(
        &config,
        text.replace("raw_html = \"escape\"", &format!("raw_html = \"{mode}\"")),
    )
    .unwrap();
    // An interface string too (the translators' files are trusted no more).
    let strings = root.join("i18n/en.toml");
    let text = fs::read_to_string(&strings).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("site_footer = "))
        .expect("site_footer in i18n/en.toml")
        .to_string();
    fs::write(
        &strings,
        text.replace(
            &line,
            r#"site_footer = "</footer><script>alert(761)</script> \"><img src=x onerror=alert(762)> {n}""#,
        ),
    )
    .unwrap();
    let out = tmp.path().join("public");
    if let Err(d) = common::build(&root, &out) {
        panic!("the hostile fixture does not build in {mode} mode:\n{d}");
    }
    let theme = theme(&root);
    (tmp, out, theme)
}

fn check_site(mode: &str) {
    let (_tmp, out, theme) = build(mode);
    let files = list_files(&out);
    let mut problems = Vec::new();
    let mut json_strings = BTreeSet::new();
    let mut counts = [0usize; 4];
    for rel in &files {
        let path = out.join(rel);
        let ext = rel.rsplit('.').next().unwrap_or_default();
        match ext {
            "html" => {
                counts[0] += 1;
                let html = fs::read_to_string(&path).unwrap();
                problems.extend(
                    html_problems(&html, &theme)
                        .into_iter()
                        .map(|p| format!("{rel}: {p}")),
                );
            }
            "json" => {
                counts[1] += 1;
                let text = fs::read_to_string(&path).unwrap();
                match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(v) => strings(&v, &mut json_strings),
                    Err(e) => problems.push(format!("{rel}: not JSON: {e}")),
                }
            }
            "xml" | "svg" => {
                counts[2] += 1;
                let text = fs::read_to_string(&path).unwrap();
                problems.extend(
                    xml_problems(&text)
                        .into_iter()
                        .map(|p| format!("{rel}: {p}")),
                );
            }
            "csv" => {
                counts[3] += 1;
                let bytes = fs::read(&path).unwrap();
                problems.extend(
                    csv_problems(&bytes)
                        .into_iter()
                        .map(|p| format!("{rel}: {p}")),
                );
            }
            _ => {}
        }
    }
    for typed in TYPED {
        if !json_strings.contains(*typed) {
            problems.push(format!("no JSON file holds the string {typed:?} as typed"));
        }
    }
    assert!(
        counts[0] > 30 && counts[1] > 20 && counts[2] > 0 && counts[3] > 10,
        "too few files read: {counts:?} (html, json, xml, csv) of {}",
        files.len()
    );
    assert!(
        problems.is_empty(),
        "{mode}: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A feed, the sitemap or an SVG file: well-formed XML (end tags matching, every
/// reference known) with no script, handler or `javascript:` address.
fn xml_problems(text: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut problems = Vec::new();
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = e.name().as_ref().to_lowercase();
                if name == "script" || name.ends_with(":script") {
                    problems.push("a script element".into());
                }
                for a in e.attributes() {
                    match a {
                        Ok(a) => {
                            let key = a.key.as_ref().to_lowercase();
                            let value = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.to_lowercase())
                                .unwrap_or_default();
                            if key.starts_with("on") || value.trim().starts_with("javascript:") {
                                problems.push(format!("attribute {key}={value:?}"));
                            }
                        }
                        Err(e) => problems.push(format!("attribute: {e}")),
                    }
                }
                depth += 1;
            }
            Ok(Event::GeneralRef(r)) => {
                let known = matches!(&*r, "amp" | "lt" | "gt" | "quot" | "apos");
                if !known && !matches!(r.resolve_char_ref(), Ok(Some(_))) {
                    problems.push(format!("unknown reference &{};", &*r));
                }
            }
            Ok(_) => {}
            Err(e) => {
                problems.push(format!(
                    "not well-formed at byte {}: {e}",
                    reader.buffer_position()
                ));
                break;
            }
        }
    }
    if depth == 0 {
        problems.push("no element".into());
    }
    problems
}

/// An open data table: RFC 4180, and no text cell a spreadsheet would run as a
/// formula (a number may start with `-`).
fn csv_problems(bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text);
    for (n, record) in reader.records().enumerate() {
        match record {
            Ok(record) => {
                for cell in &record {
                    let first = cell.chars().next();
                    let formula = matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r'))
                        || matches!(
                            cell.trim_start().chars().next(),
                            Some('=' | '+' | '-' | '@')
                        );
                    if formula && cell.parse::<f64>().is_err() {
                        problems.push(format!("row {}: a formula: {cell:?}", n + 1));
                    }
                }
            }
            Err(e) => problems.push(format!("row {}: {e}", n + 1)),
        }
    }
    problems
}

#[test]
fn nothing_typed_runs_or_breaks_a_file_in_escape_mode() {
    check_site("escape");
}

#[test]
fn nothing_typed_runs_or_breaks_a_file_in_sanitize_mode() {
    check_site("sanitize");
}

/// The site's title in English, as typed in observatory.toml.
const SITE_TITLE: &str = "Hostile <b>observatory</b> \"><svg onload=alert(701)>";

#[test]
fn hostile_texts_read_back_as_typed() {
    let (_tmp, out, _) = build("escape");
    let read = |rel: &str| {
        let page = fs::read_to_string(out.join(rel)).unwrap();
        tags(&page)
    };
    // The title and the description of a practice, escaped once.
    let practice = read("en/practices/hostile-practice/index.html");
    let title = practice.iter().find(|t| t.name == "title").unwrap();
    assert_eq!(
        decode(title.raw.as_deref().unwrap()),
        format!("{} · {SITE_TITLE}", TYPED[0])
    );
    let description = practice
        .iter()
        .find(|t| t.name == "meta" && t.attr("name") == Some("description"))
        .expect("a description");
    assert_eq!(description.attr("content"), Some(TYPED[1]));
    // A free page's title; the feed's link names the site.
    let page = read("en/hostile-page/index.html");
    let title = page.iter().find(|t| t.name == "title").unwrap();
    assert_eq!(
        decode(title.raw.as_deref().unwrap()),
        format!(
            "<script>alert(641)</script> \"><img src=x onerror=alert(642)> Hostile page · {SITE_TITLE}"
        )
    );
    let feed = page
        .iter()
        .find(|t| t.name == "link" && t.attr("type") == Some("application/atom+xml"))
        .unwrap();
    assert_eq!(feed.attr("title"), Some(SITE_TITLE));
    // The feed holds the practice's title and summary as text.
    let xml = fs::read_to_string(out.join("en/feed.xml")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut texts = String::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Text(t) => texts.push_str(&t),
            quick_xml::events::Event::GeneralRef(r) => texts.push(match &*r {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                _ => r.resolve_char_ref().unwrap().unwrap(),
            }),
            _ => {}
        }
    }
    assert!(texts.contains(TYPED[0]), "{texts}");
    assert!(texts.contains(TYPED[1]), "{texts}");
}

#[test]
fn the_checks_catch_what_they_look_for() {
    let theme = Theme {
        inline_scripts: vec!["ok()".into()],
        csp: "default-src 'self'".into(),
    };
    let head = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">";
    assert_eq!(
        html_problems(
            &format!(
                "{head}<p>&lt;script&gt; x onclick=y</p><script>ok()</script><script src=\"/a.js\"></script>"
            ),
            &theme
        ),
        Vec::<String>::new()
    );
    for bad in [
        "<p title=\"\"><img src=x onerror=alert(1)>\">",
        "<a href=\" java&#x09;script:alert(1)\">x</a>",
        "<a href=\"&#1;JAVA\nSCRIPT:alert(1)\">x</a>",
        "<script>alert(1)</script>",
        "<script src=\"https://evil.example/x.js\"></script>",
        "<div style=\"position:fixed\">",
        "<iframe srcdoc=x></iframe>",
        "<title></title><script>alert(1)</script></title>",
        "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
        "<script type=\"application/json\">{\"a\":\"</script><script>alert(1)</script>\"}</script>",
    ] {
        assert!(
            !html_problems(&format!("{head}{bad}"), &theme).is_empty(),
            "not caught: {bad}"
        );
    }
    // Spaces inside an address are not dropped by a browser: a relative path.
    assert_eq!(
        html_problems(&format!("{head}<a href=\"j avascript:x\">x</a>"), &theme),
        Vec::<String>::new()
    );
    assert!(!html_problems("<p>no policy</p>", &theme).is_empty());
    assert!(xml_problems("<feed><title>a</b></feed>").len() == 1);
    assert!(xml_problems("<feed><title>&nbsp;</title></feed>").len() == 1);
    assert!(xml_problems("<feed><title>a &lt; b</title></feed>").is_empty());
    assert_eq!(csv_problems(b"a,-1.5,'=x\r\n").len(), 0);
    assert_eq!(csv_problems(b"a,=1+1\r\n").len(), 1);
    assert_eq!(csv_problems(b"a, @SUM(1)\r\n").len(), 1);
}

/// SHA-256 of `data` (FIPS 180-4), for the hashes a Content-Security-Policy names.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn the_policy_names_each_inline_script_of_the_theme_by_its_hash() {
    // The hash function against known answers (FIPS 180-4's "abc", the empty text).
    assert_eq!(
        base64(&sha256(b"abc")),
        "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    );
    assert_eq!(
        base64(&sha256(b"")),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );
    let many = "a".repeat(1000);
    assert_eq!(
        base64(&sha256(many.as_bytes())),
        "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM="
    );
    // Every inline script of the theme is allowed by the policy, and the policy allows
    // no other: a script edited without its hash would not run in any browser.
    let theme = theme(&common::repo());
    let policy: BTreeSet<String> = theme
        .csp
        .split(';')
        .find_map(|d| d.trim().strip_prefix("script-src "))
        .expect("a script-src")
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("'sha256-")?.strip_suffix('\''))
        .map(str::to_string)
        .collect();
    let scripts: BTreeSet<String> = theme
        .inline_scripts
        .iter()
        .map(|s| base64(&sha256(s.as_bytes())))
        .collect();
    assert_eq!(
        policy, scripts,
        "the script-src hashes of themes/default/templates/base.html are not those of the theme's inline scripts (themes/default/README.md says how to make them)"
    );
}
