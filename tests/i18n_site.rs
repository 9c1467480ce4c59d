//! Languages across a whole built site: a right-to-left language (the `rtl` fixture:
//! English and Arabic, with its own `i18n/ar.toml`), the hreflang alternates of the
//! sitemap, the Atom feeds of each language, the language switcher and the chooser's
//! redirect. What tests/site.rs already checks on the rich fixture (the hreflang links
//! of pages, the switcher's addresses, the chooser's names) is not repeated here.

mod common;

use common::{assert_contains, between_all, section};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// A fixture copied into a temporary folder and built.
struct Built {
    _tmp: TempDir,
    out: PathBuf,
}

impl Built {
    fn new(fixture: &str) -> Built {
        Built::with(fixture, |_| {})
    }

    /// Copies the fixture, lets `edit` change the copy (its site root), then builds it.
    fn with(fixture: &str, edit: impl FnOnce(&Path)) -> Built {
        let tmp = common::site_from_fixture(fixture);
        let root = common::site_root(&tmp);
        edit(&root);
        let out = tmp.path().join("out");
        if let Err(diags) = common::build(&root, &out) {
            panic!("the {fixture} fixture does not build:\n{diags}");
        }
        Built { _tmp: tmp, out }
    }

    /// An output file as text, with `&#x2f;` (how templates escape `/` in attributes)
    /// put back, so that assertions can use plain addresses.
    fn page(&self, rel: &str) -> String {
        self.raw(rel).replace("&#x2f;", "/")
    }

    fn raw(&self, rel: &str) -> String {
        let p = self.out.join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    fn html_files(&self) -> Vec<String> {
        common::list_files(&self.out)
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }
}

/// `(hreflang, href)` of every `<link rel="alternate" hreflang>` of a page.
fn page_alternates(html: &str) -> Vec<(String, String)> {
    between_all(html, "<link rel=\"alternate\" hreflang=\"", "\">")
        .into_iter()
        .map(|s| {
            let (l, h) = s.split_once("\" href=\"").expect("hreflang then href");
            (l.to_string(), h.to_string())
        })
        .collect()
}

/// The value of attribute `name` in the first tag `tag` holds.
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = format!(" {name}=\"");
    let i = tag.find(&start)? + start.len();
    let j = tag[i..].find('"')?;
    Some(tag[i..i + j].to_string())
}

/// Undoes the five predefined XML entities (enough for what limes writes).
fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A small well-formedness check of generated XML: one root, every element closed in
/// order, attribute values quoted, no bare `<` or `&` in text or values.
#[track_caller]
fn assert_well_formed_xml(xml: &str) {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"")
        .and_then(|r| r.split_once("\"?>\n"))
        .map(|(_, r)| r)
        .unwrap_or_else(|| panic!("no XML declaration:\n{xml}"));
    let check_text = |t: &str| {
        assert!(!t.contains('<'), "bare < in {t:?}");
        let mut rest = t;
        while let Some(i) = rest.find('&') {
            rest = &rest[i..];
            let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| rest.starts_with(e));
            assert!(ok, "bare & in {t:?}");
            rest = &rest[1..];
        }
        assert!(
            !t.chars()
                .any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')),
            "control character in {t:?}"
        );
    };
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        check_text(&rest[..i]);
        if stack.is_empty() {
            assert!(rest[..i].trim().is_empty(), "text outside the root");
        }
        let j = rest[i..].find('>').expect("unclosed tag") + i;
        let tag = &rest[i + 1..j];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else {
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
            // name="value" pairs, separated by spaces.
            let mut a = attrs.trim();
            while !a.is_empty() {
                let (key, after) = a.split_once("=\"").expect("attribute without =\"");
                assert!(
                    !key.contains(' ') && !key.is_empty(),
                    "odd attribute {key:?}"
                );
                let end = after.find('"').expect("unquoted attribute");
                check_text(&after[..end]);
                a = after[end + 1..].trim_start();
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name.to_string());
            }
        }
        rest = &rest[j + 1..];
    }
    assert!(rest.trim().is_empty(), "text after the root");
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    assert_eq!(roots, 1, "an XML document has one root element");
}

/// The sitemap as `loc → [(hreflang, href)]`.
fn sitemap(site: &Built) -> BTreeMap<String, Vec<(String, String)>> {
    let xml = site.raw("sitemap.xml");
    between_all(&xml, "<url>", "</url>")
        .into_iter()
        .map(|u| {
            let loc = xml_unescape(&between_all(&u, "<loc>", "</loc>")[0]);
            let alts = between_all(&u, "<xhtml:link ", "/>")
                .into_iter()
                .map(|l| {
                    assert_eq!(attr(&format!(" {l}"), "rel").as_deref(), Some("alternate"));
                    (
                        xml_unescape(&attr(&format!(" {l}"), "hreflang").unwrap()),
                        xml_unescape(&attr(&format!(" {l}"), "href").unwrap()),
                    )
                })
                .collect();
            (loc, alts)
        })
        .collect()
}

