//! Markdown bodies: CommonMark with tables, footnotes, strikethrough and heading
//! anchors; `@/kind/id` links between records; the raw HTML policy of the site.
//! Knows nothing of the site graph: link targets come in through a closure.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::config::RawHtml;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// An `@/` link found in a body, with the byte range of the whole link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternalLink {
    /// `practices`, `partners`, `pages`, `territories` or `borders` (unchecked).
    pub kind: String,
    pub id: String,
    pub anchor: Option<String>,
    pub span: Range<usize>,
}

/// Parses `@/kind/id#anchor`; `None` if the destination is not an internal link.
pub fn parse_internal(dest: &str) -> Option<(String, String, Option<String>)> {
    let rest = dest.strip_prefix("@/")?;
    let (path, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (rest, None),
    };
    let path = path.trim_end_matches('/');
    let (kind, id) = path.split_once('/').unwrap_or((path, ""));
    Some((kind.to_string(), id.to_string(), anchor))
}

/// Every `@/` link and image of a body, for checking before any page is rendered.
pub fn internal_links(md: &str) -> Vec<InternalLink> {
    scan(md).0
}

/// A character reference of a body (`&#7;`, `&#x1B;`) that stands for a control
/// character, which no page may hold (see [`crate::text::control_name`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlReference {
    pub c: char,
    /// Byte range of the reference.
    pub span: Range<usize>,
}

/// What a body is checked for before any page is rendered, in one reading: its `@/`
/// links and images, and its references to control characters (the text as written
/// has none: the loader reported those).
pub fn scan(md: &str) -> (Vec<InternalLink>, Vec<ControlReference>) {
    let has_control = crate::text::has_control;
    let mut links = Vec::new();
    let mut controls = Vec::new();
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        // An address is written percent-encoded (`%07`): only text and titles matter.
        let decoded = match &event {
            Event::Text(t) if has_control(t) => Some(range.clone()),
            Event::Start(Tag::Link { title, .. } | Tag::Image { title, .. })
                if has_control(title) =>
            {
                inline_title(md, range.clone())
            }
            _ => None,
        };
        if let Some(within) = decoded {
            controls.extend(control_references(md, within));
        }
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event
            && let Some((kind, id, anchor)) = parse_internal(dest_url)
        {
            links.push(InternalLink {
                kind,
                id,
                anchor,
                span: range,
            });
        }
    }
    // A link's range holds its text's: the same reference may be found twice.
    controls.sort_by_key(|r| r.span.start);
    controls.dedup();
    (links, controls)
}

/// Where the title of the inline link or image `md[range]` is written
/// (`[a](/b "title")`): between the last pair of its delimiters before the closing
/// parenthesis. `None` for a link whose title is elsewhere (a reference definition).
fn inline_title(md: &str, range: Range<usize>) -> Option<Range<usize>> {
    let text = md[range.clone()].trim_end().strip_suffix(')')?.trim_end();
    let (open, close) = match text.chars().last()? {
        '"' => ('"', '"'),
        '\'' => ('\'', '\''),
        ')' => ('(', ')'),
        _ => return None,
    };
    let inner = &text[..text.len() - close.len_utf8()];
    let start = inner.rfind(open)?;
    Some(range.start + start..range.start + text.len())
}

/// The numeric character references in `md[range]` that stand for a control
/// character (CommonMark: `&#` and up to 7 digits, or `&#x` and up to 6 hex digits,
/// then `;`; `&#0;` is U+FFFD).
fn control_references(md: &str, range: Range<usize>) -> Vec<ControlReference> {
    let text = &md[range.clone()];
    let mut out = Vec::new();
    for (at, _) in text.match_indices("&#") {
        let rest = &text[at + 2..];
        let (digits, radix, skip) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (rest, 10, 2),
        };
        let len = digits
            .bytes()
            .take_while(|b| {
                if radix == 16 {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        let max = if radix == 16 { 6 } else { 7 };
        if len == 0 || len > max || !digits[len..].starts_with(';') {
            continue;
        }
        let c = u32::from_str_radix(&digits[..len], radix)
            .ok()
            .filter(|&n| n != 0)
            .and_then(char::from_u32);
        if let Some(c) = c.filter(|&c| crate::text::control_name(c).is_some()) {
            let start = range.start + at;
            out.push(ControlReference {
                c,
                span: start..start + skip + len + 1,
            });
        }
    }
    out
}

/// A link of a body to a place in a page: `[x](#results)` (the page of the body
/// itself) or `[x](@/practices/foo#results)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FragmentLink {
    /// `(kind, id)` of an `@/` link, `None` for a link within the page.
    pub target: Option<(String, String)>,
    /// The fragment as written, without `#` (never empty).
    pub fragment: String,
    /// Byte range of the whole link.
    pub span: Range<usize>,
}

/// An image of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyImage {
    pub dest: String,
    /// Its text alternative as the page gives it (the plain text of its description).
    pub alt: String,
    /// Whether the editor marked it as purely decorative (title `"decorative"`).
    pub decorative: bool,
    /// Byte range of the whole image.
    pub span: Range<usize>,
}

