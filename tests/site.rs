//! What a reader of the rich fixture site (`tests/fixtures/rich/`) sees: the fixture is
//! copied into a temporary folder, built with `limes::build`, and the HTML files are
//! read back as strings. The fixture has four languages (en, fr, hr, sl), fallback
//! chains (hr → sl → en, sl → hr → en) and a base path (`https://obs.example.net/sub`),
//! so every address must start with `/sub/`.

mod common;

use common::{assert_contains, assert_not_contains, between_all, section};

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

const BASE: &str = "https://obs.example.net/sub";
const LANGS: [&str; 4] = ["en", "fr", "hr", "sl"];

/// The rich fixture, copied and built.
struct Built {
    tmp: TempDir,
    out: PathBuf,
}

impl Built {
    /// Builds the fixture as it is.
    fn new() -> Built {
        Built::with(|_| {})
    }

    /// Copies the fixture, lets `edit` change the copy (its site root), then builds it.
    fn with(edit: impl FnOnce(&Path)) -> Built {
        let tmp = common::site_from_fixture("rich");
        let root = common::site_root(&tmp);
        edit(&root);
        let out = tmp.path().join("out");
        if let Err(diags) = common::build(&root, &out) {
            panic!("the rich fixture does not build:\n{diags}");
        }
        Built { tmp, out }
    }

    fn page(&self, rel: &str) -> String {
        page(&self.out, rel)
    }