/// One `<entry>` of a feed.
#[derive(Debug)]
struct Entry {
    lang: Option<String>,
    title: String,
    link: String,
    id: String,
    updated: String,
    summary: Option<String>,
}

fn feed_entries(xml: &str) -> Vec<Entry> {
    between_all(xml, "<entry", "</entry>")
        .into_iter()
        .map(|e| {
            let (open, inner) = e.split_once('>').unwrap();
            let one = |tag: &str| {
                between_all(inner, &format!("<{tag}>"), &format!("</{tag}>"))
                    .first()
                    .map(|s| xml_unescape(s))
            };
            let link = section(inner, "<link rel=\"alternate\"", "/>");
            Entry {
                lang: attr(open, "xml:lang"),
                title: one("title").expect("entry title"),
                link: xml_unescape(&attr(link, "href").unwrap()),
                id: one("id").expect("entry id"),
                updated: one("updated").expect("entry updated"),
                summary: one("summary"),
            }
        })
        .collect()
}

/// The text of the `.total` count on a page.
fn total(html: &str) -> String {
    between_all(html, "class=\"total\">", "<")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no .total on the page"))
}

// ---------------------------------------------------------------------------
// Right to left
// ---------------------------------------------------------------------------

#[test]
fn arabic_pages_are_right_to_left_and_english_ones_left_to_right() {
    let site = Built::new("rtl");
    let files = site.html_files();
    assert!(files.iter().any(|f| f.starts_with("ar/practices/")));
    for f in &files {
        let html = site.page(f);
        let expected = if f.starts_with("ar/") {
            "<html lang=\"ar\" dir=\"rtl\">"
        } else {
            // en pages, the chooser and the 404 page are in the default language.
            "<html lang=\"en\" dir=\"ltr\">"
        };
        assert!(html.contains(expected), "{f} should have {expected}");
    }
    // The Arabic interface around Arabic text.
    let ar = site.page("ar/practices/olive-oil-cooperatives/index.html");
    assert_contains(&ar, "<h1>تعاونيات زيت الزيتون التي تديرها نساء ريفيات</h1>");
    assert_contains(
        &ar,
        "<a class=\"skip-link\" href=\"#main\">انتقل إلى المحتوى الرئيسي</a>",
    );
    assert_contains(&ar, "<span class=\"status status-ongoing\">جارية</span>");
    // Facts shared by the translations (countries) are named in Arabic.
    assert_contains(&ar, "إيطاليا");
    // The switcher names each language in itself and leads to the same page.
    let nav = section(&ar, "<nav class=\"languages\"", "</nav>");
    assert_contains(
        nav,
        "<a href=\"/en/practices/olive-oil-cooperatives/\" lang=\"en\" hreflang=\"en\">English</a>",
    );
    assert_contains(
        nav,
        "<a href=\"/ar/practices/olive-oil-cooperatives/\" lang=\"ar\" hreflang=\"ar\" aria-current=\"page\">العربية</a>",
    );
    // The partner exists only in English: an Arabic reader gets it inside the Arabic
    // interface, with its language marked and the notice in Arabic.
    let partner = site.page("ar/partners/palermo-social-lab/index.html");
    assert_contains(&partner, "<html lang=\"ar\" dir=\"rtl\">");
    // The English text keeps its own direction inside the right-to-left page.
    assert_contains(
        &partner,
        "<article class=\"record partner\" lang=\"en\" dir=\"ltr\">",
    );
    assert_contains(
        &partner,
        "هذه الصفحة غير متوفرة باللغة العربية بعد. وهي معروضة بلغة أخرى: الإنجليزية.",
    );
    assert_contains(&partner, "lang=\"en\">Mediterranean Social Lab</span>");
}