/// The title that marks an image as purely decorative: `![](border.png "decorative")`.
/// It is not shown (the page gives the image an empty text alternative).
pub const DECORATIVE: &str = "decorative";

fn is_decorative(title: &str) -> bool {
    title.trim().eq_ignore_ascii_case(DECORATIVE)
}

/// The links to anchors and the images of a body, for `limes check`.
pub fn outline(md: &str) -> (Vec<FragmentLink>, Vec<BodyImage>) {
    let mut links = Vec::new();
    let mut images: Vec<BodyImage> = Vec::new();
    // Images being read (an image's description may hold another).
    let mut open: Vec<BodyImage> = Vec::new();
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let (target, fragment) = match parse_internal(&dest_url) {
                    Some((kind, id, anchor)) => (Some((kind, id)), anchor),
                    None => (None, dest_url.strip_prefix('#').map(str::to_string)),
                };
                if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                    links.push(FragmentLink {
                        target,
                        fragment,
                        span: range,
                    });
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => open.push(BodyImage {
                dest: dest_url.to_string(),
                alt: String::new(),
                decorative: is_decorative(&title),
                span: range,
            }),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                for image in &mut open {
                    image.alt.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                for image in &mut open {
                    image.alt.push(' ');
                }
            }
            Event::End(TagEnd::Image) => images.extend(open.pop()),
            _ => {}
        }
    }
    images.sort_by_key(|i| i.span.start);
    (links, images)
}

/// The words of a body without its markup, for the search index: text, code, link
/// texts, image descriptions; raw HTML is left out.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            Event::Html(_) | Event::InlineHtml(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Unsafe URL schemes: never a link unless the site trusts its editors.
fn is_dangerous(url: &str) -> bool {
    let lowered: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    lowered.starts_with("javascript:")
        || lowered.starts_with("data:")
        || lowered.starts_with("vbscript:")
}

/// An id or class name an editor may give a heading: letters and digits of any
/// script, `-` and `_`; nothing that could end an attribute or start another.
fn is_plain_token(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// A heading of a rendered body.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Turns `(kind, id, anchor)` of an `@/` link into a URL.
pub type Resolver<'a> = &'a dyn Fn(&str, &str, Option<&str>) -> Option<String>;

pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
}

/// The anchor of a heading: lowercase letters and digits of any script, words joined by `-`.
pub fn anchor_of(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// An address written from the root of the site (`/img/a.png`), put under the site's
/// base path (`/obs/img/a.png` for a site at `https://x.org/obs/`); any other address
/// (relative, absolute, `//host/...`) as it is.
fn under_base<'a>(dest: CowStr<'a>, base: &str) -> CowStr<'a> {
    let from_root = dest.starts_with('/') && !dest.starts_with("//") && !dest.starts_with("/\\");
    if base.is_empty() || !from_root {
        dest
    } else {
        CowStr::from(format!("{base}{dest}"))
    }
}

