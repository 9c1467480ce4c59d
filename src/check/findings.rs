//! What a careful editor wants to know beyond what a build refuses, found in the
//! resolved site and the pages rendered in memory: links to anchors their page does not
//! have, partners no practice names, vocabulary terms no record uses, territories
//! without data, images without alt text, partners located far from their territory. Warnings only: `limes check` prints them, a
//! build does not.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, closest, nearest};
use crate::input::{RecordFile, RecordKind};
use crate::markdown::{self, BodyImage, DECORATIVE, FragmentLink};
use crate::model::{Site, is_draft};
use crate::output::{Body, OutputFile};
use crate::routes::{Facet, Route, Routes};
use crate::spanned::Value;

/// How many anchors a help line lists at most.
const LISTED: usize = 5;

/// Every warning about the site. `pages` is the rendered site (the plan), without which
/// links to anchors cannot be checked (they are skipped when rendering failed).
pub(super) fn warnings(site: &Site, pages: Option<&[OutputFile]>) -> Vec<Diagnostic> {
    let named = Named::of(site);
    let mut out = unnamed_partners(site, &named);
    out.extend(unused_terms(site, &named));
    out.extend(territories_without_data(site));
    out.extend(partners_far_from_their_territory(site));
    out.extend(bodies(site, pages));
    out
}

/// The partners and terms that records name: the published records (from the site
/// graph) and the drafts (from their front matter: a draft is work that will use them).
#[derive(Default)]
struct Named<'a> {
    partners: BTreeSet<&'a str>,
    themes: BTreeSet<&'a str>,
    target_groups: BTreeSet<&'a str>,
    partner_kinds: BTreeSet<&'a str>,
}

impl<'a> Named<'a> {
    fn of(site: &'a Site) -> Self {
        let mut named = Named::default();
        for p in &site.practices {
            named.partners.extend(p.partners.iter().map(|s| s.as_str()));
            named.themes.extend(p.themes.iter().map(String::as_str));
            named
                .target_groups
                .extend(p.target_groups.iter().map(String::as_str));
        }
        named
            .partner_kinds
            .extend(site.partners.iter().map(|p| p.kind.as_str()));
        for r in site.sources.records.iter().filter(|r| is_draft(r)) {
            match r.kind {
                RecordKind::Practice => {
                    named.partners.extend(strings(r, "partners"));
                    named.themes.extend(strings(r, "themes"));
                    named.target_groups.extend(strings(r, "target_groups"));
                }
                RecordKind::Partner => named.partner_kinds.extend(strings(r, "kind")),
                RecordKind::Page => {}
            }
        }
        named
    }
}