#[test]
fn arabic_counts_use_all_six_plural_categories() {
    // As the fixture is: one practice (home: `one`), a theme without any (`zero`).
    let site = Built::new("rtl");
    assert_eq!(total(&site.page("ar/index.html")), "ممارسة جيدة واحدة");
    assert_eq!(
        total(&site.page("ar/themes/employment/index.html")),
        "لا توجد أي ممارسة جيدة"
    );
    assert_eq!(total(&site.page("en/index.html")), "1 good practice");

    // With 99 more: 2 in a theme (`two`), 3 in a target group (the fixture's and 2
    // more: `few`), 11 completed (`many`) and 100 in all (`other`). Digits are
    // compared as Latin ones: which digits Arabic numbers use is the locale data's
    // business, not this test's.
    let site = Built::with("rtl", |root| {
        for n in 1..100 {
            let (status, theme, group) = match n {
                1..=2 => ("ongoing", "employment", ""),
                3..=4 => ("planned", "", "rural-women"),
                5..=15 => ("completed", "", ""),
                _ => ("ongoing", "", ""),
            };
            let mut front = format!(
                "+++\ntitle = \"Extra practice {n:03}\"\nstatus = \"{status}\"\ncountries = [\"IT\"]\nstart = 2010-01-01\n"
            );
            if !theme.is_empty() {
                front.push_str(&format!("themes = [\"{theme}\"]\n"));
            }
            if !group.is_empty() {
                front.push_str(&format!("target_groups = [\"{group}\"]\n"));
            }
            fs::write(
                root.join(format!("content/practices/extra-{n:03}.en.md")),
                format!("{front}+++\n"),
            )
            .unwrap();
        }
    });
    let cases = [
        ("ar/index.html", "100 ممارسةٍ جيدةٍ"),
        ("ar/practices/index.html", "100 ممارسةٍ جيدةٍ"),
        ("ar/status/completed/index.html", "11 ممارسةً جيدةً"),
        ("ar/target-groups/rural-women/index.html", "3 ممارسات جيدة"),
        ("ar/themes/employment/index.html", "ممارستان جيدتان"),
        ("ar/themes/social-economy/index.html", "ممارسة جيدة واحدة"),
        ("en/status/completed/index.html", "11 good practices"),
    ];
    let latin_digits = |s: String| -> String {
        s.chars()
            .map(|c| match c {
                '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
                c => c,
            })
            .collect()
    };
    for (file, expected) in cases {
        assert_eq!(latin_digits(total(&site.page(file))), expected, "{file}");
    }
}

/// The declarations of a stylesheet as `(selector, property, value)`, comments out.
fn declarations(css: &str) -> Vec<(String, String, String)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = &rest[rest.find("*/").map(|j| j + 2).unwrap_or(rest.len())..];
    }
    text.push_str(rest);
    let mut out = Vec::new();
    let mut selectors: Vec<String> = Vec::new();
    let mut buf = String::new();
    for c in text.chars() {
        match c {
            '{' => {
                selectors.push(buf.trim().to_string());
                buf.clear();
            }
            ';' | '}' => {
                if let Some((p, v)) = buf.split_once(':')
                    && !buf.trim_start().starts_with('@')
                {
                    out.push((
                        selectors.last().cloned().unwrap_or_default(),
                        p.trim().to_lowercase(),
                        v.trim().to_lowercase(),
                    ));
                }
                buf.clear();
                if c == '}' {
                    selectors.pop();
                }
            }
            _ => buf.push(c),
        }
    }
    out
}

/// Whether a declaration places something on the physical left or right, which would
/// not mirror in a right-to-left page.
fn physical(prop: &str, value: &str) -> bool {
    let physical_property = prop.contains("left") || prop.contains("right");
    let physical_value = matches!(
        prop,
        "text-align" | "float" | "clear" | "caption-side" | "resize" | "justify-self"
    ) && (value.contains("left") || value.contains("right"));
    // `margin: 1px 2px 3px 4px` puts different space on the left and the right.
    let parts: Vec<&str> = value.split_whitespace().collect();
    let asymmetric_shorthand = matches!(
        prop,
        "margin" | "padding" | "inset" | "border-width" | "border-style" | "border-color"
    ) && parts.len() == 4
        && parts[1] != parts[3];
    let corners: Vec<&str> = value
        .split('/')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let asymmetric_corners = prop == "border-radius"
        && match corners.len() {
            2 => corners[0] != corners[1],
            3 => corners[0] != corners[1] || corners[1] != corners[2],
            4 => corners[0] != corners[1] || corners[2] != corners[3],
            _ => false,
        };
    physical_property || physical_value || asymmetric_shorthand || asymmetric_corners
}

