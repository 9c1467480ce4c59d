//! From loaded files to the site graph: groups translations by slug, makes their facts
//! agree, checks every reference (vocabularies, partners, territories, borders, `@/`
//! links) and builds the indexes both ways, once, so no renderer ever scans all records.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::config::{Config, RawHtml};
use crate::diagnostics::{Diagnostic, Source, closest};
use crate::i18n::Strings;
use crate::input::{Loaded, RecordFile, RecordKind};
use crate::markdown;
use crate::types::{Lang, Slug, TerritoryId};

use super::data;
use super::merge::{Ctx, merge_page, merge_partner, merge_practice};
use super::observations;
use super::records::{self, PageFacts, PartnerFacts, PracticeFacts};
use super::{Index, Site, Sources};
use crate::routes::RESERVED;

/// Builds the site graph, or every problem found on the way. Every file is checked,
/// drafts too; without `drafts`, the translations that say `draft = true` are then
/// left out of the graph (a record none of whose translations is published with
/// them), and a published file that refers to a record left out is an error.
pub fn resolve(
    root: &Path,
    config: Config,
    strings: Strings,
    loaded: Loaded,
    drafts: bool,
    keep_sources: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<Site> {
    let vocab = data::vocabularies(loaded.vocabularies.as_ref(), &config, diags);
    let (territories, levels) = data::territories(loaded.territories.as_ref(), &config, diags);
    let indicators = data::indicators(loaded.indicators.as_ref(), &config, diags);
    let mut index = Index {
        territory: territories
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect(),
        territory_lower: territories
            .iter()
            .map(|t| (t.id.to_lowercase(), t.id.clone()))
            .collect(),
        indicator: indicators
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect(),
        ..Index::default()
    };
    let borders = data::borders(loaded.borders.as_ref(), &config, &index.territory, diags);
    index.border = borders
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.clone(), i))
        .collect();
    let observations = observations::observations(
        &loaded.observations,
        &index.territory,
        &index.indicator,
        diags,
    );
    let mut shape_credits: Vec<(String, crate::geo::read::Credit)> = Vec::new();
    let shapes = shapes(&loaded.shapes, &index, &mut shape_credits, diags);
    let background = match &loaded.background {
        Some(src) => {
            let (polygons, credit, found) = crate::geo::read::read_background(src);
            diags.extend(found);
            shape_credits.push((src.rel.clone(), credit));
            polygons
        }
        None => Vec::new(),
    };
    shape_credits.retain(|(_, c)| c.source.is_some() || c.license.is_some());
    // The background and the shapes, lightened together for the maps.
    let (drawn, background) = {
        let mut all: Vec<&[Vec<crate::geo::read::LonLatRing>]> =
            shapes.values().map(|s| s.polygons.as_slice()).collect();
        all.push(&background);
        let mut light = crate::geo::simplify::lighten(&all, LIGHTEN);
        let background = light.pop().unwrap_or_default();
        let drawn: BTreeMap<TerritoryId, Vec<Vec<crate::geo::read::LonLatRing>>> =
            shapes.keys().cloned().zip(light).collect();
        (drawn, background)
    };
    shape_credits.sort_by(|a, b| a.0.cmp(&b.0));

    // Files of one record, default language first, then the site's language order.
    let lang_pos = |l: &Lang| {
        config
            .languages
            .iter()
            .position(|x| x == l)
            .unwrap_or(usize::MAX)
    };
    let mut groups: BTreeMap<(RecordKind, Slug), Vec<&RecordFile>> = BTreeMap::new();
    for r in &loaded.records {
        groups.entry((r.kind, r.slug.clone())).or_default().push(r);
    }
    for files in groups.values_mut() {
        files.sort_by_key(|f| (f.lang != config.default_language, lang_pos(&f.lang)));
    }
    // Without drafts: the records every translation of which is a draft, each with its
    // first file (to name in messages).
    let draft_only: DraftOnly = if drafts {
        BTreeMap::new()
    } else {
        groups
            .iter()
            .filter(|(_, files)| files.iter().all(|f| records::is_draft(f)))
            .map(|((kind, slug), files)| ((*kind, slug.clone()), files[0].src.rel.clone()))
            .collect()
    };

    // Per-file front matter, in parallel.
    let parsed: Vec<(RecordKind, Slug, Vec<Diagnostic>, Parsed)> = groups
        .par_iter()
        .map(|((kind, slug), files)| {
            let mut ds = Vec::new();
            let p = match kind {
                RecordKind::Practice => Parsed::Practice(
                    files
                        .iter()
                        .map(|f| (*f, records::practice(f, &mut ds)))
                        .collect(),
                ),
                RecordKind::Partner => Parsed::Partner(
                    files
                        .iter()
                        .map(|f| (*f, records::partner(f, &mut ds)))
                        .collect(),
                ),
                RecordKind::Page => Parsed::Page(
                    files
                        .iter()
                        .map(|f| (*f, records::page(f, &mut ds)))
                        .collect(),
                ),
            };
            (*kind, slug.clone(), ds, p)
        })
        .collect();

    let partner_slugs: Vec<&Slug> = groups
        .keys()
        .filter(|(k, _)| *k == RecordKind::Partner)
        .map(|(_, s)| s)
        .collect();
    let mut practices = Vec::new();
    let mut partners = Vec::new();
    let mut pages = Vec::new();
    for (_, slug, ds, p) in parsed {
        diags.extend(ds);
        let ctx = Ctx {
            config: &config,
            strings: &strings,
            vocab: &vocab,
            territory_ids: &index.territory,
            border_ids: &index.border,
            partner_slugs: &partner_slugs,
            draft_only: &draft_only,
        };
        match p {
            Parsed::Practice(files) => practices.push(merge_practice(&ctx, slug, files, diags)),
            Parsed::Partner(files) => partners.push(merge_partner(&ctx, slug, files, diags)),
            Parsed::Page(files) => pages.push(merge_page(slug, files, diags)),
        }
    }

    // Free pages may not take an address the site uses itself.
    for p in &pages {
        if RESERVED.contains(&p.slug.as_str()) {
            let file = p
                .texts
                .values()
                .next()
                .map(|t| t.file.clone())
                .unwrap_or_default();
            diags.push(
                Diagnostic::file(
                    file,
                    format!("the page slug `{}` is an address limes uses itself", p.slug),
                )
                .help(format!(
                    "rename the folder; reserved slugs are: {}",
                    RESERVED.join(", ")
                )),
            );
        }
    }

    if !drafts {
        practices.retain_mut(|p| published(&mut p.texts, |t| t.draft));
        partners.retain_mut(|p| published(&mut p.texts, |t| t.draft));
        pages.retain_mut(|p| published(&mut p.texts, |t| t.draft));
    }

    // Indexes, each built in one pass.
    index.practice = practices
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.clone(), i))
        .collect();
    index.partner = partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.clone(), i))
        .collect();
    index.page = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.clone(), i))
        .collect();
    for p in &practices {
        let s = &p.slug;
        for x in &p.partners {
            push_unique(index.partner_practices.entry(x.clone()).or_default(), s);
        }
        for x in &p.territories {
            push_unique(index.territory_practices.entry(x.clone()).or_default(), s);
        }
        if let Some(b) = &p.border {
            push_unique(index.border_practices.entry(b.clone()).or_default(), s);
        }
        for x in &p.themes {
            push_unique(index.theme_practices.entry(x.clone()).or_default(), s);
        }
        for x in &p.target_groups {
            push_unique(
                index.target_group_practices.entry(x.clone()).or_default(),
                s,
            );
        }
        for x in &p.countries {
            push_unique(index.country_practices.entry(x.clone()).or_default(), s);
        }
        index
            .status_practices
            .entry(p.status)
            .or_default()
            .push(s.clone());
    }
    for p in &partners {
        if let Some(t) = &p.territory {
            index
                .territory_partners
                .entry(t.clone())
                .or_default()
                .push(p.slug.clone());
        }
    }
    for b in &borders {
        for side in &b.sides {
            for t in side {
                push_unique(index.territory_borders.entry(t.clone()).or_default(), &b.id);
            }
        }
    }
    for (i, o) in observations.iter().enumerate() {
        index
            .series
            .entry(o.territory.clone())
            .or_default()
            .entry(o.indicator.clone())
            .or_default()
            .push(i);
    }
    for list in index.series.values_mut().flat_map(|m| m.values_mut()) {
        list.sort_by_key(|&i| observations[i].year);
    }

    // `@/` links in every body, now that every target is known.
    index.drafts_left_out = draft_only;
    let link_diags: Vec<Diagnostic> = loaded
        .records
        .par_iter()
        .flat_map_iter(|r| {
            let mut d = check_links(r, &index, drafts);
            d.extend(check_nesting(r, config.raw_html));
            d
        })
        .collect();
    diags.extend(link_diags);

    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    let mut records = loaded.records;
    bodies(
        &mut records,
        &index,
        &mut practices,
        &mut partners,
        &mut pages,
        keep_sources,
    );
    if !keep_sources {
        records = Vec::new();
    }
    Some(Site {
        root: root.to_path_buf(),
        config,
        strings,
        practices,
        partners,
        pages,
        vocab,
        territories,
        levels,
        indicators,
        borders,
        observations,
        shapes,
        background,
        drawn,
        shape_credits,
        statics: loaded.statics,
        theme: loaded.theme,
        index,
        sources: Sources {
            records,
            vocabularies: loaded.vocabularies,
            territories: loaded.territories,
        },
    })
}