/// The strings a front matter gives to `key`, alone or in a list.
fn strings<'a>(r: &'a RecordFile, key: &str) -> Vec<&'a str> {
    let str_of = |v: &'a Value| match v {
        Value::Str(s) => Some(s.as_str()),
        _ => None,
    };
    match r.front.get(key).map(|e| &e.node.value) {
        Some(Value::Array(items)) => items.iter().filter_map(|n| str_of(&n.value)).collect(),
        Some(v) => str_of(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// 2. A published partner no practice lists among its partners.
///
/// Pointed at the `name` in its translation in the default language, else in its first
/// in the site's order of languages (the order `resolve` merges them in).
fn unnamed_partners(site: &Site, named: &Named) -> Vec<Diagnostic> {
    let config = &site.config;
    let files: HashMap<&str, &RecordFile> = site
        .sources
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Partner)
        .map(|r| (r.src.rel.as_str(), r))
        .collect();
    let mut out = Vec::new();
    for p in &site.partners {
        if named.partners.contains(p.slug.as_str()) {
            continue;
        }
        let Some(file) = p
            .texts
            .iter()
            .min_by_key(|(lang, _)| {
                (
                    **lang != config.default_language,
                    config.languages.iter().position(|l| l == *lang),
                )
            })
            .and_then(|(_, t)| files.get(t.file.as_str()))
        else {
            continue;
        };
        let span = match file.front.get("name") {
            Some(e) => e.key_span.start..e.node.span.end,
            None => file.front.span.clone(),
        };
        out.push(
            file.src
                .error(span, format!("no practice names the partner `{}`", p.slug))
                .help(format!(
                    "add `{}` to `partners = [...]` in the practices it takes part in; until then its page lists no practice",
                    p.slug
                ))
                .warning(),
        );
    }
    out
}

/// 3. A term of a vocabulary that no record uses, at its definition.
///
/// Not while there is no record of the kind that uses it (a new site's vocabulary
/// comes first).
fn unused_terms(site: &Site, named: &Named) -> Vec<Diagnostic> {
    let Some(src) = &site.sources.vocabularies else {
        return Vec::new();
    };
    let exist = |kind: RecordKind| site.sources.records.iter().any(|r| r.kind == kind);
    let (practices, partners) = (exist(RecordKind::Practice), exist(RecordKind::Partner));
    let mut out = Vec::new();
    for ((vocabulary, term), span) in &site.vocab.spans {
        let users = if *vocabulary == "partner_kinds" {
            partners
        } else {
            practices
        };
        if !users {
            continue;
        }
        let (used, message, help) = match *vocabulary {
            "themes" => (
                named.themes.contains(term.as_str()),
                format!("no practice has the theme `{term}`"),
                format!(
                    "add it to `themes = [...]` in the practices it describes, or remove [themes.{term}]; until then its page (/<lang>/{}/{term}/) lists no practice",
                    Facet::Theme.segment()
                ),
            ),
            "target_groups" => (
                named.target_groups.contains(term.as_str()),
                format!("no practice has the target group `{term}`"),
                format!(
                    "add it to `target_groups = [...]` in the practices it describes, or remove [target_groups.{term}]; until then its page (/<lang>/{}/{term}/) lists no practice",
                    Facet::TargetGroup.segment()
                ),
            ),
            _ => (
                named.partner_kinds.contains(term.as_str()),
                format!("no partner is of the kind `{term}`"),
                format!(
                    "write `kind = \"{term}\"` in the partners of that kind, or remove [{vocabulary}.{term}]"
                ),
            ),
        };
        if !used {
            out.push(src.error(span.clone(), message).help(help).warning());
        }
    }
    out
}

/// 4. A territory without any observation that has a value.
///
/// Not while the site has no observation at all (territories may come before the data,
/// or only place the records).
fn territories_without_data(site: &Site) -> Vec<Diagnostic> {
    let Some(src) = &site.sources.territories else {
        return Vec::new();
    };
    if site.observations.is_empty() {
        return Vec::new();
    }
    let indicator = site
        .indicators
        .first()
        .map_or("<indicator>", |i| i.id.as_str());
    let mut out = Vec::new();
    for t in &site.territories {
        let rows = site
            .index
            .series
            .get(&t.id)
            .map(|by_indicator| by_indicator.values().map(Vec::len).sum::<usize>())
            .unwrap_or(0);
        let has_value = site
            .index
            .series
            .get(&t.id)
            .into_iter()
            .flat_map(|by_indicator| by_indicator.values().flatten())
            .any(|&i| site.observations[i].value.is_some());
        if has_value {
            continue;
        }
        let message = match rows {
            0 => format!("territory `{}` has no data", t.id),
            1 => format!(
                "territory `{}` has no data: its one row in content/diagnostics/ has no value",
                t.id
            ),
            n => format!(
                "territory `{}` has no data: its {n} rows in content/diagnostics/ have no value",
                t.id
            ),
        };
        out.push(
            src.error(t.span.clone(), message)
                .help(format!(
                    "add its values to a CSV file of content/diagnostics/, a row per indicator and year like `{},{indicator},<year>,<value>,`; until then its page says \"no data\" for every indicator",
                    t.id
                ))
                .warning(),
        );
    }
    out
}

/// A partner whose `location` lies well outside the shape of its `territory`: a
/// mistyped number, or latitude and longitude swapped (then said so). Only where the
/// territory has a shape; "well outside" is beyond its bounding box grown by a fifth of
/// its size and at least half a degree, so that a city on a coast or a border passes.
fn partners_far_from_their_territory(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in &site.partners {
        let (Some(at), Some(t)) = (&p.location, &p.territory) else {
            continue;
        };
        let Some(shape) = site.shapes.get(t) else {
            continue;
        };
        let rings = shape.polygons.iter().filter_map(|poly| poly.first());
        let Some((x0, y0, x1, y1)) =
            rings
                .flatten()
                .fold(None, |b: Option<(f64, f64, f64, f64)>, &(x, y)| {
                    Some(match b {
                        None => (x, y, x, y),
                        Some(b) => (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y)),
                    })
                })
        else {
            continue;
        };
        let grow = |lo: f64, hi: f64| ((hi - lo) / 5.0).max(0.5);
        let (gx, gy) = (grow(x0, x1), grow(y0, y1));
        let near = |lon: f64, lat: f64| {
            lon >= x0 - gx && lon <= x1 + gx && lat >= y0 - gy && lat <= y1 + gy
        };
        if near(at.lon, at.lat) {
            continue;
        }
        // Pointed at `location` in each translation that says it.
        for r in site
            .sources
            .records
            .iter()
            .filter(|r| r.kind == RecordKind::Partner && r.slug == p.slug)
        {
            let Some(e) = r.front.get("location") else {
                continue;
            };
            let help = if near(at.lat, at.lon) {
                format!(
                    "latitude and longitude look swapped: write location = {{ lat = {}, lon = {} }}",
                    at.lon, at.lat
                )
            } else {
                format!(
                    "check the numbers (degrees: lat from south to north, lon from west to east); `{t}` spans latitudes {y0:.2} to {y1:.2} and longitudes {x0:.2} to {x1:.2}"
                )
            };
            out.push(
                r.src
                    .error(
                        e.key_span.start..e.node.span.end,
                        format!(
                            "the location of `{}` is far from its territory `{t}`",
                            p.slug
                        ),
                    )
                    .help(help)
                    .warning(),
            );
        }
    }
    out
}