#[test]
fn the_theme_stylesheet_uses_logical_properties_only() {
    // A physical left or right would not mirror in right-to-left languages: the theme
    // writes inline-start/end (and block-start/end) instead.
    let css = fs::read_to_string(common::repo().join("themes/default/static/css/site.css"))
        .expect("read the theme's stylesheet");
    let decls = declarations(&css);
    assert!(decls.len() > 100, "the stylesheet was not read: {decls:?}");
    // The check itself catches what it should.
    for (prop, value) in [
        ("margin-left", "1rem"),
        ("padding-right", "0"),
        ("left", "0"),
        ("text-align", "left"),
        ("float", "right"),
        ("border-top-left-radius", "4px"),
        ("margin", "0 1rem 0 0"),
        ("border-radius", "4px 0 0 4px"),
    ] {
        assert!(physical(prop, value), "{prop}: {value}");
    }
    for (prop, value) in [
        ("margin-inline-start", "1rem"),
        ("inset-inline-start", "0"),
        ("text-align", "start"),
        ("margin", "0 0 0.5rem"),
        ("padding", "0.5rem 1rem 1rem"),
        ("border-radius", "6px"),
    ] {
        assert!(!physical(prop, value), "{prop}: {value}");
    }
    let wrong: Vec<String> = decls
        .iter()
        .filter(|(_, prop, value)| physical(prop, value))
        .map(|(sel, prop, value)| format!("{sel} {{ {prop}: {value} }}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "physical (left/right) CSS in themes/default/static/css/site.css; use the logical \
         properties (margin-inline-start, inset-inline-end, text-align: start...):\n{}",
        wrong.join("\n")
    );
    // The one directional glyph of the theme turns round in right-to-left pages.
    assert_contains(&css, "[dir=\"rtl\"] .breadcrumbs li + li::before");
}

#[test]
fn the_chooser_offers_arabic_by_its_own_name_and_isolates_its_direction() {
    let site = Built::new("rtl");
    let html = site.page("index.html");
    for (code, name, title) in [
        ("en", "English", "Mediterranean Inclusion Observatory"),
        ("ar", "العربية", "مرصد الإدماج المتوسطي"),
    ] {
        let entry = section(
            &html,
            &format!("<li lang=\"{code}\" dir=\"auto\">"),
            "</li>",
        );
        assert_contains(entry, &format!("<a href=\"/{code}/\" hreflang=\"{code}\">"));
        assert_contains(
            entry,
            &format!("<span class=\"chooser-name\">{name}</span>"),
        );
        assert_contains(
            entry,
            &format!("<span class=\"chooser-title\">{title}</span>"),
        );
    }
}

// ---------------------------------------------------------------------------
// The chooser's redirect and the remembered choice
// ---------------------------------------------------------------------------

#[test]
fn only_the_chooser_redirects_and_only_with_javascript() {
    let site = Built::new("rich");
    let chooser = site.page("index.html");
    // No redirect without JavaScript: no refresh (the one http-equiv is the theme's
    // Content-Security-Policy), the languages are plain links.
    assert!(!chooser.contains("http-equiv=\"refresh\""));
    assert_eq!(chooser.matches("http-equiv").count(), 1);
    assert_contains(&chooser, "<meta http-equiv=\"Content-Security-Policy\"");
    let list = section(&chooser, "<ul class=\"chooser\" data-lang-choice>", "</ul>");
    assert_eq!(list.matches("<a href=\"/sub/").count(), 4);
    // One inline script (no external request) that reads the links above, goes to the
    // browser's language unless the reader chose one, came from this site or asked
    // to choose (?choose), and replaces the history entry (Back does not loop).
    let script = section(&chooser, "<script>\n(function", "</script>");
    for part in [
        "localStorage.getItem(\"limes-language\")",
        "choose",
        "document.referrer.indexOf(root) === 0",
        "navigator.languages",
        ".chooser a[hreflang]",
        "location.replace(",
    ] {
        assert_contains(script, part);
    }
    assert!(!chooser.contains("<script src"));
    // Every page remembers a language picked in its switcher (or on the chooser), and
    // no page but the chooser redirects.
    let remember = "<script>document.addEventListener(\"click\",function(e){var a=e.target.closest&&e.target.closest(\"[data-lang-choice] a[hreflang]\");if(a)try{localStorage.setItem(\"limes-language\",a.getAttribute(\"hreflang\"))}catch(x){}});</script>";
    for f in site.html_files() {
        let html = site.page(&f);
        assert_eq!(html.matches(remember).count(), 1, "{f}");
        if f != "index.html" {
            assert!(!html.contains("location.replace"), "{f} redirects");
            assert!(!html.contains("http-equiv=\"refresh\""), "{f} redirects");
        }
        if f.contains('/') && f != "404.html" {
            assert_contains(&html, "<nav class=\"languages\" aria-label=");
            let nav = section(&html, "<nav class=\"languages\"", ">");
            assert!(nav.ends_with("data-lang-choice>"), "{f}: {nav}");
        }
    }
}

// ---------------------------------------------------------------------------
// Sitemap alternates
// ---------------------------------------------------------------------------

#[test]
fn sitemap_alternates_are_the_pages_own_hreflang_links() {
    let site = Built::new("rich");
    let base = "https://obs.example.net/sub/";
    let xml = site.raw("sitemap.xml");
    assert_well_formed_xml(&xml);
    assert_contains(
        &xml,
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">",
    );
    let map = sitemap(&site);
    assert!(map.len() > 100, "{}", map.len());
    for (loc, alts) in &map {
        let rel = loc.strip_prefix(base).unwrap_or_else(|| panic!("{loc}"));
        let file = format!("{rel}index.html");
        let html = site.page(&file);
        assert_eq!(alts, &page_alternates(&html), "{loc}");
        assert_eq!(
            alts.last().map(|a| a.0.as_str()),
            Some("x-default"),
            "{loc}"
        );
    }
    // A record in en, fr and hr: exactly those and x-default (its English original),
    // never sl, whose page is a fallback.
    let bridge = |l: &str| format!("{base}{l}practices/istrian-care-bridge/");
    let expected: Vec<(String, String)> = [
        ("en", "en/"),
        ("fr", "fr/"),
        ("hr", "hr/"),
        ("x-default", "en/"),
    ]
    .iter()
    .map(|(h, l)| (h.to_string(), bridge(l)))
    .collect();
    for l in ["en/", "fr/", "hr/"] {
        assert_eq!(map[&bridge(l)], expected, "{l}");
    }
    assert!(!map.contains_key(&bridge("sl/")));
    // A record only in Slovenian: sl, and x-default pointing at the original too.
    let hub = format!("{base}sl/practices/karst-youth-hub/");
    assert_eq!(
        map[&hub],
        vec![
            ("sl".to_string(), hub.clone()),
            ("x-default".to_string(), hub.clone())
        ]
    );
    // The chooser: every home, x-default itself.
    let root = &map[base];
    assert_eq!(root.len(), 5);
    assert_eq!(root[0], ("en".to_string(), format!("{base}en/")));
    assert_eq!(root[4], ("x-default".to_string(), base.to_string()));
}

// ---------------------------------------------------------------------------
// Feeds
// ---------------------------------------------------------------------------

#[test]
fn each_language_has_an_atom_feed_of_every_practice_fallbacks_included() {
    let site = Built::new("rich");
    let base = "https://obs.example.net/sub";
    for (lang, title) in [
        ("en", "Alpine-Adriatic Inclusion Watch"),
        ("fr", "Veille alpine-adriatique de l'inclusion"),
        ("hr", "Alpsko-jadranski opservatorij uključenosti"),
        ("sl", "Alpsko-jadranski observatorij vključenosti"),
    ] {
        let xml = site.raw(&format!("{lang}/feed.xml"));
        assert_well_formed_xml(&xml);
        assert_contains(
            &xml,
            &format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">"),
        );
        let feed_title = xml_unescape(&between_all(&xml, "<title>", "</title>")[0]);
        assert_eq!(feed_title, title);
        let self_url = format!("{base}/{lang}/feed.xml");
        assert_contains(&xml, &format!("<id>{self_url}</id>"));
        assert_contains(
            &xml,
            &format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>"),
        );
        assert_contains(&xml, "<author><name>");
        let entries = feed_entries(&xml);
        // Every practice, newest first (end, else start), each linking to its page in
        // the reader's language.
        let slugs: Vec<&str> = entries
            .iter()
            .map(|e| {
                let rest = e
                    .link
                    .strip_prefix(&format!("{base}/{lang}/practices/"))
                    .unwrap_or_else(|| panic!("{lang}: {}", e.link));
                assert_eq!(e.id, e.link);
                rest.trim_end_matches('/')
            })
            .collect();
        assert_eq!(
            slugs,
            [
                "karst-youth-hub",
                "istrian-care-bridge",
                "zadar-night-shelter",
                "fair-care-markup"
            ],
            "{lang}"
        );
        let dates: Vec<&str> = entries.iter().map(|e| e.updated.as_str()).collect();
        assert_eq!(
            dates,
            [
                "2025-09-01T00:00:00Z",
                "2021-03-01T00:00:00Z",
                "2020-03-31T00:00:00Z",
                "2019-12-31T00:00:00Z"
            ]
        );
        assert_contains(
            &xml,
            "  <updated>2025-09-01T00:00:00Z</updated>\n  <author>",
        );
        // Every page of the language points at its feed.
        assert_contains(
            &site.page(&format!("{lang}/practices/index.html")),
            &format!(
                "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{}\" href=\"/sub/{lang}/feed.xml\">",
                title.replace('\'', "&#x27;")
            ),
        );
    }

    // Fallback records are in the reader's feed, in the language they are shown in,
    // marked with xml:lang; the others inherit the feed's language.
    let en = feed_entries(&site.raw("en/feed.xml"));
    assert_eq!(en[0].lang.as_deref(), Some("sl"));
    assert_eq!(en[0].title, "Mladinsko središče na Krasu");
    assert_eq!(en[1].lang, None);
    assert_eq!(en[1].title, "A bridge for carers in Istria");
    let fr = feed_entries(&site.raw("fr/feed.xml"));
    assert_eq!(fr[1].lang, None);
    assert_eq!(fr[1].title, "Un pont pour les aidants d'Istrie");
    assert_eq!(fr[2].lang.as_deref(), Some("en"));
    assert_eq!(fr[2].title, "Night shelter in Zadar");
    // hr → sl → en: the Slovenian-only record in Slovenian, the others in English.
    let hr = feed_entries(&site.raw("hr/feed.xml"));
    assert_eq!(hr[0].lang.as_deref(), Some("sl"));
    assert_eq!(hr[1].lang, None);
    assert_eq!(hr[1].title, "Most za njegovatelje u Istri");
    let sl = feed_entries(&site.raw("sl/feed.xml"));
    assert_eq!(sl[0].lang, None);
    assert_eq!(sl[1].lang.as_deref(), Some("hr"));
    // Markup in a title stays text.
    assert_eq!(
        en[3].title,
        "Fair <script>alert(\"x\")</script> & <b>bold</b> care"
    );
    assert!(en.iter().any(|e| e.summary.is_some()));
}