    /// Every HTML file of the output, relative to it.
    fn html_files(&self) -> Vec<String> {
        common::list_files(&self.out)
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    fn raw(&self, rel: &str) -> String {
        let p = self.out.join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    fn sitemap_urls(&self) -> Vec<String> {
        between_all(&self.raw("sitemap.xml"), "<loc>", "</loc>")
    }
}

/// An output file as text. Templates escape `/` as `&#x2f;` in attributes; it is put
/// back so that assertions can be written with plain addresses (a `/` cannot open
/// markup, so this hides no escaping problem).
fn page(out: &Path, rel: &str) -> String {
    let p = out.join(rel);
    let text =
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read page {}: {e}", p.display()));
    text.replace("&#x2f;", "/")
}

/// The addresses of the practice cards of a page, in the order shown.
fn card_links(html: &str) -> Vec<String> {
    between_all(html, "class=\"card-title\"><a href=\"", "\"")
}

fn practice_urls(lang: &str, slugs: &[&str]) -> Vec<String> {
    slugs
        .iter()
        .map(|s| format!("/sub/{lang}/practices/{s}/"))
        .collect()
}

/// `(hreflang, href)` of every `<link rel="alternate">`.
fn alternates(html: &str) -> Vec<(String, String)> {
    between_all(html, "<link rel=\"alternate\" hreflang=\"", "\">")
        .into_iter()
        .map(|s| {
            let (lang, href) = s
                .split_once("\" href=\"")
                .unwrap_or_else(|| panic!("odd alternate link: {s}"));
            (lang.to_string(), href.to_string())
        })
        .collect()
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The output file of a site address (`/sub/en/x/` → `en/x/index.html`).
fn file_of(url: &str) -> Option<String> {
    let rel = url.strip_prefix("/sub/")?;
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    })
}

const FALLBACK_NOTICE_HR: &str =
    "Ova stranica još nije dostupna na hrvatskom jeziku. Prikazuje se na drugom jeziku: slovenski.";

#[test]
fn chooser_lists_every_language_by_its_own_name() {
    let site = Built::new();
    let html = site.page("index.html");
    for (code, name) in [
        ("en", "English"),
        ("fr", "Français"),
        ("hr", "Hrvatski"),
        ("sl", "Slovenščina"),
    ] {
        // `<li lang="xx"` and maybe more attributes (dir="auto").
        let entry = section(&html, &format!("<li lang=\"{code}\""), "</li>");
        assert_contains(
            entry,
            &format!("<a href=\"/sub/{code}/\" hreflang=\"{code}\">"),
        );
        assert_contains(
            entry,
            &format!("<span class=\"chooser-name\">{name}</span>"),
        );
    }
    // Each language's site title next to its name.
    assert_contains(&html, "Alpsko-jadranski observatorij vključenosti");
    assert_contains(&html, "<title>Alpine-Adriatic Inclusion Watch</title>");
    // No redirect: the chooser is a real page.
    assert_not_contains(&html, "http-equiv=\"refresh\"");
    assert_contains(&html, &format!("<link rel=\"canonical\" href=\"{BASE}/\">"));
}

#[test]
fn every_page_has_the_lang_of_its_language() {
    let site = Built::new();
    let files = site.html_files();
    assert!(files.len() > 100, "too few pages: {}", files.len());
    for f in files {
        let first = f.split('/').next().unwrap();
        let lang = if LANGS.contains(&first) { first } else { "en" };
        let html = site.page(&f);
        assert!(
            html.contains(&format!("<html lang=\"{lang}\"")),
            "{f} should have <html lang=\"{lang}\">"
        );
    }
}

#[test]
fn titles_and_headings() {
    let site = Built::new();
    let cases = [
        (
            "en/practices/istrian-care-bridge/index.html",
            "A bridge for carers in Istria · Alpine-Adriatic Inclusion Watch",
            "<h1>A bridge for carers in Istria</h1>",
        ),
        (
            "fr/practices/istrian-care-bridge/index.html",
            "Un pont pour les aidants d&#x27;Istrie · Veille alpine-adriatique de l&#x27;inclusion",
            "<h1>Un pont pour les aidants d&#x27;Istrie</h1>",
        ),
        (
            "hr/practices/istrian-care-bridge/index.html",
            "Most za njegovatelje u Istri · Alpsko-jadranski opservatorij uključenosti",
            "<h1>Most za njegovatelje u Istri</h1>",
        ),
        (
            "en/practices/zadar-night-shelter/index.html",
            "Night shelter in Zadar · Alpine-Adriatic Inclusion Watch",
            "<h1>Night shelter in Zadar</h1>",
        ),
        (
            "hr/about/index.html",
            "O opservatoriju · Alpsko-jadranski opservatorij uključenosti",
            "<h1>O opservatoriju</h1>",
        ),
        (
            "en/partners/karst-care-network/index.html",
            "Karst Care Network · Alpine-Adriatic Inclusion Watch",
            "<h1>Karst Care Network</h1>",
        ),
        (
            "sl/partners/karst-care-network/index.html",
            "Kraška mreža oskrbovalcev · Alpsko-jadranski observatorij vključenosti",
            "<h1>Kraška mreža oskrbovalcev</h1>",
        ),
        (
            "en/territories/hr036/index.html",
            "Istria County · Alpine-Adriatic Inclusion Watch",
            "<h1>Istria County</h1>",
        ),
        (
            "hr/themes/care-work/index.html",
            "Skrb i njega · Alpsko-jadranski opservatorij uključenosti",
            "<h1>Skrb i njega</h1>",
        ),
        (
            "sl/index.html",
            "<title>Alpsko-jadranski observatorij vključenosti</title>",
            "<h1>Alpsko-jadranski observatorij vključenosti</h1>",
        ),
    ];
    for (file, title, h1) in cases {
        let html = site.page(file);
        if title.starts_with("<title>") {
            assert_contains(&html, title);
        } else {
            assert_contains(&html, &format!("<title>{title}</title>"));
        }
        assert_contains(&html, h1);
    }
}

#[test]
fn fallback_page_shows_the_original_inside_the_readers_interface() {
    let site = Built::new();
    let html = site.page("hr/practices/karst-youth-hub/index.html");
    // The notice, in Croatian, naming Slovenian by its own name.
    assert_contains(&html, "class=\"notice fallback-notice\"");
    assert_contains(&html, FALLBACK_NOTICE_HR);
    // The record's text is Slovenian and says so.
    assert_contains(
        &html,
        "<article class=\"record practice\" lang=\"sl\" dir=\"ltr\">",
    );
    assert_contains(&html, "<h1>Mladinsko središče na Krasu</h1>");
    // Everything around it is the Croatian interface.
    assert_contains(&html, "<html lang=\"hr\"");
    assert_contains(&html, "<h2 id=\"facts-title\">Osnovni podaci</h2>");
    assert_contains(
        &html,
        "<span class=\"status status-planned\">Planirano</span>",
    );
    assert_contains(&html, "Preskoči na glavni sadržaj");
    assert_contains(&html, "<dt>Teme</dt>");
    // Search engines are pointed at the original.
    assert_contains(
        &html,
        &format!("<link rel=\"canonical\" href=\"{BASE}/sl/practices/karst-youth-hub/\">"),
    );
    // And the fallback page stays out of the sitemap, the original is in it.
    let sitemap = site.sitemap_urls();
    assert!(sitemap.contains(&format!("{BASE}/sl/practices/karst-youth-hub/")));
    for lang in ["en", "fr", "hr"] {
        let url = format!("{BASE}/{lang}/practices/karst-youth-hub/");
        assert!(!sitemap.contains(&url), "{url} is a fallback page");
    }

    // An English reader gets it too (en → default → any language: sl).
    let en = site.page("en/practices/karst-youth-hub/index.html");
    assert_contains(
        &en,
        "This page is not available in English yet. It is shown in Slovenian instead.",
    );
    assert_contains(
        &en,
        "<article class=\"record practice\" lang=\"sl\" dir=\"ltr\">",
    );
    assert_contains(&en, "<h2 id=\"facts-title\">Key facts</h2>");

    // The original has no notice and is its own canonical.
    let sl = site.page("sl/practices/karst-youth-hub/index.html");
    assert_not_contains(&sl, "fallback-notice");
    assert_contains(&sl, "<article class=\"record practice\">");
    assert_contains(
        &sl,
        &format!("<link rel=\"canonical\" href=\"{BASE}/sl/practices/karst-youth-hub/\">"),
    );

    // Chains are followed in order: a Slovenian reader of a record in en, fr and hr
    // sees the Croatian text (sl → hr), a French reader of an en-only one the English.
    let sl_bridge = site.page("sl/practices/istrian-care-bridge/index.html");
    assert_contains(
        &sl_bridge,
        "<article class=\"record practice\" lang=\"hr\" dir=\"ltr\">",
    );
    assert_contains(&sl_bridge, "<h1>Most za njegovatelje u Istri</h1>");
    assert_contains(&sl_bridge, "Prikazana je v drugem jeziku: hrvaščina.");
    let fr_zadar = site.page("fr/practices/zadar-night-shelter/index.html");
    assert_contains(
        &fr_zadar,
        "<article class=\"record practice\" lang=\"en\" dir=\"ltr\">",
    );
    assert_contains(&fr_zadar, "Elle est affichée en anglais.");
    // The switcher names every language in itself.
    assert_contains(&fr_zadar, ">English</a>");
    assert_contains(
        &fr_zadar,
        ">Hrvatski<span class=\"visually-hidden\" lang=\"fr\"> (pas de traduction)</span></a>",
    );
}

#[test]
fn text_fields_a_translation_leaves_out_come_from_the_fallback_language() {
    let site = Built::new();
    // The French translation has no website, contact or sources: they come from en.
    let fr = site.page("fr/practices/istrian-care-bridge/index.html");
    assert_contains(&fr, "https://example.org/istrian-bridge");
    assert_contains(&fr, "mailto:bridge@example.org");
    assert_contains(&fr, "Project sheet");
    // Its own programme and result label, shared facts (budget, transferability).
    assert_contains(&fr, "Interreg Slovénie-Croatie (programme de test)");
    assert_contains(&fr, "Aidants formés");
    // Grouped the French way (narrow no-break spaces).
    assert_contains(&fr, "480\u{202f}000,00\u{a0}€");
    assert_contains(&fr, "<span class=\"figure\">215</span>");
    // Facts stated identically in the three files are shown once.
    let en = site.page("en/practices/istrian-care-bridge/index.html");
    assert_eq!(count(&en, "<dt>Budget</dt>"), 1);
    assert_contains(&en, "Carers trained");
}

#[test]
fn internal_links_resolve_to_the_readers_language_with_the_base_path() {
    let site = Built::new();
    let en = site.page("en/practices/istrian-care-bridge/index.html");
    for link in [
        "<a href=\"/sub/en/territories/hr036/\">Istria County</a>",
        "<a href=\"/sub/en/territories/si044/\">Coastal-Karst region</a>",
        "<a href=\"/sub/en/borders/alpe-adria/\">Alpe-Adria area</a>",
        "<a href=\"/sub/en/partners/maison-des-aidants/\">Maison des aidants</a>",
        "<a href=\"/sub/en/about/#who-we-are\">",
        "<a href=\"/sub/en/practices/karst-youth-hub/\">youth hub in the Karst</a>",
    ] {
        assert_contains(&en, link);
    }

    let hr = site.page("hr/practices/istrian-care-bridge/index.html");
    for link in [
        "<a href=\"/sub/hr/territories/hr036/\">Istri</a>",
        "<a href=\"/sub/hr/practices/zadar-night-shelter/\">",
        "<a href=\"/sub/hr/practices/karst-youth-hub/\">",
        "<a href=\"/sub/hr/about/#who-we-are\">tko smo</a>",
    ] {
        assert_contains(&hr, link);
    }

    // A Slovenian reader sees the Croatian text, but its links stay in Slovenian.
    let sl = site.page("sl/practices/istrian-care-bridge/index.html");
    assert_contains(&sl, "<a href=\"/sub/sl/practices/zadar-night-shelter/\">");
    assert_contains(&sl, "<a href=\"/sub/sl/about/#who-we-are\">");
    assert_not_contains(&sl, "href=\"/sub/hr/practices/zadar");

    // And a Croatian reader of the Slovenian-only record gets Croatian addresses,
    // with the anchor kept.
    let fallback = site.page("hr/practices/karst-youth-hub/index.html");
    assert_contains(
        &fallback,
        "<a href=\"/sub/hr/practices/istrian-care-bridge/#context\">",
    );
    assert_contains(
        &fallback,
        "<a href=\"/sub/hr/partners/karst-care-network/\">partnerjem</a>",
    );
    assert_contains(&fallback, "<a href=\"/sub/hr/borders/karawanks/\">meji</a>");

    // The anchors exist on the pages they point to, in both languages of the page.
    assert_contains(&site.page("en/about/index.html"), "id=\"who-we-are\"");
    assert_contains(&site.page("hr/about/index.html"), "id=\"who-we-are\"");
    assert_contains(
        &site.page("hr/practices/istrian-care-bridge/index.html"),
        "<h2 id=\"context\">Kontekst</h2>",
    );
}

#[test]
fn no_address_misses_the_base_path_and_no_internal_link_is_dead() {
    let site = Built::new();
    let mut checked = 0;
    for f in site.html_files() {
        let html = site.page(&f);
        let mut urls = between_all(&html, "href=\"", "\"");
        urls.extend(between_all(&html, "src=\"", "\""));
        for url in urls {
            if url.starts_with("https://") || url.starts_with("http://") {
                continue;
            }
            if url.starts_with("mailto:") || url.starts_with('#') {
                continue;
            }
            assert!(
                url.starts_with("/sub/"),
                "{f}: address `{url}` does not start with the base path /sub/"
            );
            let (path, anchor) = match url.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (url.as_str(), None),
            };
            let target = file_of(path).unwrap();
            let file = site.out.join(&target);
            assert!(file.is_file(), "{f}: dead link {url} (no {target})");
            if let Some(a) = anchor {
                let t = site.page(&target);
                assert!(
                    t.contains(&format!("id=\"{a}\"")),
                    "{f}: link {url} points at a missing anchor"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn markup_in_titles_and_summaries_is_escaped_everywhere() {
    let site = Built::new();
    for f in common::list_files(&site.out) {
        if !(f.ends_with(".html") || f.ends_with(".xml") || f.ends_with(".txt")) {
            continue;
        }
        let text = site.raw(&f);
        assert!(
            !text.contains("<script>alert"),
            "{f} contains an unescaped <script>"
        );
        assert!(!text.contains("<b>bold</b>"), "{f} contains unescaped <b>");
        // The theme may have scripts of its own (the chooser's language detection);
        // none of them may carry content from the site's records.
        for script in between_all(&text, "<script", "</script>") {
            assert!(
                !script.contains("alert(") && !script.contains("steal()"),
                "{f} has a script made of content: <script{script}</script>"
            );
        }
    }
    let escaped_title =
        "Fair &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; care";
    let escaped_summary = "Summary with &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; inside";
    let html = site.page("en/practices/fair-care-markup/index.html");
    assert_contains(&html, &format!("<h1>{escaped_title}</h1>"));
    assert_contains(
        &html,
        &format!("<title>{escaped_title} · Alpine-Adriatic Inclusion Watch</title>"),
    );
    assert_contains(&html, &format!("<p class=\"lead\">{escaped_summary}</p>"));
    assert_contains(
        &html,
        &format!("<meta name=\"description\" content=\"{escaped_summary}\">"),
    );
    assert_contains(
        &html,
        &format!("<li><span aria-current=\"page\">{escaped_title}</span></li>"),
    );
    // In listings, on a partner page and in another language (as a fallback card).
    for file in [
        "en/practices/index.html",
        "en/themes/care-work/index.html",
        "en/partners/maison-des-aidants/index.html",
        "hr/status/completed/index.html",
    ] {
        let html = site.page(file);
        assert_contains(&html, escaped_title);
        assert_contains(&html, escaped_summary);
    }
}

#[test]
fn raw_html_in_bodies_is_shown_as_text_and_javascript_links_are_not_links() {
    let site = Built::new();
    let html = site.page("en/practices/istrian-care-bridge/index.html");
    let prose = section(&html, "<div class=\"prose\">", "<section class=\"sources\"");
    assert_contains(prose, "&lt;script&gt;alert(");
    assert_contains(prose, "&lt;b onclick=");
    assert_not_contains(prose, "<b onclick");
    // The javascript: link keeps its text, but is no link and its address is gone.
    assert_contains(prose, "A link that must not be one: click me.");
    assert_not_contains(&html, "javascript:");
    assert_not_contains(prose, ">click me</a>");
}

#[test]
fn markdown_tables_footnotes_strikethrough_and_headings() {
    let site = Built::new();
    let html = site.page("en/practices/istrian-care-bridge/index.html");
    assert_contains(
        &html,
        "<table><thead><tr><th>Service</th><th>Side</th><th>Places</th></tr></thead>",
    );
    assert_contains(&html, "<td>Respite care</td>");
    assert_contains(&html, "<del>original weekend-only plan</del>");
    assert_contains(
        &html,
        "class=\"footnote-reference\"><a href=\"#rota\">1</a>",
    );
    assert_contains(&html, "<div class=\"footnote-definition\" id=\"rota\">");
    assert_contains(&html, "Agreed with both municipalities in 2022.");
    for id in ["context", "approach", "related-work"] {
        assert_contains(&html, &format!("<h2 id=\"{id}\">"));
    }
}

#[test]
fn partner_pages_list_the_practices_that_name_them() {
    let site = Built::new();
    let en = site.page("en/partners/karst-care-network/index.html");
    let listed = section(&en, "id=\"partner-practices\"", "</section>");
    assert_eq!(
        card_links(listed),
        practice_urls("en", &["istrian-care-bridge", "karst-youth-hub"])
    );
    // The Slovenian-only practice is listed with its language.
    assert_contains(
        listed,
        "<a href=\"/sub/en/practices/karst-youth-hub/\" lang=\"sl\">Mladinsko središče na Krasu</a>",
    );
    assert_contains(&en, "<dt>City</dt><dd>Sežana</dd>");
    assert_contains(
        &en,
        "<a href=\"/sub/en/territories/si044/\">Coastal-Karst</a>",
    );

    // In Slovenian the partner's own text; the city it leaves out comes from English.
    let sl = site.page("sl/partners/karst-care-network/index.html");
    assert_contains(&sl, "<h1>Kraška mreža oskrbovalcev</h1>");
    assert_contains(&sl, "<dd>Sežana</dd>");
    // Sorted by the titles a Slovenian reader sees: "Mladinsko…" (sl) before "Most…"
    // (the bridge, shown from hr).
    assert_eq!(
        card_links(section(&sl, "id=\"partner-practices\"", "</section>")),
        practice_urls("sl", &["karst-youth-hub", "istrian-care-bridge"])
    );

    // The partner written only in French is on the English site, from French.
    let fr_only = site.page("en/partners/maison-des-aidants/index.html");
    assert_contains(
        &fr_only,
        "This page is not available in English yet. It is shown in French instead.",
    );
    assert_contains(
        &fr_only,
        "<article class=\"record partner\" lang=\"fr\" dir=\"ltr\">",
    );
    assert_contains(&fr_only, "<h1>Maison des aidants de Trieste</h1>");
    assert_contains(
        &fr_only,
        "<dt>Type of organisation</dt><dd>Public body</dd>",
    );
    assert_contains(
        &fr_only,
        &format!("<link rel=\"canonical\" href=\"{BASE}/fr/partners/maison-des-aidants/\">"),
    );
    // Practices are listed in the reader's language, sorted by their English title.
    assert_eq!(
        card_links(section(&fr_only, "id=\"partner-practices\"", "</section>")),
        practice_urls("en", &["istrian-care-bridge", "fair-care-markup"])
    );
    // In French the same list is sorted by the French titles.
    let fr = site.page("fr/partners/maison-des-aidants/index.html");
    assert_eq!(
        card_links(section(&fr, "id=\"partner-practices\"", "</section>")),
        practice_urls("fr", &["fair-care-markup", "istrian-care-bridge"])
    );

    // The partners index of every language lists both, the French one marked as such.
    let index = site.page("en/partners/index.html");
    assert_contains(
        &index,
        "<a href=\"/sub/en/partners/maison-des-aidants/\" lang=\"fr\">Maison des aidants de Trieste</a>",
    );
    assert_contains(
        &index,
        "<a href=\"/sub/en/partners/karst-care-network/\">Karst Care Network</a>",
    );
    let hr_index = site.page("hr/partners/index.html");
    assert_contains(
        &hr_index,
        "<a href=\"/sub/hr/partners/karst-care-network/\" lang=\"sl\">Kraška mreža oskrbovalcev</a>",
    );
}

/// The section of indicator `id` on a territory or border page.
fn indicator_section<'a>(html: &'a str, id: &str) -> &'a str {
    section(
        html,
        &format!("<section class=\"indicator\" aria-labelledby=\"ind-{id}\">"),
        "</section>",
    )
}

/// The rows of the year-by-year table of a section: year, then the cells.
fn year_rows(section: &str) -> Vec<String> {
    between_all(
        section.split("<tbody>").nth(1).unwrap_or(""),
        "<tr",
        "</tr>",
    )
}

#[test]
fn territory_pages_show_every_indicator_year_by_year() {
    let site = Built::new();
    // SI044: employment 2021 68.4, 2022 69.1, 2023 empty with a note; two decimals.
    let si = site.page("en/territories/si044/index.html");
    let emp = indicator_section(&si, "employment-rate");
    let rows = year_rows(emp);
    assert_eq!(rows.len(), 3, "{emp}");
    assert_contains(
        &rows[0],
        "<th scope=\"row\">2021</th><td class=\"num\">68.40\u{a0}%</td>",
    );
    assert_contains(
        &rows[1],
        "<th scope=\"row\">2022</th><td class=\"num\">69.10\u{a0}%</td>",
    );
    // A missing value is "not available" with its note, never 0.
    assert_contains(
        &rows[2],
        "<th scope=\"row\">2023</th><td class=\"num\"><span class=\"na\">Not available</span></td><td>not published yet</td>",
    );
    // The chart: an accessible name and description; two markers, no third at 2023.
    assert_contains(
        emp,
        "role=\"img\" aria-labelledby=\"chart-employment-rate-title chart-employment-rate-desc\"",
    );
    assert_contains(
        emp,
        "<title id=\"chart-employment-rate-title\">Employment rate · Coastal-Karst</title>",
    );
    assert_contains(
        emp,
        "<desc id=\"chart-employment-rate-desc\">Employment rate · Coastal-Karst, 2021–2023. The same values are in the table.</desc>",
    );
    assert_eq!(count(emp, "<circle"), 2, "{emp}");
    // What the indicator is: unit, which way is better, source; its page.
    assert_contains(emp, "<dt>How to read it</dt><dd>Higher is better</dd>");
    assert_contains(
        emp,
        "<a href=\"/sub/en/indicators/employment-rate/\">Employment rate</a>",
    );
    // No decimals, English grouping, a unit that is not a percentage.
    let gap = indicator_section(&si, "poverty-gap");
    assert_contains(gap, "<td class=\"num\">1,300\u{a0}EUR</td>");
    assert_contains(gap, "<td class=\"num\">1,235\u{a0}EUR</td>");
    // Only empty values: a table of "not available", and no chart at all.
    let neet = indicator_section(&si, "youth-neet");
    assert_contains(neet, "<span class=\"na\">Not available</span>");
    assert_not_contains(neet, "<svg");
    // A note is shown with its value.
    assert_contains(
        indicator_section(&si, "median-age"),
        "<td class=\"num\">45.3\u{a0}years</td><td>estimate</td>",
    );

    // Its data: its own values as CSV (only its rows), every observation, the package.
    let data = section(&si, "<aside class=\"data-links\"", "</aside>");
    assert_contains(
        data,
        "<a href=\"/sub/data/observations/territories/si044.csv\">CSV</a>",
    );
    assert_contains(data, "<a href=\"/sub/en/compare/t/si044.json\">JSON</a>");
    assert_contains(data, "<a href=\"/sub/data/datapackage.json\">JSON</a>");
    let csv = site.page("data/observations/territories/si044.csv");
    assert!(
        csv.starts_with("\u{feff}territory,indicator,year,value,note\r\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 7, "{csv}");
    assert!(
        csv.lines().skip(1).all(|l| l.starts_with("SI044,")),
        "{csv}"
    );
    assert_contains(&csv, "SI044,employment-rate,2023,,not published yet");

    // ITH4 has no observation at all: every indicator is named as without data.
    let it = site.page("en/territories/ith4/index.html");
    assert_not_contains(&it, "<section class=\"indicator\"");
    let none = section(&it, "<p class=\"empty\">No data published yet: ", "</p>");
    assert_eq!(count(none, "/sub/en/indicators/"), 4, "{none}");

    // In Croatian: the decimal comma, the indicator name in hr, the English one marked
    // where hr and sl have none, the caption in Croatian.
    let hr_si = site.page("hr/territories/si044/index.html");
    assert_contains(&hr_si, "<h1>Obalno-krška</h1>");
    let emp = indicator_section(&hr_si, "employment-rate");
    assert_contains(emp, "<td class=\"num\">69,10\u{a0}%</td>");
    assert_contains(emp, "Stopa zaposlenosti, po godinama</caption>");
    assert_contains(
        indicator_section(&hr_si, "poverty-gap"),
        "<a href=\"/sub/hr/indicators/poverty-gap/\" lang=\"en\">Poverty gap</a>",
    );
    // In French: the French grouping and decimal comma.
    let fr_si = site.page("fr/territories/si044/index.html");
    assert_contains(
        indicator_section(&fr_si, "poverty-gap"),
        "<td class=\"num\">1\u{202f}300\u{a0}EUR</td>",
    );
    assert_contains(
        indicator_section(&fr_si, "median-age"),
        "<dt>Définition</dt><dd>L&#x27;âge qui partage",
    );
    // A territory name missing in French is shown from English, marked.
    let fr_at = site.page("fr/territories/at-211/index.html");
    assert_contains(&fr_at, "<h1 lang=\"en\">Klagenfurt-Villach</h1>");
    assert_eq!(
        card_links(&fr_at),
        practice_urls("fr", &["fair-care-markup"])
    );

    // No value anywhere is turned into a zero.
    for f in site.html_files() {
        if f.contains("/territories/") || f.contains("/borders/") || f.contains("/indicators/") {
            let html = site.page(&f);
            assert_not_contains(&html, "\"num\">0\u{a0}");
            assert_not_contains(&html, "\"num\">0.0");
        }
    }
}

#[test]
fn indicator_pages_rank_every_territory_in_the_latest_year() {
    let site = Built::new();
    // Lower is better: the lowest first; Istria has no value in 2022 (its note and
    // its latest value are said).
    let gap = site.page("en/indicators/poverty-gap/index.html");
    assert_contains(
        &gap,
        "<h2 id=\"ranking-title\">Territories ranked, 2022</h2>",
    );
    let rows = year_rows(section(&gap, "<table class=\"data\">", "</table>"));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_contains(
        &rows[0],
        "<td class=\"num\">1</td><th scope=\"row\"><a href=\"/sub/en/territories/at-211/\">Klagenfurt-Villach</a></th><td class=\"num\">900\u{a0}EUR</td>",
    );
    assert_contains(
        &rows[1],
        "<td class=\"num\">2</td><th scope=\"row\"><a href=\"/sub/en/territories/si044/\">Coastal-Karst</a></th><td class=\"num\">1,235\u{a0}EUR</td>",
    );
    assert_contains(
        &gap,
        "<a href=\"/sub/en/territories/hr036/\">Istria County</a> (not published): latest value 1,100\u{a0}EUR in 2021",
    );
    // The bar chart: named, one bar per ranked territory, in the same order.
    let chart = section(&gap, "<svg class=\"chart bar-chart\"", "</svg>");
    assert_contains(
        chart,
        "<title id=\"ranking-chart-title\">Poverty gap · 2022</title>",
    );
    assert_eq!(count(chart, "<rect"), 2);
    assert!(chart.find("Klagenfurt-Villach").unwrap() < chart.find("Coastal-Karst").unwrap());
    // Its values as CSV.
    assert_contains(
        &gap,
        "<a href=\"/sub/data/observations/indicators/poverty-gap.csv\">CSV</a>",
    );
    let csv = site.page("data/observations/indicators/poverty-gap.csv");
    assert!(
        csv.lines().skip(1).all(|l| l.contains(",poverty-gap,")),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 6, "{csv}");
    // Neither end better: the largest first.
    let age = site.page("en/indicators/median-age/index.html");
    let rows = year_rows(section(&age, "<table class=\"data\">", "</table>"));
    assert_contains(&rows[0], "Coastal-Karst");
    assert_contains(&rows[1], "Klagenfurt-Villach");
    assert_contains(
        &age,
        "<dt>Definition</dt><dd>The age that divides the population in two halves of equal size.</dd>",
    );
    // The index: every indicator, its latest year and how many territories have data.
    let index = site.page("en/indicators/index.html");
    let table = section(&index, "<tbody>", "</tbody>");
    assert_eq!(count(table, "<a href=\"/sub/en/indicators/"), 4, "{table}");
    assert_contains(
        &index,
        "<a href=\"/sub/en/indicators/employment-rate/\">Employment rate</a></th><td>%</td><td>Higher is better</td><td class=\"num\">2023</td><td class=\"num\">3</td>",
    );
    // In French, the page and its link in the navigation.
    let fr = site.page("fr/indicators/employment-rate/index.html");
    assert_contains(&fr, "<h1>Taux d&#x27;emploi</h1>");
    assert_contains(&fr, "<a href=\"/sub/fr/indicators/\"");
}

#[test]
fn the_comparison_reads_a_small_json_per_practice_and_territory() {
    let site = Built::new();
    // A practice: the facts of its page in the reader's language, never its body, in
    // one of the files the practices share (16 to a file, by a hash of the slug).
    let buckets: Vec<serde_json::Value> = common::list_files(&site.out.join("fr/compare/p"))
        .iter()
        .map(|f| serde_json::from_str(&site.page(&format!("fr/compare/p/{f}"))).unwrap())
        .collect();
    assert_eq!(
        buckets.len(),
        1,
        "the fixture's few practices share one file"
    );
    let holding: Vec<&serde_json::Value> = buckets
        .iter()
        .filter_map(|b| b.get("fair-care-markup"))
        .collect();
    assert_eq!(holding.len(), 1);
    let p = holding[0];
    let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    assert!(!keys.contains(&"body"), "{keys:?}");
    assert_eq!(p["slug"], "fair-care-markup");
    assert_eq!(p["url"], "/sub/fr/practices/fair-care-markup/");
    assert!(p["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(p["status_label"].as_str().is_some_and(|t| !t.is_empty()));
    // A territory: every indicator it has rows for, each year with the value as written
    // and as shown, and the note; a missing value stays null.
    let t: serde_json::Value = serde_json::from_str(&site.page("en/compare/t/si044.json")).unwrap();
    assert_eq!(t["name"], "Coastal-Karst");
    let emp = t["indicators"]["employment-rate"].as_array().unwrap();
    assert_eq!(emp.len(), 3);
    assert_eq!(emp[1]["year"], 2022);
    assert_eq!(emp[1]["value"], 69.1);
    assert_eq!(emp[1]["text"], "69.10\u{a0}%");
    assert_eq!(emp[2]["value"], serde_json::Value::Null);
    assert_eq!(emp[2]["note"], "not published yet");
    // The page itself: what the script needs, and a text for readers without it.
    let page = site.page("en/compare/index.html");
    assert_contains(
        &page,
        "<script id=\"compare-config\" type=\"application/json\">",
    );
    assert_contains(&page, "<noscript>");
    assert_contains(
        &page,
        "<option value=\"SI044\">Coastal-Karst (Slovenia)</option>",
    );
}

#[test]
fn border_pages_compare_their_sides_by_the_latest_common_year() {
    let site = Built::new();
    let html = site.page("en/borders/alpe-adria/index.html");
    assert_contains(&html, "<h1>Alpe-Adria cross-border area</h1>");
    // The sides, named by their territories (no "Side 1").
    let sides = section(&html, "<ul class=\"sides\">", "</ul>");
    assert_contains(
        sides,
        "<a href=\"/sub/en/territories/si044/\">Coastal-Karst</a>, <a href=\"/sub/en/territories/ith4/\">Friuli-Venezia Giulia</a>",
    );
    assert_contains(
        sides,
        "<a href=\"/sub/en/territories/hr036/\">Istria County</a>",
    );
    assert_not_contains(&html, "Side 1");

    // Employment (higher is better): both have 2022; Istria has a newer value.
    let emp = indicator_section(&html, "employment-rate");
    assert_contains(
        emp,
        "Compared in 2022, the latest year with a value for every territory:",
    );
    assert_contains(
        emp,
        "<p class=\"difference verdict-better\">8.10 points higher in Coastal-Karst than in Istria County <strong class=\"verdict\">(better)</strong></p>",
    );
    assert_contains(emp, "<li class=\"verdict-better\">");
    assert_contains(emp, "<li class=\"verdict-worse\">");
    assert_contains(emp, "Newer value for Istria County: 62.46\u{a0}% in 2023");
    // A territory without any row is named, not shown as zeros.
    assert_contains(
        emp,
        "No data published yet: <a href=\"/sub/en/territories/ith4/\">Friuli-Venezia Giulia</a>",
    );
    // The table: a column per territory with rows, the compared year marked.
    assert_contains(
        emp,
        "<tr class=\"compared-year\"><th scope=\"row\">2022 <span class=\"visually-hidden\">(compared)</span></th><td class=\"num\">69.10\u{a0}%</td><td class=\"num\">61.00\u{a0}%</td></tr>",
    );
    // The chart: one line per territory, a legend with both.
    assert_eq!(count(emp, "<g class=\"series "), 2, "{emp}");
    assert_contains(emp, "<ul class=\"legend\">");

    // Poverty gap (lower is better): the latest common year is 2021, not 2022 (Istria
    // has no value since); the difference in euros, worse for Coastal-Karst.
    let gap = indicator_section(&html, "poverty-gap");
    assert_contains(gap, "Compared in 2021,");
    assert_contains(
        gap,
        "<p class=\"difference verdict-worse\">200\u{a0}EUR higher in Coastal-Karst than in Istria County <strong class=\"verdict\">(worse)</strong></p>",
    );
    assert_contains(gap, "Newer value for Coastal-Karst: 1,235\u{a0}EUR in 2022");

    // Young people NEET: only one side has rows, so there is no comparison.
    let neet = indicator_section(&html, "youth-neet");
    assert_not_contains(neet, "Compared in");
    assert_not_contains(neet, "class=\"difference");
    assert_contains(
        neet,
        "No data published yet: <a href=\"/sub/en/territories/ith4/\">Friuli-Venezia Giulia</a>, <a href=\"/sub/en/territories/hr036/\">Istria County</a>",
    );
    assert_eq!(
        card_links(&html),
        practice_urls("en", &["istrian-care-bridge"])
    );

    // A neutral indicator: the difference in words, no verdict.
    let kar = site.page("en/borders/karawanks/index.html");
    let age = indicator_section(&kar, "median-age");
    assert_contains(
        age,
        "<p class=\"difference verdict-neither\">1.2\u{a0}years lower in Klagenfurt-Villach than in Coastal-Karst</p>",
    );
    assert_not_contains(age, "(better)");
    assert_not_contains(age, "(worse)");

    // In Croatian: decimal comma, the plural form of the points as shown (8,10 → other),
    // the sides from the fallback chain.
    let hr = site.page("hr/borders/alpe-adria/index.html");
    assert_contains(
        indicator_section(&hr, "employment-rate"),
        "Obalno-krška: 8,10 postotnih bodova više nego s druge strane (Istarska županija) <strong class=\"verdict\">(bolje)</strong>",
    );
    let kar_hr = site.page("hr/borders/karawanks/index.html");
    assert_contains(&kar_hr, "<h1 lang=\"sl\">Karavanke</h1>");
    assert_contains(
        &kar_hr,
        "<a href=\"/sub/hr/territories/at-211/\" lang=\"en\">Klagenfurt-Villach</a>",
    );
    assert_eq!(
        card_links(&kar_hr),
        practice_urls("hr", &["karst-youth-hub"])
    );

    // The border index lists both, with their counts.
    let index = site.page("en/borders/index.html");
    assert_contains(
        &index,
        "<a href=\"/sub/en/borders/alpe-adria/\">Alpe-Adria cross-border area</a> <span class=\"count\">(1)</span>",
    );
    assert_contains(
        &index,
        "<a href=\"/sub/en/borders/karawanks/\">Karawanks border</a> <span class=\"count\">(1)</span>",
    );
}

#[test]
fn facet_listings_hold_exactly_their_practices_sorted_by_title() {
    let site = Built::new();
    let cases: &[(&str, &[&str])] = &[
        // en titles: "A bridge…", "Fair <script>…", "Mladinsko…" (sl), "Night shelter…"
        (
            "en/practices/",
            &[
                "istrian-care-bridge",
                "fair-care-markup",
                "karst-youth-hub",
                "zadar-night-shelter",
            ],
        ),
        (
            "en/themes/care-work/",
            &["istrian-care-bridge", "fair-care-markup"],
        ),
        (
            "en/themes/housing/",
            &["istrian-care-bridge", "zadar-night-shelter"],
        ),
        ("en/themes/youth/", &["karst-youth-hub"]),
        ("en/themes/digital-skills/", &["karst-youth-hub"]),
        ("en/themes/elder-care/", &[]),
        (
            "en/target-groups/carers/",
            &["istrian-care-bridge", "fair-care-markup"],
        ),
        ("en/target-groups/migrants/", &["zadar-night-shelter"]),
        ("en/target-groups/young-people/", &["karst-youth-hub"]),
        (
            "en/countries/hr/",
            &["istrian-care-bridge", "zadar-night-shelter"],
        ),
        (
            "en/countries/si/",
            &["istrian-care-bridge", "karst-youth-hub"],
        ),
        ("en/countries/at/", &["fair-care-markup"]),
        ("en/countries/it/", &[]),
        (
            "en/status/completed/",
            &["fair-care-markup", "zadar-night-shelter"],
        ),
        ("en/status/ongoing/", &["istrian-care-bridge"]),
        ("en/status/planned/", &["karst-youth-hub"]),
        // fr titles: "Fair…" (en), "Mladinsko…" (sl), "Night…" (en), "Un pont…"
        (
            "fr/practices/",
            &[
                "fair-care-markup",
                "karst-youth-hub",
                "zadar-night-shelter",
                "istrian-care-bridge",
            ],
        ),
        (
            "fr/themes/care-work/",
            &["fair-care-markup", "istrian-care-bridge"],
        ),
        (
            "fr/themes/housing/",
            &["zadar-night-shelter", "istrian-care-bridge"],
        ),
        // hr titles: "Fair…", "Mladinsko…", "Most za…", "Night…"
        (
            "hr/practices/",
            &[
                "fair-care-markup",
                "karst-youth-hub",
                "istrian-care-bridge",
                "zadar-night-shelter",
            ],
        ),
        (
            "hr/countries/si/",
            &["karst-youth-hub", "istrian-care-bridge"],
        ),
        // sl sees the hr title of the bridge (sl → hr)
        (
            "sl/target-groups/carers/",
            &["fair-care-markup", "istrian-care-bridge"],
        ),
    ];
    for (rest, slugs) in cases {
        let lang = &rest[..2];
        let html = site.page(&format!("{rest}index.html"));
        assert_eq!(
            card_links(&html),
            practice_urls(lang, slugs),
            "listing /sub/{rest}"
        );
        if slugs.is_empty() {
            assert_contains(&html, "<p class=\"empty\">");
        }
        assert_not_contains(&html, "class=\"pagination\"");
    }
    // An empty theme's listing says so in the reader's language.
    assert_contains(
        &site.page("hr/themes/elder-care/index.html"),
        "Ovdje još nema objavljenih primjera dobre prakse",
    );
}

#[test]
fn facet_indexes_and_term_labels_fall_back_per_language() {
    let site = Built::new();
    let themes = site.page("en/themes/index.html");
    let list = section(&themes, "<ul class=\"term-list\">", "</ul>");
    // Sorted by label, with counts; terms without practices are listed too.
    let labels = between_all(list, "/\">", "</a>");
    assert_eq!(
        labels,
        [
            "Care work",
            "Digital skills",
            "Elder care",
            "Housing",
            "Youth"
        ]
    );
    assert_contains(
        list,
        "<a href=\"/sub/en/themes/care-work/\">Care work</a> <span class=\"count\">(2)</span>",
    );
    assert_contains(
        list,
        "<a href=\"/sub/en/themes/elder-care/\">Elder care</a> <span class=\"count\">(0)</span>",
    );
    // sl has no label for housing: the hr one (sl → hr), marked; fr has no label for
    // digital-skills: the en one.
    let sl = site.page("sl/themes/housing/index.html");
    assert_contains(&sl, "<h1 lang=\"hr\">Stanovanje</h1>");
    let fr = site.page("fr/themes/index.html");
    assert_contains(
        &fr,
        "<a href=\"/sub/fr/themes/digital-skills/\" lang=\"en\">Digital skills</a>",
    );
    let hr_tg = site.page("hr/practices/karst-youth-hub/index.html");
    assert_contains(
        &hr_tg,
        "<a href=\"/sub/hr/target-groups/young-people/\" lang=\"sl\">Mladi ljudje</a>",
    );
    // Country names come from the reader's interface strings.
    let countries = site.page("fr/countries/index.html");
    assert_contains(
        &countries,
        "<a href=\"/sub/fr/countries/hr/\">Croatie</a> <span class=\"count\">(2)</span>",
    );
    // Status labels.
    let status = site.page("hr/status/index.html");
    assert_contains(
        &status,
        "<a href=\"/sub/hr/status/completed/\">Završeno</a>",
    );
}

#[test]
fn long_listings_are_split_into_pages_of_fifty() {
    let site = Built::with(|root| {
        let dir = root.join("content/practices");
        for i in 0..120 {
            let text = format!(
                "+++\ntitle = \"Generated practice {i:03}\"\nstatus = \"ongoing\"\ncountries = [\"SI\"]\nthemes = [\"elder-care\"]\n+++\nGenerated body {i}.\n"
            );
            fs::write(dir.join(format!("generated-{i:03}.en.md")), text).unwrap();
        }
    });
    let first = site.page("en/themes/elder-care/index.html");
    let second = site.page("en/themes/elder-care/page/2/index.html");
    let third = site.page("en/themes/elder-care/page/3/index.html");
    assert!(!site.out.join("en/themes/elder-care/page/4").exists());
    assert!(!site.out.join("en/themes/elder-care/page/1").exists());
    let expect = |range: std::ops::Range<usize>| -> Vec<String> {
        range
            .map(|i| format!("/sub/en/practices/generated-{i:03}/"))
            .collect()
    };
    assert_eq!(card_links(&first), expect(0..50));
    assert_eq!(card_links(&second), expect(50..100));
    assert_eq!(card_links(&third), expect(100..120));

    let page1 = "/sub/en/themes/elder-care/";
    let page2 = "/sub/en/themes/elder-care/page/2/";
    let page3 = "/sub/en/themes/elder-care/page/3/";
    let nav1 = section(&first, "<nav class=\"pagination\"", "</nav>");
    assert_contains(nav1, "<p>Page 1 of 3</p>");
    assert_not_contains(nav1, "rel=\"prev\"");
    assert_contains(nav1, &format!("<a href=\"{page2}\" rel=\"next\">Next</a>"));
    assert_contains(
        nav1,
        &format!("<a href=\"{page1}\" aria-current=\"page\">1</a>"),
    );
    let nav2 = section(&second, "<nav class=\"pagination\"", "</nav>");
    assert_contains(nav2, "<p>Page 2 of 3</p>");
    assert_contains(
        nav2,
        &format!("<a href=\"{page1}\" rel=\"prev\">Previous</a>"),
    );
    assert_contains(nav2, &format!("<a href=\"{page3}\" rel=\"next\">Next</a>"));
    assert_contains(
        nav2,
        &format!("<a href=\"{page2}\" aria-current=\"page\">2</a>"),
    );
    let nav3 = section(&third, "<nav class=\"pagination\"", "</nav>");
    assert_contains(
        nav3,
        &format!("<a href=\"{page2}\" rel=\"prev\">Previous</a>"),
    );
    assert_not_contains(nav3, "rel=\"next\"");
    // Each page is its own canonical and in the sitemap.
    assert_contains(
        &second,
        &format!("<link rel=\"canonical\" href=\"{BASE}/en/themes/elder-care/page/2/\">"),
    );
    let sitemap = site.sitemap_urls();
    assert!(sitemap.contains(&format!("{BASE}/en/themes/elder-care/page/3/")));
    // The same split in another language, with its own strings.
    let hr2 = site.page("hr/themes/elder-care/page/2/index.html");
    assert_eq!(card_links(&hr2).len(), 50);
    assert_contains(&hr2, "Stranica 2 od 3");
    // All practices: 124 → 50 + 50 + 24.
    assert_eq!(
        card_links(&site.page("en/practices/page/3/index.html")).len(),
        24
    );
}

#[test]
fn territory_and_partner_pages_split_their_practices_into_pages_of_fifty() {
    let site = Built::with(|root| {
        let dir = root.join("content/practices");
        for i in 0..120 {
            let text = format!(
                "+++\ntitle = \"Generated practice {i:03}\"\nstatus = \"ongoing\"\ncountries = [\"SI\"]\nterritories = [\"SI044\"]\npartners = [\"karst-care-network\"]\nthemes = [\"elder-care\"]\n+++\nGenerated body {i}.\n"
            );
            fs::write(dir.join(format!("generated-{i:03}.en.md")), text).unwrap();
        }
    });
    let sitemap = site.sitemap_urls();
    for (base, facts) in [
        ("en/territories/si044/", "id=\"indicators-title\""),
        ("en/partners/karst-care-network/", "id=\"facts-title\""),
    ] {
        let first = site.page(&format!("{base}index.html"));
        let mut listed = card_links(&first);
        assert_eq!(listed.len(), 50, "{base}");
        // The first page keeps the rest of the page and has the pager.
        assert_contains(&first, facts);
        let nav1 = section(&first, "<nav class=\"pagination\"", "</nav>");
        assert_contains(
            nav1,
            &format!("<a href=\"/sub/{base}page/2/\" rel=\"next\">Next</a>"),
        );
        let pages: usize = between_all(nav1, "<p>Page 1 of ", "</p>")[0]
            .parse()
            .unwrap();
        assert!(pages >= 3, "{base}: {pages} pages");
        for n in 2..=pages {
            let later = site.page(&format!("{base}page/{n}/index.html"));
            let cards = card_links(&later);
            assert!(!cards.is_empty() && cards.len() <= 50, "{base} page {n}");
            listed.extend(cards);
            // Just the list: no facts, a pager, a breadcrumb back to the first page,
            // its own canonical address and title, and a place in the sitemap.
            assert_not_contains(&later, facts);
            let nav = section(&later, "<nav class=\"pagination\"", "</nav>");
            assert_contains(nav, &format!("<p>Page {n} of {pages}</p>"));
            assert_contains(nav, "rel=\"prev\"");
            let crumbs = section(&later, "<nav class=\"breadcrumbs", "</nav>");
            assert_contains(crumbs, &format!("<a href=\"/sub/{base}\">"));
            let url = format!("{BASE}/{base}page/{n}/");
            assert_contains(&later, &format!("<link rel=\"canonical\" href=\"{url}\">"));
            assert_contains(&later, &format!(" · Page {n} of {pages}"));
            assert!(sitemap.contains(&url), "{url} missing from the sitemap");
        }
        assert!(!site.out.join(format!("{base}page/{}", pages + 1)).exists());
        let mut unique = listed.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            listed.len(),
            "{base}: a practice listed twice"
        );
        for i in 0..120 {
            let url = format!("/sub/en/practices/generated-{i:03}/");
            assert!(listed.contains(&url), "{base}: {url} on no page");
        }
    }
}

#[test]
fn sitemap_lists_every_original_page_with_absolute_addresses() {
    let site = Built::new();
    let urls = site.sitemap_urls();
    let sitemap = site.raw("sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert_contains(
        &sitemap,
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    for u in &urls {
        assert!(u.starts_with(&format!("{BASE}/")), "{u} lacks the base");
    }
    let unique: BTreeSet<&String> = urls.iter().collect();
    assert_eq!(unique.len(), urls.len(), "the sitemap repeats an address");
    for must in [
        format!("{BASE}/"),
        format!("{BASE}/en/"),
        format!("{BASE}/sl/"),
        format!("{BASE}/en/practices/istrian-care-bridge/"),
        format!("{BASE}/hr/practices/istrian-care-bridge/"),
        format!("{BASE}/sl/practices/karst-youth-hub/"),
        format!("{BASE}/fr/partners/maison-des-aidants/"),
        format!("{BASE}/hr/about/"),
        format!("{BASE}/en/territories/at-211/"),
        format!("{BASE}/fr/borders/karawanks/"),
    ] {
        assert!(urls.contains(&must), "{must} missing from the sitemap");
    }
    // Exactly the pages that are not fallbacks (and not the 404 page).
    let mut expected = BTreeSet::new();
    for f in site.html_files() {
        if f.ends_with("404.html") {
            continue;
        }
        let html = site.page(&f);
        if html.contains("fallback-notice") {
            continue;
        }
        let url = f.strip_suffix("index.html").unwrap_or(&f);
        expected.insert(format!("{BASE}/{url}"));
    }
    let got: BTreeSet<String> = urls.iter().cloned().collect();
    assert_eq!(got, expected);
    for fallback in [
        "en/practices/karst-youth-hub/",
        "sl/practices/istrian-care-bridge/",
        "fr/practices/zadar-night-shelter/",
        "en/partners/maison-des-aidants/",
        "fr/about/",
        "sl/about/",
    ] {
        assert!(!got.contains(&format!("{BASE}/{fallback}")), "{fallback}");
    }
    // Language alternates in the sitemap, when it has them, name original pages only.
    for href in between_all(&sitemap, "<xhtml:link rel=\"alternate\" hreflang=\"", "/>") {
        let href = between_all(&href, "href=\"", "\"").remove(0);
        assert!(
            got.contains(&href),
            "sitemap alternate {href} is no original page"
        );
    }
}

#[test]
fn robots_txt_points_at_the_sitemap() {
    let site = Built::new();
    let robots = site.raw("robots.txt");
    assert_contains(&robots, "User-agent: *");
    assert_contains(&robots, &format!("Sitemap: {BASE}/sitemap.xml"));
}

#[test]
fn static_files_are_copied() {
    let site = Built::new();
    assert_eq!(
        site.raw("files/report.txt"),
        "Annual report of the test observatory.\n"
    );
    assert!(site.out.join("css/site.css").is_file());
    // And the pages link the stylesheet under the base path.
    assert_contains(
        &site.page("en/index.html"),
        "<link rel=\"stylesheet\" href=\"/sub/css/site.css\">",
    );
}

#[test]
fn hreflang_alternates_list_exactly_the_existing_translations() {
    let site = Built::new();
    let pairs = |slug_rest: &str, langs: &[&str], x_default: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = langs
            .iter()
            .map(|l| (l.to_string(), format!("{BASE}/{l}/{slug_rest}")))
            .collect();
        v.push(("x-default".into(), format!("{BASE}/{x_default}")));
        v
    };
    let bridge = "practices/istrian-care-bridge/";
    for lang in LANGS {
        assert_eq!(
            alternates(&site.page(&format!("{lang}/{bridge}index.html"))),
            pairs(bridge, &["en", "fr", "hr"], &format!("en/{bridge}")),
            "{lang}/{bridge}"
        );
    }
    let hub = "practices/karst-youth-hub/";
    let got = alternates(&site.page(&format!("hr/{hub}index.html")));
    assert_eq!(got[0], ("sl".to_string(), format!("{BASE}/sl/{hub}")));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1].0, "x-default");
    let about = "about/";
    assert_eq!(
        alternates(&site.page("fr/about/index.html")),
        pairs(about, &["en", "hr"], "en/about/")
    );
    let partner = "partners/maison-des-aidants/";
    let got = alternates(&site.page(&format!("fr/{partner}index.html")));
    assert_eq!(got[0], ("fr".to_string(), format!("{BASE}/fr/{partner}")));
    assert_eq!(got.len(), 2, "{got:?}");
    // Interface pages exist in every language.
    assert_eq!(
        alternates(&site.page("sl/themes/youth/index.html")),
        pairs("themes/youth/", &LANGS, "en/themes/youth/")
    );
    assert_eq!(
        alternates(&site.page("hr/index.html")),
        pairs("", &LANGS, "")
    );
}

#[test]
fn language_switcher_links_to_the_same_page_in_every_language() {
    let site = Built::new();
    for (file, rest) in [
        (
            "hr/practices/istrian-care-bridge/index.html",
            "practices/istrian-care-bridge/",
        ),
        ("fr/territories/at-211/index.html", "territories/at-211/"),
        ("sl/themes/care-work/index.html", "themes/care-work/"),
        ("en/about/index.html", "about/"),
        ("fr/index.html", ""),
    ] {
        let html = site.page(file);
        let current = &file[..2];
        let nav = section(&html, "<nav class=\"languages\"", "</nav>");
        for (code, name) in [
            ("en", "English"),
            ("fr", "Français"),
            ("hr", "Hrvatski"),
            ("sl", "Slovenščina"),
        ] {
            let a = format!("<a href=\"/sub/{code}/{rest}\" lang=\"{code}\" hreflang=\"{code}\"");
            assert_contains(nav, &a);
            let tail = &nav[nav.find(&a).unwrap() + a.len()..];
            let tail = &tail[..tail.find("</a>").unwrap()];
            // A language without the record says so in words too (hidden).
            let tail = tail
                .split("<span class=\"visually-hidden\"")
                .next()
                .unwrap();
            assert!(tail.ends_with(&format!(">{name}")), "{file}: {tail}");
            assert_eq!(
                tail.contains("aria-current=\"page\""),
                code == current,
                "{file}: {code}"
            );
        }
    }
    // Languages without the record are marked.
    let nav_html = site.page("en/practices/istrian-care-bridge/index.html");
    let nav = section(&nav_html, "<nav class=\"languages\"", "</nav>");
    assert_contains(
        nav,
        "<a href=\"/sub/sl/practices/istrian-care-bridge/\" lang=\"sl\" hreflang=\"sl\" class=\"unavailable\">Slovenščina<span class=\"visually-hidden\" lang=\"en\"> (not translated)</span></a>",
    );
    assert_eq!(count(nav, "class=\"unavailable\""), 1);
    assert_eq!(count(nav, "(not translated)"), 1);
    // In the reader's language: a Croatian reader of the same page.
    let hr_html = site.page("hr/practices/istrian-care-bridge/index.html");
    let nav = section(&hr_html, "<nav class=\"languages\"", "</nav>");
    assert_contains(
        nav,
        ">Slovenščina<span class=\"visually-hidden\" lang=\"hr\"> (nije prevedeno)</span></a>",
    );
}

#[test]
fn free_pages_are_in_the_menu_in_every_language() {
    let site = Built::new();
    for lang in LANGS {
        let html = site.page(&format!("{lang}/index.html"));
        let nav = section(&html, "<nav class=\"main-nav\"", "</nav>");
        let link = match lang {
            "en" => "<a href=\"/sub/en/about/\">About this watch</a>".to_string(),
            "hr" => "<a href=\"/sub/hr/about/\">O opservatoriju</a>".to_string(),
            // fr falls back to en, sl to hr: the link says which language it is in.
            "fr" => "<a href=\"/sub/fr/about/\" lang=\"en\">About this watch</a>".to_string(),
            _ => "<a href=\"/sub/sl/about/\" lang=\"hr\">O opservatoriju</a>".to_string(),
        };
        assert_contains(nav, &link);
    }
    let en = site.page("en/about/index.html");
    assert_contains(
        &en,
        "<a href=\"/sub/en/about/\" aria-current=\"page\">About this watch</a>",
    );
    // The date in the reader's format (CLDR), the ISO date for machines.
    assert_contains(&en, "<time datetime=\"2026-01-15\">January 15, 2026</time>");
    let sl = site.page("sl/about/index.html");
    assert_contains(
        &sl,
        "<article class=\"record free-page\" lang=\"hr\" dir=\"ltr\">",
    );
    assert_contains(&sl, "Prikazana je v drugem jeziku: hrvaščina.");
}

#[test]
fn a_site_template_overrides_the_themes() {
    let site = Built::with(|root| {
        fs::create_dir_all(root.join("templates")).unwrap();
        fs::write(
            root.join("templates/practice.html"),
            "{% extends \"base.html\" %}\n{% block main %}<h1 class=\"site-override\">OVERRIDE {{ practice.title }}</h1>{% endblock %}\n",
        )
        .unwrap();
    });
    let html = site.page("en/practices/istrian-care-bridge/index.html");
    assert_contains(
        &html,
        "<h1 class=\"site-override\">OVERRIDE A bridge for carers in Istria</h1>",
    );
    assert_not_contains(&html, "class=\"record practice\"");
    // The theme's base template is still used around it.
    assert_contains(&html, "<nav class=\"languages\"");
    // The override escapes like the theme does.
    assert_contains(
        &site.page("en/practices/fair-care-markup/index.html"),
        "OVERRIDE Fair &lt;script&gt;",
    );
    // Other page kinds keep the theme's templates.
    let partner = site.page("en/partners/karst-care-network/index.html");
    assert_not_contains(&partner, "OVERRIDE");
    assert_contains(&partner, "class=\"record partner\"");
    assert!(
        site.tmp
            .path()
            .join("site/templates/practice.html")
            .is_file()
    );
}

#[test]
fn the_not_found_page_and_home_pages() {
    let site = Built::new();
    // /404.html: every language's message, each with a link to its home page.
    let nf = site.page("404.html");
    assert_contains(&nf, "<h1 class=\"visually-hidden\">Page not found</h1>");
    assert_not_contains(&nf, "class=\"main-nav\"");
    for (code, title, text) in [
        (
            "en",
            "Page not found",
            "The page you are looking for does not exist",
        ),
        ("fr", "Page introuvable", "La page que vous cherchez"),
        ("hr", "Stranica nije pronađena", "Stranica koju tražite"),
        ("sl", "Strani ni bilo mogoče najti", "Stran, ki jo iščete"),
    ] {
        let entry = section(&nf, &format!("<li lang=\"{code}\" dir=\"ltr\">"), "</li>");
        assert_contains(entry, &format!("<h2>{title}</h2>"));
        assert_contains(entry, text);
        assert_contains(
            entry,
            &format!("<a href=\"/sub/{code}/\" hreflang=\"{code}\">"),
        );
        // /<lang>/404.html: the language's own, with its navigation and language
        // links to the other 404 pages; no canonical, no alternates, not in the sitemap.
        let own = site.page(&format!("{code}/404.html"));
        assert_contains(&own, &format!("<html lang=\"{code}\""));
        assert_contains(&own, &format!("<h1>{title}</h1>"));
        assert_contains(&own, text);
        assert_contains(&own, "class=\"main-nav\"");
        assert_contains(
            &own,
            &format!("<a class=\"site-title\" href=\"/sub/{code}/\">"),
        );
        for other in LANGS {
            assert_contains(
                &own,
                &format!("<a href=\"/sub/{other}/404.html\" lang=\"{other}\""),
            );
        }
        assert_not_contains(&own, "rel=\"canonical\"");
        assert_not_contains(&own, "hreflang=\"x-default\"");
    }
    assert!(
        !site.sitemap_urls().iter().any(|u| u.ends_with("404.html")),
        "a 404 page in the sitemap"
    );
    let home = site.page("hr/index.html");
    assert_contains(
        &home,
        "<p class=\"lead\">Prakse skrbi, stanovanja i mladih uz alpsko-jadranske granice.</p>",
    );
    assert_contains(
        &home,
        "href=\"/sub/hr/practices/\">Svi primjeri dobre prakse</a> <span class=\"total\">4 primjera dobre prakse</span>",
    );
    // Latest practices: by end date, else start date, newest first (zadar ended in
    // March 2020, fair-care in December 2019, though it started after zadar).
    let latest = section(&home, "id=\"latest\"", "</section>");
    assert_eq!(
        card_links(latest),
        practice_urls(
            "hr",
            &[
                "karst-youth-hub",
                "istrian-care-bridge",
                "zadar-night-shelter",
                "fair-care-markup"
            ]
        )
    );
}

#[test]
fn every_alternate_points_at_an_original_page() {
    // hreflang alternates must point at pages that exist in that language and are
    // their own canonical; x-default of a record missing in the default language (en)
    // points at /en/..., a fallback page whose canonical is another address and which
    // is kept out of the sitemap.
    let site = Built::new();
    let sitemap: BTreeSet<String> = site.sitemap_urls().into_iter().collect();
    let mut wrong = Vec::new();
    for f in site.html_files() {
        if f.ends_with("404.html") {
            continue;
        }
        for (lang, href) in alternates(&site.page(&f)) {
            if !sitemap.contains(&href) {
                wrong.push(format!("{f}: hreflang={lang} → {href}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} alternates point at fallback pages, e.g.:\n{}",
        wrong.len(),
        wrong[..wrong.len().min(8)].join("\n")
    );
}

#[test]
fn text_shown_from_another_language_is_marked_in_the_breadcrumb_too() {
    // On a fallback page the record's title is repeated as the breadcrumb's last item;
    // like the <h1> (inside <article lang="sl">) it must carry the language it is in,
    // or screen readers read Slovenian with Croatian pronunciation.
    let site = Built::new();
    let html = site.page("hr/practices/karst-youth-hub/index.html");
    let crumbs = section(&html, "<nav class=\"breadcrumbs", "</nav>");
    assert_contains(
        crumbs,
        "<span aria-current=\"page\" lang=\"sl\">Mladinsko središče na Krasu</span>",
    );
    // Same for a listing whose term label comes from another language.
    let html = site.page("sl/themes/housing/index.html");
    let crumbs = section(&html, "<nav class=\"breadcrumbs", "</nav>");
    assert_contains(
        crumbs,
        "<span aria-current=\"page\" lang=\"hr\">Stanovanje</span>",
    );
}

#[test]
fn listings_sort_by_the_readers_alphabet() {
    // In Slovenian (and Croatian, French...) Č comes between C and D, É with E; limes
    // compares lowercased code points, so "Čebelarski…" is listed after "Zavetišče…".
    let site = Built::with(|root| {
        for (slug, title) in [
            ("sl-d", "Delavnice za starejše"),
            ("sl-c", "Čebelarski krožek za starejše"),
            ("sl-z", "Zavetišče za starejše"),
            ("sl-b", "Bralni krožek"),
        ] {
            fs::write(
                root.join(format!("content/practices/{slug}.sl.md")),
                format!("+++\ntitle = \"{title}\"\nstatus = \"ongoing\"\ncountries = [\"SI\"]\nthemes = [\"elder-care\"]\n+++\n"),
            )
            .unwrap();
        }
    });
    assert_eq!(
        card_links(&site.page("sl/themes/elder-care/index.html")),
        practice_urls("sl", &["sl-b", "sl-c", "sl-d", "sl-z"])
    );
}

#[test]
fn territory_levels_are_labelled_in_the_readers_language_or_its_fallback() {
    let site = Built::new();
    // The fixture labels its levels in en and fr only: hr and sl readers get English,
    // marked as such.
    let fr = site.page("fr/territories/at-211/index.html");
    assert_contains(&fr, "<dd>Région NUTS 3</dd>");
    let en = site.page("en/territories/at-211/index.html");
    assert_contains(&en, "<dd>NUTS 3 region</dd>");
    let hr = site.page("hr/territories/at-211/index.html");
    assert_contains(&hr, "<dd lang=\"en\">NUTS 3 region</dd>");
    assert_not_contains(&hr, ">NUTS3<");
    // The listing of territories too.
    let list = site.page("fr/territories/index.html");
    assert_contains(&list, "<td>Région NUTS 3</td>");
    assert_not_contains(&list, "<td>NUTS3</td>");
    let list = site.page("sl/territories/index.html");
    assert_contains(&list, "<td lang=\"en\">NUTS 3 region</td>");
}

#[test]
fn punctuation_between_a_label_and_its_value_comes_from_the_strings() {
    let site = Built::new();
    // French puts a no-break space before the colon; English does not.
    let fr = site.page("fr/about/index.html");
    assert_contains(
        &fr,
        "<p class=\"updated\" lang=\"fr\">Dernière mise à jour\u{a0}: <time datetime=\"2026-01-15\">15 janvier 2026</time></p>",
    );
    let en = site.page("en/about/index.html");
    assert_contains(
        &en,
        "<p class=\"updated\" lang=\"en\">Last updated: <time datetime=\"2026-01-15\">January 15, 2026</time></p>",
    );
    assert_contains(
        &fr,
        "<p>Également disponible en\u{a0}: <a href=\"/sub/en/about/\"",
    );
    let t = site.page("fr/territories/at-211/index.html");
    assert_contains(&t, "Les valeurs de cette page\u{a0}: <a href=");
    assert_not_contains(&t, "Les valeurs de cette page: ");
}

/// The text a reader sees of a page: no script or style, no tags, the few entities
/// templates write put back.
fn visible_text(html: &str) -> String {
    let mut rest = html;
    let mut text = String::new();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let tag = &rest[open..];
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|t| tag.starts_with(**t))
            .map(|t| format!("</{}>", &t[1..]));
        rest = match skip_to {
            Some(end) => tag.find(&end).map_or("", |i| &tag[i + end.len()..]),
            None => tag.find('>').map_or("", |i| &tag[i + 1..]),
        };
        text.push(' ');
    }
    text.push_str(rest);
    text.replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#x2f;", "/")
        .replace("&nbsp;", "\u{a0}")
}

#[test]
fn french_pages_put_a_no_break_space_before_every_colon() {
    let site = Built::new();
    let mut bad = Vec::new();
    let mut colons = 0;
    for file in site.html_files().iter().filter(|f| f.starts_with("fr/")) {
        let text = visible_text(&site.raw(file));
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c != ':' {
                continue;
            }
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            // An address (https://) or a time (12:30) is not punctuation.
            if after == Some('/')
                || (before.is_some_and(|b| b.is_ascii_digit())
                    && after.is_some_and(|a| a.is_ascii_digit()))
            {
                continue;
            }
            colons += 1;
            if !matches!(before, Some('\u{a0}' | '\u{202f}')) {
                let from = i.saturating_sub(40);
                let around: String = chars[from..(i + 20).min(chars.len())].iter().collect();
                bad.push(format!(
                    "{file}: {:?}",
                    around.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
        }
    }
    assert!(
        colons > 20,
        "the French pages hold labels with values ({colons} colons)"
    );
    assert!(
        bad.is_empty(),
        "a colon without a no-break space before it in French:\n{}",
        bad.join("\n")
    );
}

#[test]
fn lists_asides_separators_and_ranges_take_their_punctuation_from_the_strings() {
    // Strings no language writes, to see each one reach the page.
    let site = Built::with(|root| {
        let path = root.join("i18n/fr.toml");
        let mut fr = fs::read_to_string(&path).unwrap();
        for (key, value) in [
            ("list_separator", " ⁄ "),
            ("part_separator", " ¦ "),
            ("aside", "⟨{text}⟩"),
            ("date_range", "{start} → {end}"),
            ("year_range", "{start}⇢{end}"),
        ] {
            let line = fr
                .lines()
                .find(|l| l.starts_with(&format!("{key} = ")))
                .unwrap_or_else(|| panic!("fr.toml has {key}"))
                .to_string();
            fr = fr.replace(&line, &format!("{key} = \"{value}\""));
        }
        fs::write(&path, fr).unwrap();
    });
    let practice = site.page("fr/practices/istrian-care-bridge/index.html");
    let facts = section(&practice, "<section class=\"facts\"", "</section>");
    // Countries and themes: links joined by the list separator.
    assert_contains(facts, "</a> ⁄ <a href=");
    assert_not_contains(facts, "</a>, <a href=");
    // A period with both ends: two dates joined by the date range.
    let dated = site.page("fr/practices/fair-care-markup/index.html");
    let period = section(&dated, "<section class=\"facts\"", "</section>");
    assert_contains(period, " → ");
    assert_not_contains(period, " – ");
    // The browser's title: the page's and the site's, apart.
    assert_contains(&practice, "</title>");
    let title = section(&practice, "<title>", "</title>");
    assert!(title.contains(" ¦ "), "{title}");

    // Cards: status ¦ period ¦ countries ⁄ ...
    let listing = site.page("fr/practices/index.html");
    assert_contains(&listing, "</span> ¦ <span class=\"period\">");
    assert_not_contains(&listing, " · ");
    // Facet counts in brackets.
    assert_contains(&listing, "<span class=\"count\">⟨");
    assert_not_contains(&listing, "<span class=\"count\">(");
    let search = site.page("fr/search/index.html");
    assert_contains(&search, "<span class=\"count\" data-count>⟨");
    assert_contains(&search, "\"aside\":\"⟨{text}⟩\"");

    // Charts: years joined by the year range.
    let territory = site.page("fr/territories/si044/index.html");
    assert!(
        territory.contains('⇢'),
        "a chart describes its years with year_range"
    );
    assert!(
        !territory.contains("–20"),
        "no year range is hard-coded in a chart's description"
    );

    // English keeps its own.
    let en = site.page("en/practices/index.html");
    assert_contains(&en, "</span> · <span class=\"period\">");
    assert_not_contains(&en, "⟨");
}