/// A link of a body to an anchor, with the output file of the page it goes to.
struct PageLink<'a> {
    file: &'a RecordFile,
    link: FragmentLink,
    page: String,
}

/// 5. The images of a body without alt text (and not marked decorative).
fn images_without_alt(r: &RecordFile, images: &[BodyImage]) -> Vec<Diagnostic> {
    images
        .iter()
        .filter(|i| !i.decorative && i.alt.trim().is_empty())
        .map(|i| {
            let help = format!(
                "write what it shows between the brackets, like ![Map of the border area]({0}): screen readers read this text to people who cannot see the image; an image that is purely decorative says so with the title \"{DECORATIVE}\": ![]({0} \"{DECORATIVE}\")",
                i.dest
            );
            r.src
                .error(
                    shift(r, &i.span),
                    format!("the image `{}` has no alt text", i.dest),
                )
                .help(help)
                .warning()
        })
        .collect()
}

/// The links of a body to anchors, with the page each goes to in the body's language.
fn page_links<'a>(
    r: &'a RecordFile,
    links: Vec<FragmentLink>,
    routes: &Routes,
) -> Vec<PageLink<'a>> {
    links
        .into_iter()
        .filter_map(|link| {
            let route = match &link.target {
                Some((kind, id)) => Route::internal(kind, id)?,
                // A draft's own page is not built: its language shows another file.
                None if is_draft(r) => return None,
                None => own_route(r),
            };
            let page = routes.file(&r.lang, route);
            Some(PageLink {
                file: r,
                link,
                page,
            })
        })
        .collect()
}