#[test]
fn latest_is_by_end_else_start_and_feeds_never_date_an_undated_practice() {
    // 61 more practices: 59 that started in 2000, one that started in 1999 and ended
    // in 2013, one without any date. "Latest" goes by the end date, else the start
    // date: the 1999-2013 one comes after every practice of the fixture (the oldest
    // ended in 2019) and before those of 2000; the undated one comes last on the home
    // page and is not in the feed, which stops at 50 entries.
    let site = Built::with("rich", |root| {
        for n in 1..60 {
            fs::write(
                root.join(format!("content/practices/old-{n:02}.en.md")),
                format!(
                    "+++\ntitle = \"Old practice {n:02}\"\nstatus = \"completed\"\ncountries = [\"SI\"]\nstart = 2000-01-{:02}\n+++\n",
                    n % 28 + 1
                ),
            )
            .unwrap();
        }
        fs::write(
            root.join("content/practices/long-ago.en.md"),
            "+++\ntitle = \"A long practice\"\nstatus = \"completed\"\ncountries = [\"SI\"]\nstart = 1999-01-01\nend = 2013-06-30\n+++\n",
        )
        .unwrap();
        fs::write(
            root.join("content/practices/undated.en.md"),
            "+++\ntitle = \"Aaa undated practice\"\nstatus = \"planned\"\ncountries = [\"SI\"]\n+++\n",
        )
        .unwrap();
    });
    let xml = site.raw("fr/feed.xml");
    assert_well_formed_xml(&xml);
    let entries = feed_entries(&xml);
    assert_eq!(entries.len(), 50);
    assert!(entries.iter().all(|e| !e.title.contains("undated")));
    let dates: Vec<&str> = entries.iter().take(5).map(|e| &e.updated[..10]).collect();
    assert_eq!(
        dates,
        [
            "2025-09-01", // karst-youth-hub: ongoing, started then
            "2021-03-01", // istrian-care-bridge: ongoing
            "2020-03-31", // zadar-night-shelter: ended then (started 2018)
            "2019-12-31", // fair-care-markup: ended then (started 2019-01-01)
            "2013-06-30", // long-ago
        ]
    );
    assert_eq!(entries[4].title, "A long practice");
    assert_contains(
        &xml,
        "  <updated>2025-09-01T00:00:00Z</updated>\n  <author>",
    );
    for w in entries.windows(2) {
        assert!(w[0].updated >= w[1].updated, "{w:?}");
    }
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.updated.starts_with("2000-"))
            .count(),
        45
    );

    // The home page: the same order, six of them.
    let home = site.page("en/index.html");
    let latest = section(&home, "<section aria-labelledby=\"latest\">", "</section>");
    let slugs = between_all(latest, "data-practice=\"", "\"");
    assert_eq!(
        slugs,
        [
            "karst-youth-hub",
            "istrian-care-bridge",
            "zadar-night-shelter",
            "fair-care-markup",
            "long-ago",
            "old-27",
        ]
    );
}