/// Renders a body. `resolve` turns an `@/` link into a URL (checked beforehand, so
/// `None` only happens for links that were reported as errors). `base` is the path
/// the site is published under (`/obs`, or empty at the root of its host): links and
/// images written from the root of the site (`/img/a.png`) are put under it.
pub fn render(md: &str, policy: RawHtml, base: &str, resolve: Resolver) -> Rendered {
    let events: Vec<Event> = Parser::new_ext(md, options()).collect();

    // First pass: heading texts, to give every heading a unique id.
    let mut headings = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut ids: Vec<String> = Vec::new();
    let mut in_heading: Option<(u8, Option<String>, String)> = None;
    // The text of each table's header row, cell by cell: the table's name when no
    // heading comes before it.
    let mut table_heads: Vec<Vec<String>> = Vec::new();
    let mut in_table_head = false;
    for ev in &events {
        match ev {
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                table_heads.push(Vec::new());
            }
            Event::End(TagEnd::TableHead) => in_table_head = false,
            Event::Start(Tag::TableCell) if in_table_head => {
                if let Some(cells) = table_heads.last_mut() {
                    cells.push(String::new());
                }
            }
            Event::Text(t) | Event::Code(t) if in_table_head && in_heading.is_none() => {
                if let Some(cell) = table_heads.last_mut().and_then(|c| c.last_mut()) {
                    cell.push_str(t);
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                // An id the editor gave is kept only when it is a plain token (unless
                // the site trusts its editors); otherwise the heading text names it.
                let given = id
                    .as_ref()
                    .filter(|id| policy == RawHtml::Trust || is_plain_token(id))
                    .map(|s| s.to_string());
                in_heading = Some((level_num(*level), given, String::new()))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = &mut in_heading {
                    text.push_str(t);
                }
            }
            // A heading written on two lines (setext) keeps a space between its words.
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text)) = &mut in_heading {
                    text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, given, text)) = in_heading.take() {
                    let base = given.unwrap_or_else(|| anchor_of(&text));
                    let mut id = base.clone();
                    let mut n = 1;
                    while !used.insert(id.clone()) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    ids.push(id.clone());
                    headings.push(Heading { level, id, text });
                }
            }
            _ => {}
        }
    }

    let mut heading_ids = ids.into_iter();
    let mut table_heads = table_heads.into_iter();
    let mut last_heading: Option<String> = None;
    let mut skip_link_end: Vec<bool> = Vec::new();
    let mut out_events: Vec<Event> = Vec::with_capacity(events.len());
    for ev in events {
        match ev {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = heading_ids.next();
                last_heading.clone_from(&id);
                let id = id.map(CowStr::from);
                // `{.class key=value}` on a heading: only plain class names survive
                // unless the site trusts its editors (`{onfocus=... autofocus}` would
                // run a script as the page opens).
                let (classes, attrs) = if policy == RawHtml::Trust {
                    (classes, attrs)
                } else {
                    (
                        classes.into_iter().filter(|c| is_plain_token(c)).collect(),
                        Vec::new(),
                    )
                };
                out_events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = if let Some((kind, rid, anchor)) = parse_internal(&dest_url) {
                    resolve(&kind, &rid, anchor.as_deref()).map(CowStr::from)
                } else if policy != RawHtml::Trust && is_dangerous(&dest_url) {
                    None
                } else {
                    Some(under_base(dest_url, base))
                };
                match dest {
                    Some(dest_url) => {
                        skip_link_end.push(false);
                        out_events.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                    None => skip_link_end.push(true),
                }
            }
            Event::End(TagEnd::Link) => {
                if !skip_link_end.pop().unwrap_or(false) {
                    out_events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if let Some((kind, rid, anchor)) = parse_internal(&dest_url) {
                    resolve(&kind, &rid, anchor.as_deref())
                        .map(CowStr::from)
                        .unwrap_or(CowStr::Borrowed(""))
                } else if policy != RawHtml::Trust
                    && is_dangerous(&dest_url)
                    && !dest_url.to_ascii_lowercase().starts_with("data:image/")
                {
                    CowStr::from("")
                } else {
                    under_base(dest_url, base)
                };
                out_events.push(Event::Start(Tag::Image {
                    link_type: if link_type == LinkType::Email {
                        LinkType::Inline
                    } else {
                        link_type
                    },
                    dest_url,
                    // The mark of a decorative image is for limes, not for readers.
                    title: if is_decorative(&title) {
                        CowStr::Borrowed("")
                    } else {
                        title
                    },
                    id,
                }));
            }
            // A table scrolls inside its own box, which keyboards can scroll too (a
            // focusable region), named by the heading before it, else by its header row.
            Event::Start(Tag::Table(alignment)) => {
                let head = table_heads.next().unwrap_or_default();
                out_events.push(Event::Html(CowStr::from(table_scroll_open(
                    last_heading.as_deref(),
                    &head,
                ))));
                out_events.push(Event::Start(Tag::Table(alignment)));
            }
            Event::End(TagEnd::Table) => {
                out_events.push(Event::End(TagEnd::Table));
                out_events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Html(h) | Event::InlineHtml(h) if policy == RawHtml::Escape => {
                out_events.push(Event::Text(h))
            }
            other => out_events.push(other),
        }
    }

    let mut html_out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut html_out, out_events.into_iter());
    if policy == RawHtml::Sanitize {
        html_out = SANITIZER.clean(&html_out).to_string();
    }
    Rendered {
        html: html_out,
        headings,
    }
}