/// How much the shapes are lightened for maps, in degrees (about 40 m): the finest map
/// shows half a kilometre a unit.
const LIGHTEN: f64 = 0.0004;

/// The shapes of `content/diagnostics/*.geojson` by territory; a territory drawn in two
/// features (of one file or two) is an error at the second.
fn shapes(
    files: &[Source],
    index: &Index,
    credits: &mut Vec<(String, crate::geo::read::Credit)>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<TerritoryId, crate::geo::read::Shape> {
    let ids: Vec<&str> = index.territory.keys().map(|t| t.as_str()).collect();
    let lookup = |written: &str| {
        index
            .territory_lower
            .get(&written.to_ascii_lowercase())
            .map(|t| t.to_string())
    };
    let mut out: BTreeMap<TerritoryId, crate::geo::read::Shape> = BTreeMap::new();
    let mut first_in: BTreeMap<String, String> = BTreeMap::new();
    for src in files {
        let (shapes, credit, found) = crate::geo::read::read(src, &lookup, &ids);
        diags.extend(found);
        credits.push((src.rel.clone(), credit));
        for shape in shapes {
            if let Some(file) = first_in.get(&shape.id) {
                diags.push(
                    src.error(
                        shape.at..shape.at + 1,
                        format!("a second shape for `{}`", shape.id),
                    )
                    .help(format!("{file} has one already: keep one of them")),
                );
                continue;
            }
            let Some(id) = TerritoryId::parse(&shape.id) else {
                continue;
            };
            first_in.insert(shape.id.clone(), src.rel.clone());
            out.insert(id, shape);
        }
    }
    out
}

/// Gives each translation in the graph the Markdown body of its file: a copy when the
/// files are kept (`limes check` and `limes serve` point at them later), else the file's
/// own text, its front matter cut off, so that the graph never holds a body twice.
fn bodies(
    records: &mut [RecordFile],
    index: &Index,
    practices: &mut [super::Practice],
    partners: &mut [super::Partner],
    pages: &mut [super::Page],
    keep: bool,
) {
    for r in records {
        let slot = match r.kind {
            RecordKind::Practice => index
                .practice
                .get(&r.slug)
                .and_then(|&i| practices[i].texts.get_mut(&r.lang))
                .map(|t| &mut t.body),
            RecordKind::Partner => index
                .partner
                .get(&r.slug)
                .and_then(|&i| partners[i].texts.get_mut(&r.lang))
                .map(|t| &mut t.body),
            RecordKind::Page => index
                .page
                .get(&r.slug)
                .and_then(|&i| pages[i].texts.get_mut(&r.lang))
                .map(|t| &mut t.body),
        };
        // A translation left out (a draft) has no place in the graph.
        let Some(slot) = slot else { continue };
        *slot = if keep {
            r.body().to_string()
        } else {
            let mut text = std::mem::take(&mut r.src.text);
            text.truncate(r.body.end);
            text.drain(..r.body.start);
            text.shrink_to_fit();
            text
        };
    }
}

/// Records left out of a build without drafts, by kind and slug, with their first file.
pub(super) type DraftOnly = BTreeMap<(RecordKind, Slug), String>;

/// Drops the draft translations; whether any translation is left to publish.
fn published<T>(texts: &mut BTreeMap<Lang, T>, draft: impl Fn(&T) -> bool) -> bool {
    texts.retain(|_, t| !draft(t));
    !texts.is_empty()
}

/// What a published file that names a record left out as a draft is told.
pub(super) fn draft_help(draft_file: &str, what: &str) -> String {
    format!(
        "remove `draft = true` from {draft_file} to publish it, or remove {what}; `limes serve` shows drafts"
    )
}

fn push_unique(list: &mut Vec<Slug>, s: &Slug) {
    if list.last() != Some(s) {
        list.push(s.clone());
    }
}

enum Parsed<'a> {
    Practice(Vec<(&'a RecordFile, (PracticeFacts, super::PracticeText))>),
    Partner(Vec<(&'a RecordFile, (PartnerFacts, super::PartnerText))>),
    Page(Vec<(&'a RecordFile, (PageFacts, super::PageText))>),
}

/// The problems of the body of `file`, a record file of `site` whose front matter is
/// as the site read it (`drafts`: as the site was built): what [`resolve`] finds in a
/// body, so that an edit of a body alone is checked without resolving everything
/// again.
pub fn check_body(site: &Site, file: &RecordFile, drafts: bool) -> Vec<Diagnostic> {
    let mut out = check_links(file, &site.index, drafts);
    out.extend(check_nesting(file, site.config.raw_html));
    out
}

/// Under `raw_html = "sanitize"`, a body may not nest its elements deeper than
/// [`markdown::MAX_NESTING`]: the sanitizer's parser would take time in the square of
/// the depth (50,000 nested `<div>` took 38 s).
fn check_nesting(r: &RecordFile, policy: RawHtml) -> Option<Diagnostic> {
    if policy != RawHtml::Sanitize {
        return None;
    }
    let at = markdown::too_deep(r.body())?;
    let start = r.body.start + at;
    let end = r.src.text[start..]
        .find(['>', '\n'])
        .map_or(start + 1, |n| start + n + 1);
    let d = r.src.error(
        start..end,
        format!(
            "elements nested more than {} deep: `raw_html = \"sanitize\"` cannot check so deep a body",
            markdown::MAX_NESTING
        ),
    );
    Some(d.help("close the elements the body opens (`<div>` ... `</div>`), or nest them less deeply; Markdown's quotes and lists count too"))
}

/// Every `@/` link of a record's body must name something that exists (`index` holds
/// what is published); a published file may not link a record left out as a draft; no
/// character reference may stand for a control character.
fn check_links(r: &RecordFile, index: &Index, drafts: bool) -> Vec<Diagnostic> {
    let draft_only = &index.drafts_left_out;
    let mut out = Vec::new();
    let published = drafts || !records::is_draft(r);
    let (links, controls) = markdown::scan(r.body());
    for reference in controls {
        let span = r.body.start + reference.span.start..r.body.start + reference.span.end;
        out.push(
            r.src
                .error(
                    span.clone(),
                    format!(
                        "control character {} in the text, written `{}`",
                        crate::text::describe(reference.c),
                        &r.src.text[span]
                    ),
                )
                .help("remove the reference: no page or feed may hold a control character"),
        );
    }
    for link in links {
        let span = r.body.start + link.span.start..r.body.start + link.span.end;
        // The ids of the kind the link names (listed only to suggest a fix).
        fn ids<K: AsRef<str>>(map: &BTreeMap<K, usize>) -> Vec<&str> {
            map.keys().map(AsRef::as_ref).collect()
        }
        let id = link.id.as_str();
        let (exists, known) = match link.kind.as_str() {
            "practices" => (index.practice.contains_key(id), ids(&index.practice)),
            "partners" => (index.partner.contains_key(id), ids(&index.partner)),
            "pages" => (index.page.contains_key(id), ids(&index.page)),
            "territories" => (
                index.territory_lower.contains_key(&id.to_lowercase()),
                ids(&index.territory),
            ),
            "borders" => (index.border.contains_key(id), ids(&index.border)),
            "indicators" => (index.indicator.contains_key(id), ids(&index.indicator)),
            _ => {
                let d = r.src.error(
                    span,
                    format!("unknown link target `@/{}/{}`", link.kind, link.id),
                );
                out.push(d.help("links between records are @/practices/<slug>, @/partners/<slug>, @/pages/<slug>, @/territories/<id>, @/borders/<id> or @/indicators/<id>"));
                continue;
            }
        };
        let draft = RecordKind::ALL
            .into_iter()
            .find(|k| k.folder() == link.kind)
            .and_then(|k| Slug::parse(id).and_then(|s| draft_only.get(&(k, s))));
        if let Some(draft_file) = draft.filter(|_| !exists) {
            if published {
                let d = r.src.error(
                    span,
                    format!(
                        "link to `@/{}/{}`, which is a draft and not published",
                        link.kind, link.id
                    ),
                );
                out.push(d.help(draft_help(draft_file, "the link")));
            }
        } else if !exists {
            let d = r.src.error(
                span,
                format!(
                    "link to `@/{}/{}`, which does not exist",
                    link.kind, link.id
                ),
            );
            out.push(match closest(&link.id, known) {
                Some(c) => d.help(format!("did you mean `@/{}/{c}`?", link.kind)),
                None => d.help(match link.kind.as_str() {
                    "territories" => format!(
                        "add `{}` to content/diagnostics/territories.toml, or check the id",
                        link.id
                    ),
                    "borders" => format!(
                        "add `{}` to content/diagnostics/borders.toml, or check the id",
                        link.id
                    ),
                    "indicators" => format!(
                        "add `{}` to content/diagnostics/indicators.toml, or check the id",
                        link.id
                    ),
                    kind => format!(
                        "create content/{kind}/{}/index.{}.md, or check the slug",
                        link.id, r.lang
                    ),
                }),
            });
        }
    }
    out
}