#[test]
fn undated_practices_come_last_on_the_home_page() {
    let site = Built::with("rich", |root| {
        fs::write(
            root.join("content/practices/undated.en.md"),
            "+++\ntitle = \"Aaa undated practice\"\nstatus = \"planned\"\ncountries = [\"SI\"]\n+++\n",
        )
        .unwrap();
    });
    let home = site.page("en/index.html");
    let latest = section(&home, "<section aria-labelledby=\"latest\">", "</section>");
    assert_eq!(
        between_all(latest, "data-practice=\"", "\""),
        [
            "karst-youth-hub",
            "istrian-care-bridge",
            "zadar-night-shelter",
            "fair-care-markup",
            "undated",
        ]
    );
    // Not in the feed; the feed's date is its newest entry's.
    let xml = site.raw("en/feed.xml");
    assert!(!xml.contains("undated"));
    assert_eq!(feed_entries(&xml).len(), 4);
}

#[test]
fn the_arabic_feed_is_in_arabic() {
    let site = Built::new("rtl");
    let xml = site.raw("ar/feed.xml");
    assert_well_formed_xml(&xml);
    assert_contains(
        &xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\">",
    );
    assert_contains(&xml, "<title>مرصد الإدماج المتوسطي</title>");
    let entries = feed_entries(&xml);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].lang, None);
    assert_eq!(
        entries[0].title,
        "تعاونيات زيت الزيتون التي تديرها نساء ريفيات"
    );
    assert_eq!(
        entries[0].link,
        "https://rtl.example.org/ar/practices/olive-oil-cooperatives/"
    );
    assert_eq!(entries[0].updated, "2022-04-01T00:00:00Z");
}