/// The opening tag of the box a table scrolls in: `role=region`, `tabindex=0` and a
/// name, the heading before the table (`aria-labelledby`) or its header row.
fn table_scroll_open(heading: Option<&str>, head: &[String]) -> String {
    let name = match heading {
        Some(id) => format!("aria-labelledby=\"{}\"", attr_escape(id)),
        None => {
            let cells: Vec<&str> = head
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            let label = if cells.is_empty() {
                "table".to_string()
            } else {
                cells.join(", ")
            };
            format!("aria-label=\"{}\"", attr_escape(&label))
        }
    };
    format!("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" {name}>\n")
}

/// A value for a double-quoted HTML attribute.
fn attr_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn level_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The safe subset kept by `raw_html = "sanitize"`: ammonia's defaults plus the ids,
/// classes and attributes our own Markdown output needs (heading anchors, footnotes,
/// table alignment).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id"]);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["class"]);
    }
    b.add_tag_attributes("sup", ["class"]);
    b.add_tag_attributes(
        "div",
        ["class", "role", "tabindex", "aria-label", "aria-labelledby"],
    );
    b.add_tag_attributes("th", ["style"]);
    b.add_tag_attributes("td", ["style"]);
    // Table cells keep a style only when it is the alignment Markdown writes; any other
    // (a full-page overlay, say) is dropped.
    b.attribute_filter(|element, attribute, value| match (element, attribute) {
        // The box a table scrolls in (see `table_scroll_open`): a focusable region.
        ("div", "role") => (value == "region").then_some(value.into()),
        ("div", "tabindex") => (value == "0").then_some(value.into()),
        ("th" | "td", "style") => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        )
        .then_some(value.into()),
        _ => Some(value.into()),
    });
    b.add_tags(["input"]);
    b.add_tag_attributes("input", ["type", "checked", "disabled"]);
    b.link_rel(Some("noopener"));
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    fn r(md: &str, p: RawHtml) -> String {
        render(md, p, "", &|kind, id, anchor| {
            Some(format!(
                "/en/{kind}/{id}/{}",
                anchor.map(|a| format!("#{a}")).unwrap_or_default()
            ))
        })
        .html
    }

    #[test]
    fn addresses_from_the_root_go_under_the_base_path() {
        let md = "[a](/en/about/) ![map](/img/map.png) [b](other/) [c](https://x.org/y) \
                  [d](//cdn.example/x) [e](#top) [f](@/partners/ccae)";
        let resolve = |kind: &str, id: &str, _: Option<&str>| Some(format!("/obs/en/{kind}/{id}/"));
        let out = render(md, RawHtml::Escape, "/obs", &resolve).html;
        for want in [
            "href=\"/obs/en/about/\"",
            "src=\"/obs/img/map.png\"",
            "href=\"other/\"",
            "href=\"https://x.org/y\"",
            "href=\"//cdn.example/x\"",
            "href=\"#top\"",
            "href=\"/obs/en/partners/ccae/\"",
        ] {
            assert!(out.contains(want), "no {want} in {out}");
        }
        // At the root of its host, nothing changes.
        let out = render(md, RawHtml::Escape, "", &resolve).html;
        assert!(out.contains("href=\"/en/about/\""), "{out}");
        assert!(out.contains("src=\"/img/map.png\""), "{out}");
    }

    #[test]
    fn headings_get_unique_anchors() {
        let out = r(
            "## Context\n\n## Context\n\n## Čakavski kraj\n",
            RawHtml::Escape,
        );
        assert!(out.contains("<h2 id=\"context\">Context</h2>"), "{out}");
        assert!(out.contains("<h2 id=\"context-1\">"), "{out}");
        assert!(out.contains("<h2 id=\"čakavski-kraj\">"), "{out}");
    }

    #[test]
    fn internal_links_resolve() {
        let out = r("See [the partner](@/partners/ccae#role).", RawHtml::Escape);
        assert!(
            out.contains("<a href=\"/en/partners/ccae/#role\">the partner</a>"),
            "{out}"
        );
        let links = internal_links("x [a](@/practices/foo) [b](https://x.org)");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].id, "foo");
        assert_eq!(links[0].span, 2..22);
    }

    #[test]
    fn references_to_control_characters_are_found_outside_code() {
        let md = "a&#7;b `&#7;` [x&#x1b;](https://x.org/&#1; \"t&#133;\") &#0; &#65; &#x9;\n\n    &#7;\n";
        let (_, controls) = scan(md);
        let found: Vec<(char, &str)> = controls
            .iter()
            .map(|r| (r.c, &md[r.span.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                ('\u{7}', "&#7;"),
                ('\u{1b}', "&#x1b;"),
                ('\u{85}', "&#133;")
            ]
        );
    }

    #[test]
    fn outline_finds_anchored_links_and_images() {
        let md = "## A\n\n[in](#a) [out](@/practices/x#b-c) [none](@/practices/x) [top](#) [web](https://x.org/#z)\n\n![](a.png) ![A *map*](b.png) [![](logo.png \"Decorative\")](https://x.org)\n";
        let (links, images) = outline(md);
        assert_eq!(
            links,
            [
                FragmentLink {
                    target: None,
                    fragment: "a".into(),
                    span: 6..14,
                },
                FragmentLink {
                    target: Some(("practices".into(), "x".into())),
                    fragment: "b-c".into(),
                    span: 15..39,
                },
            ]
        );
        let alts: Vec<(&str, &str, bool)> = images
            .iter()
            .map(|i| (i.dest.as_str(), i.alt.as_str(), i.decorative))
            .collect();
        assert_eq!(
            alts,
            [
                ("a.png", "", false),
                ("b.png", "A map", false),
                ("logo.png", "", true)
            ]
        );
        assert_eq!(&md[images[0].span.clone()], "![](a.png)");
    }

    #[test]
    fn the_decorative_mark_is_not_shown() {
        let out = r(
            "![](border.png \"decorative\") ![](b.png \"Border\")",
            RawHtml::Escape,
        );
        assert!(out.contains("<img src=\"border.png\" alt=\"\" />"), "{out}");
        assert!(out.contains("title=\"Border\""), "{out}");
    }

    #[test]
    fn raw_html_policies() {
        let md = "<script>alert(1)</script>\n\nHi <b onclick=\"x()\">there</b>\n";
        let escaped = r(md, RawHtml::Escape);
        assert!(escaped.contains("&lt;script&gt;"), "{escaped}");
        assert!(!escaped.contains("<b"), "{escaped}");
        let clean = r(md, RawHtml::Sanitize);
        assert!(!clean.contains("script"), "{clean}");
        assert!(clean.contains("<b>there</b>"), "{clean}");
        let trusted = r(md, RawHtml::Trust);
        assert!(trusted.contains("<script>"), "{trusted}");
    }

    #[test]
    fn dangerous_links_are_not_links() {
        let out = r(
            "[click](javascript:alert(1)) [d](data:text/html,x)",
            RawHtml::Sanitize,
        );
        assert!(!out.contains("<a"), "{out}");
        assert!(out.contains("click"), "{out}");
        let out = r("[click](JavaScript:alert(1))", RawHtml::Escape);
        assert!(!out.contains("<a"), "{out}");
    }

    #[test]
    fn heading_attributes_keep_only_plain_ids_and_classes() {
        let md = "## A {#top .note onclick=alert(1)}\n\n## B {autofocus onfocus=alert(1) tabindex=0 style=\"color:red\"}\n\n## C {#x\"y .a\"b .ok-1 .ž}\n\nD {.lead data-x=1}\n---\n";
        for policy in [RawHtml::Escape, RawHtml::Sanitize] {
            let out = r(md, policy);
            for bad in [
                "onclick",
                "onfocus",
                "autofocus",
                "tabindex",
                "style",
                "data-x",
                "x&quot;y",
                "a&quot;b",
            ] {
                assert!(!out.contains(bad), "{policy:?} kept {bad}: {out}");
            }
            assert!(
                out.contains("<h2 id=\"top\" class=\"note\">A</h2>"),
                "{policy:?}: {out}"
            );
            assert!(out.contains("<h2 id=\"b\">B</h2>"), "{policy:?}: {out}");
            assert!(
                out.contains("<h2 id=\"c\" class=\"ok-1 ž\">C</h2>"),
                "{policy:?}: {out}"
            );
            assert!(
                out.contains("<h2 id=\"d\" class=\"lead\">D</h2>"),
                "{policy:?}: {out}"
            );
        }
        let trusted = r(md, RawHtml::Trust);
        assert!(trusted.contains("onclick=\"alert(1)\""), "{trusted}");
    }

    #[test]
    fn sanitize_keeps_only_the_alignment_style_of_table_cells() {
        let md = "| a | b |\n|:-:|---|\n| <span>x</span> | y |\n\n<table><tr><td style=\"position:fixed;top:0\">z</td><th style=\"text-align: right\">w</th></tr></table>\n";
        let out = r(md, RawHtml::Sanitize);
        assert!(
            out.contains("<th style=\"text-align: center\">a</th>"),
            "{out}"
        );
        assert!(out.contains("<td>z</td>"), "{out}");
        assert!(
            out.contains("<th style=\"text-align: right\">w</th>"),
            "{out}"
        );
        assert!(!out.contains("position"), "{out}");
    }

    #[test]
    fn a_heading_on_two_lines_keeps_its_words_apart() {
        let out = r("Two lines\nof heading\n---\n", RawHtml::Escape);
        assert!(out.contains("<h2 id=\"two-lines-of-heading\">"), "{out}");
    }

    #[test]
    fn other_markdown_paths_stay_escaped() {
        let md = concat!(
            "[t](https://x.org \"\\\"><script>alert(1)</script>\")\n\n",
            "![<img src=x onerror=alert(1)>](https://x.org/a.png \"\\\" onerror=\\\"alert(1)\")\n\n",
            "x[^<img src=x onerror=alert(1)>]\n\n[^<img src=x onerror=alert(1)>]: note\n\n",
            "```\"><img src=x onerror=alert(1)>\ncode\n```\n\n",
            "| a |\n|:-:|\n| <img src=x onerror=alert(1)> |\n\n",
            "<javascript:alert(1)> [r][1] [e](&#106;avascript:alert(1)) ![i](javascript:alert(1))\n\n[1]: javascript:alert(1)\n",
        );
        for policy in [RawHtml::Escape, RawHtml::Sanitize] {
            let out = r(md, policy);
            for bad in [
                "<script",
                "<img src=x",
                "onerror=\"",
                "href=\"javascript",
                "src=\"javascript",
            ] {
                assert!(!out.contains(bad), "{policy:?} let {bad} through: {out}");
            }
        }
        // Escape shows the table cell's tag as text; sanitize keeps a harmless <img>.
        assert!(!r(md, RawHtml::Escape).contains("<img src=\"x\""));
    }

    #[test]
    fn plain_text_has_the_words_without_markup() {
        let t =
            plain_text("## Context\n\nSee [the *partner*](@/partners/x) and `code`.<b>raw</b>\n");
        let words: Vec<&str> = t.split_whitespace().collect();
        assert_eq!(
            words,
            ["Context", "See", "the", "partner", "and", "code.", "raw"]
        );
    }

    #[test]
    fn tables_scroll_in_a_named_focusable_region() {
        for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
            let out = r(
                "## Results in 2023\n\n| Year | <b>\"x\"</b> |\n|---|---|\n| 1 | 2 |\n",
                policy,
            );
            assert!(
                out.contains(r#"<div class="table-scroll" role="region" tabindex="0" aria-labelledby="results-in-2023">"#),
                "{policy:?}: {out}"
            );
            assert!(out.contains("</table>\n</div>"), "{policy:?}: {out}");
            // Without a heading before it, the header row names it (as text).
            let out = r("| Year | `a\"<b>` |\n|---|---|\n| 1 | 2 |\n", policy);
            // (sanitize writes `<` and `>` in attribute values as they are)
            assert!(
                out.contains(r#"aria-label="Year, a&quot;&lt;b&gt;""#)
                    || (policy == RawHtml::Sanitize
                        && out.contains(r#"aria-label="Year, a&quot;<b>""#)),
                "{policy:?}: {out}"
            );
        }
        // In sanitize mode an editor's own div keeps no other role or tabindex.
        let out = r(
            "<div role=\"button\" tabindex=\"-1\" aria-label=\"x\">y</div>\n",
            RawHtml::Sanitize,
        );
        assert!(
            !out.contains("role=") && !out.contains("tabindex="),
            "{out}"
        );
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let out = r(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n",
            RawHtml::Sanitize,
        );
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(
            out.contains(
                r#"<div class="table-scroll" role="region" tabindex="0" aria-label="a, b">"#
            ),
            "{out}"
        );
        assert!(out.contains("footnote-definition"), "{out}");
    }
}