/// 1 and 5: links to anchors, and images without alt text, in every body.
fn bodies(site: &Site, pages: Option<&[OutputFile]>) -> Vec<Diagnostic> {
    let routes = Routes::new(&site.config);
    let (images, links): (Vec<Vec<Diagnostic>>, Vec<Vec<PageLink>>) = site
        .sources
        .records
        .par_iter()
        .map(|r| {
            let (links, images) = markdown::outline(r.body());
            (
                images_without_alt(r, &images),
                page_links(r, links, &routes),
            )
        })
        .unzip();
    let mut out: Vec<Diagnostic> = images.into_iter().flatten().collect();
    let links: Vec<PageLink> = links.into_iter().flatten().collect();
    let Some(pages) = pages else { return out };

    // The anchors of every page linked to, read from the page as rendered.
    let wanted: BTreeSet<&str> = links.iter().map(|l| l.page.as_str()).collect();
    let anchors: HashMap<&str, Anchors> = pages
        .par_iter()
        .filter(|f| wanted.contains(f.path.as_str()))
        .filter_map(|f| match &f.body {
            Body::Bytes(bytes) => Some((f.path.as_str(), anchors(&String::from_utf8_lossy(bytes)))),
            Body::Copy(_) => None,
        })
        .collect();
    for PageLink {
        file: r,
        link,
        page,
    } in &links
    {
        let Some(page) = anchors.get(page.as_str()) else {
            continue;
        };
        let fragment = percent_decoded(&link.fragment);
        if page.all.contains(&fragment) || fragment.eq_ignore_ascii_case("top") {
            continue;
        }
        let message = match &link.target {
            Some((kind, id)) => format!(
                "the page of `@/{kind}/{id}` in `{}` has no anchor `#{fragment}`",
                r.lang
            ),
            None => format!("this page has no anchor `#{fragment}`"),
        };
        let headings: Vec<&str> = page.headings.iter().map(String::as_str).collect();
        let listed = |skip: Option<&str>| {
            nearest(&fragment, headings.iter().copied(), LISTED + 1)
                .into_iter()
                .filter(|a| Some(*a) != skip)
                .take(LISTED)
                .map(|a| format!("`#{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let how = "a heading's anchor is its text in lower case with `-` between the words, or the id written after it, like ## Results {#results}";
        let help = match closest(&fragment, headings.iter().copied()) {
            _ if headings.is_empty() => {
                format!("that page has no heading with an anchor: link to the page itself; {how}")
            }
            Some(c) if headings.len() == 1 => format!("did you mean `#{c}`?"),
            Some(c) => format!(
                "did you mean `#{c}`? the other anchors of that page nearest to it are {}",
                listed(Some(c))
            ),
            None => format!(
                "the anchors of that page nearest to it are {}; {how}",
                listed(None)
            ),
        };
        out.push(
            r.src
                .error(shift(r, &link.span), message)
                .help(help)
                .warning(),
        );
    }
    out
}

/// A byte range of a record's body as a range of its file.
fn shift(r: &RecordFile, span: &Range<usize>) -> Range<usize> {
    r.body.start + span.start..r.body.start + span.end
}

/// The page of a record file in its own language.
fn own_route(r: &RecordFile) -> Route<'_> {
    match r.kind {
        RecordKind::Practice => Route::Practice(&r.slug),
        RecordKind::Partner => Route::Partner(&r.slug),
        RecordKind::Page => Route::Page(&r.slug),
    }
}

/// The anchors of a page: the ids of all its elements, and those of its headings
/// (`h1` to `h6`) in the order of the page.
#[derive(Debug, Default, PartialEq)]
struct Anchors {
    all: BTreeSet<String>,
    headings: Vec<String>,
}

/// Reads the ids of a page limes rendered: every start tag's `id` attribute, skipping
/// comments and the content of scripts and style sheets.
fn anchors(html: &str) -> Anchors {
    let mut out = Anchors::default();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |j| &after[j + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if name_len == 0 {
            // An end tag, a doctype, or a `<` that starts nothing.
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        let (id, after) = id_attribute(&rest[name_len..]);
        rest = after;
        if let Some(id) = id {
            if matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                && !out.all.contains(&id)
            {
                out.headings.push(id.clone());
            }
            out.all.insert(id);
        }
        if name == "script" || name == "style" {
            // Found without lowercasing the rest of the page for every tag.
            let end = format!("</{name}");
            rest = rest
                .as_bytes()
                .windows(end.len())
                .position(|w| w.eq_ignore_ascii_case(end.as_bytes()))
                .map_or("", |j| &rest[j..]);
        }
    }
    out
}

/// The `id` of a start tag whose name has been read, and the text after the tag.
fn id_attribute(mut rest: &str) -> (Option<String>, &str) {
    let mut id = None;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return (id, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (id, after);
        }
        // A name ends at a space, `=`, `>` or `/` (a stray `=` is a name of its own).
        let name_len =
            match rest.find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/')) {
                Some(0) => 1,
                Some(n) => n,
                None => rest.len(),
            };
        let name = &rest[..name_len];
        rest = &rest[name_len..];
        let after_space = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let Some(value_start) = after_space.strip_prefix('=') else {
            continue;
        };
        let value_start = value_start.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let (value, after) = match value_start.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &value_start[1..];
                match body.find(q) {
                    Some(j) => (&body[..j], &body[j + 1..]),
                    None => (body, ""),
                }
            }
            _ => {
                let j = value_start
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(value_start.len());
                (&value_start[..j], &value_start[j..])
            }
        };
        if name.eq_ignore_ascii_case("id") && !value.is_empty() {
            id = Some(unescape(value));
        }
        rest = after;
    }
}