/// The numbers in `(n)` of the facet sidebar of a page, per facet (by its address).
fn sidebar_counts(html: &str) -> BTreeMap<String, Vec<usize>> {
    let nav = section(html, "<nav class=\"facets\"", "</nav>");
    let mut out = BTreeMap::new();
    for group in nav.split("<section class=\"facet\">").skip(1) {
        let url = between_all(group, "<h2><a href=\"", "\"").remove(0);
        let counts = between_all(group, "<span class=\"count\">(", ")")
            .iter()
            .map(|n| n.parse().unwrap())
            .collect();
        out.insert(url, counts);
    }
    out
}

#[test]
fn the_facets_of_a_listing_count_the_practices_it_lists() {
    let site = Built::new("rich");
    let mut seen = 0;
    for kind in ["themes", "borders", "countries", "status", "target-groups"] {
        let dir = site.out.join("en").join(kind);
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_dir() {
                continue;
            }
            let rel = format!(
                "en/{kind}/{}/index.html",
                path.file_name().unwrap().to_string_lossy()
            );
            let html = site.page(&rel);
            let listed = between_all(&html, "data-practice=\"", "\"").len();
            let counts = sidebar_counts(&html);
            // Every practice has one status: the status counts add up to the listing.
            let status: usize = counts
                .get("/sub/en/status/")
                .map(|c| c.iter().sum())
                .unwrap_or(0);
            assert_eq!(status, listed, "{rel}: {counts:?}");
            for (facet, c) in &counts {
                assert!(
                    c.iter().all(|&n| 1 <= n && n <= listed),
                    "{rel}: {facet} {c:?}"
                );
            }
            seen += 1;
        }
    }
    assert!(seen > 5);
    // A theme of one practice: every term its sidebar names counts that one.
    let html = site.page("en/themes/youth/index.html");
    assert_eq!(between_all(&html, "data-practice=\"", "\"").len(), 1);
    for (facet, c) in sidebar_counts(&html) {
        assert!(c.iter().all(|&n| n == 1), "{facet}: {c:?}");
    }
    // The listing of all practices counts them all.
    let all = site.page("en/practices/index.html");
    let total = between_all(&all, "data-practice=\"", "\"").len();
    assert_eq!(
        sidebar_counts(&all)["/sub/en/status/"]
            .iter()
            .sum::<usize>(),
        total
    );
}

#[test]
fn a_facet_page_lists_its_terms_once() {
    let site = Built::new("rich");
    for lang in ["en", "hr"] {
        let html = site.page(&format!("{lang}/themes/index.html"));
        assert_eq!(html.matches("class=\"term-list\"").count(), 1);
        let counts = sidebar_counts(&html);
        assert!(
            !counts.contains_key(&format!("/sub/{lang}/themes/")),
            "{counts:?}"
        );
        assert!(
            counts.contains_key(&format!("/sub/{lang}/borders/")),
            "{counts:?}"
        );
        // Each theme is linked once: in the page's own list.
        assert_eq!(
            html.matches(&format!("href=\"/sub/{lang}/themes/youth/\""))
                .count(),
            1
        );
    }
}