/// The text of an attribute value: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and
/// numeric references decoded; anything else left as it is.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let n = match entity.strip_prefix(['#']) {
                        Some(hex) if hex.starts_with(['x', 'X']) => {
                            u32::from_str_radix(&hex[1..], 16).ok()
                        }
                        Some(dec) => dec.parse().ok(),
                        None => None,
                    };
                    n.and_then(char::from_u32)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
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

/// A fragment as a browser matches it: `%C3%A9` is `é`. A fragment whose escapes are
/// malformed or do not make UTF-8 is compared as written.
fn percent_decoded(fragment: &str) -> String {
    crate::routes::percent_decode(fragment).unwrap_or_else(|| fragment.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ids_of_a_page() {
        let html = concat!(
            "<!DOCTYPE html><html><head><style>h2#no1 { color: red }</style>",
            "<script type=\"application/json\" id=\"config\">{\"a\": \"<h2 id=\\\"no2\\\">\"}</script>",
            "</head><body><!-- <h2 id=\"no3\"> --><main id=\"main\" tabindex=\"-1\">",
            "<h2 id=\"context\">Context</h2><H3 ID='r&amp;d' class=x>R</H3>",
            "<h4 data-id=\"no4\" id=results>x</h4><p>id=\"no5\" &lt;h2 id=\"no6\"&gt;</p>",
            "<div class=\"footnote-definition\" id=\"1\"></div><h5 id=\"\">e</h5><input =x id=\"q\"/>",
            "<h6 id=\"&#x10d;akavski\">č</h6><p id=\"unclosed",
        );
        let a = anchors(html);
        assert_eq!(a.headings, ["context", "r&d", "results", "čakavski"]);
        let all: Vec<&str> = a.all.iter().map(String::as_str).collect();
        assert_eq!(
            all,
            [
                "1",
                "config",
                "context",
                "main",
                "q",
                "r&d",
                "results",
                "unclosed",
                "čakavski"
            ]
        );
    }

    #[test]
    fn unescapes_attribute_values() {
        assert_eq!(
            unescape("a&amp;b&lt;&gt;&quot;&apos;&#39;&#x27;"),
            "a&b<>\"''\'"
        );
        assert_eq!(unescape("&nbsp;&;&#xzz;&"), "&nbsp;&;&#xzz;&");
    }

    #[test]
    fn decodes_fragments_as_browsers_do() {
        assert_eq!(percent_decoded("r%C3%A9sultats"), "résultats");
        assert_eq!(percent_decoded("50%"), "50%");
        assert_eq!(percent_decoded("a%2"), "a%2");
        assert_eq!(percent_decoded("%FF"), "%FF");
    }
}