#[test]
fn periods_format_like_single_dates_and_open_ones_read_naturally() {
    let site = Built::with("rich", |root| {
        let toml = root.join("observatory.toml");
        let text = fs::read_to_string(&toml).unwrap().replace(
            "theme = \"default\"\n",
            "theme = \"default\"\ndate_locale = { en = \"en-GB\" }\n",
        );
        fs::write(&toml, text).unwrap();
        fs::write(
            root.join("content/practices/ending.en.md"),
            "+++\ntitle = \"Ending\"\nstatus = \"completed\"\ncountries = [\"SI\"]\nend = 2013-06-03\n+++\n",
        )
        .unwrap();
    });
    let period = |rel: &str, slug: &str| -> String {
        let html = site.page(rel);
        let card = section(&html, &format!("data-practice=\"{slug}\""), "</li>");
        between_all(card, "<span class=\"period\">", "</span>").remove(0)
    };
    // zadar-night-shelter: 2018-11-01 to 2020-03-31; karst-youth-hub: since 2025-09-01.
    for (lang, closed, open, until) in [
        (
            "en",
            "1 November 2018 – 31 March 2020",
            "since 1 September 2025",
            "until 3 June 2013",
        ),
        (
            "fr",
            "1 novembre 2018 – 31 mars 2020",
            "depuis le 1 septembre 2025",
            "jusqu'au 3 juin 2013",
        ),
        (
            "hr",
            "1. studenoga 2018. – 31. ožujka 2020.",
            "od 1. rujna 2025.",
            "do 3. lipnja 2013.",
        ),
        (
            "sl",
            "1. november 2018 – 31. marec 2020",
            "začetek: 1. september 2025",
            "konec: 3. junij 2013",
        ),
    ] {
        let listing = format!("{lang}/practices/index.html");
        assert_eq!(period(&listing, "zadar-night-shelter"), closed, "{lang}");
        assert_eq!(period(&listing, "karst-youth-hub"), open, "{lang}");
        assert_eq!(
            period(&listing, "ending").replace("&#x27;", "'"),
            until,
            "{lang}"
        );
        // The practice page says the same.
        let page = site.page(&format!("{lang}/practices/zadar-night-shelter/index.html"));
        assert_contains(&page, &format!("<dd>{closed}</dd>"));
    }
    // A single date in the British way too: en-GB is for dates only.
    let en = site.page("en/index.html");
    assert!(!en.contains("November 1, 2018"));
}

#[test]
fn an_official_name_is_shown_in_its_language_with_the_translation_as_a_gloss() {
    let site = Built::with("rich", |root| {
        let sl = root.join("content/partners/karst-care-network/index.sl.md");
        let text = fs::read_to_string(&sl).unwrap().replace(
            "country = \"SI\"\n",
            "country = \"SI\"\nofficial_name = { sl = \"Kraška mreža oskrbovalcev\" }\n",
        );
        fs::write(&sl, text).unwrap();
    });
    let en_name = section(
        &fs::read_to_string(common::fixture(
            "rich/content/partners/karst-care-network/index.en.md",
        ))
        .unwrap(),
        "name = \"",
        "\"\n",
    )
    .trim_start_matches("name = \"")
    .trim_end_matches("\"\n")
    .to_string();
    // In English: the official name, marked as Slovenian, then the English one.
    let en = site.page("en/partners/karst-care-network/index.html");
    assert_contains(&en, "<h1 lang=\"sl\">Kraška mreža oskrbovalcev</h1>");
    assert_contains(&en, &format!("<p class=\"name-gloss\">{en_name}</p>"));
    // In Slovenian: the name alone.
    let sl = site.page("sl/partners/karst-care-network/index.html");
    assert_contains(&sl, "<h1>Kraška mreža oskrbovalcev</h1>");
    assert!(!sl.contains("name-gloss"));
    // In French (no French translation; fallback English): the official name alone,
    // in the listing and on its page; an English gloss would be a third language.
    let fr = site.page("fr/partners/index.html");
    assert_contains(&fr, "lang=\"sl\">Kraška mreža oskrbovalcev</a></h2>");
    let fr_page = site.page("fr/partners/karst-care-network/index.html");
    assert_contains(&fr_page, "<h1 lang=\"sl\">Kraška mreža oskrbovalcev</h1>");
    assert!(!fr_page.contains("name-gloss"));
    // A practice of the partner names it the same way.
    let practice = between_all(
        &site.page("en/partners/karst-care-network/index.html"),
        "data-practice=\"",
        "\"",
    )
    .remove(0);
    let page = site.page(&format!("en/practices/{practice}/index.html"));
    assert_contains(
        &page,
        &format!(
            "lang=\"sl\">Kraška mreža oskrbovalcev</a> <span class=\"name-gloss\">({en_name})</span>"
        ),
    );
}
