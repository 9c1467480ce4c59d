//! From loaded files to the site graph: groups translations by slug, makes their facts
//! agree, checks every reference (vocabularies, partners, territories, borders, `@/`
//! links) and builds the indexes both ways, once, so no renderer ever scans all records.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Source, closest};
use crate::i18n::Strings;
use crate::input::{Loaded, RecordFile, RecordKind};
use crate::markdown;
use crate::spanned::Spanned;
use crate::types::Lang;

use super::data;
use super::records::{self, PageFacts, PartnerFacts, PracticeFacts};
use super::{Index, Page, Partner, Practice, Site, Status, Vocabularies};
use crate::routes::RESERVED;

/// Builds the site graph, or every problem found on the way.
pub fn resolve(
    root: &Path,
    config: Config,
    strings: Strings,
    loaded: Loaded,
    diags: &mut Vec<Diagnostic>,
) -> Option<Site> {
    let vocab = data::vocabularies(loaded.vocabularies.as_ref(), &config, diags);
    let territories = data::territories(loaded.territories.as_ref(), &config, diags);
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
    let observations = data::observations(
        &loaded.observations,
        &index.territory,
        &index.indicator,
        diags,
    );

    // Files of one record, default language first, then the site's language order.
    let lang_pos = |l: &Lang| {
        config
            .languages
            .iter()
            .position(|x| x == l)
            .unwrap_or(usize::MAX)
    };
    let mut groups: BTreeMap<(RecordKind, String), Vec<&RecordFile>> = BTreeMap::new();
    for r in &loaded.records {
        groups.entry((r.kind, r.slug.clone())).or_default().push(r);
    }
    for files in groups.values_mut() {
        files.sort_by_key(|f| (f.lang != config.default_language, lang_pos(&f.lang)));
    }

    // Per-file front matter, in parallel.
    let parsed: Vec<(RecordKind, String, Vec<Diagnostic>, Parsed)> = groups
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

    let partner_slugs: Vec<&str> = groups
        .keys()
        .filter(|(k, _)| *k == RecordKind::Partner)
        .map(|(_, s)| s.as_str())
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
        };
        match p {
            Parsed::Practice(files) => practices.push(merge_practice(&ctx, slug, files, diags)),
            Parsed::Partner(files) => partners.push(merge_partner(&ctx, slug, files, diags)),
            Parsed::Page(files) => pages.push(merge_page(slug, files, diags)),
        }
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
            .entry((o.territory.clone(), o.indicator.clone()))
            .or_default()
            .push(i);
    }
    for list in index.series.values_mut() {
        list.sort_by_key(|&i| observations[i].year);
    }

    // `@/` links in every body, now that every target is known.
    let link_diags: Vec<Diagnostic> = loaded
        .records
        .par_iter()
        .flat_map_iter(|r| check_links(r, &index))
        .collect();
    diags.extend(link_diags);

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

    if diags.iter().any(Diagnostic::is_error) {
        return None;
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
        indicators,
        borders,
        observations,
        statics: loaded.statics,
        theme: loaded.theme,
        index,
    })
}

fn push_unique(list: &mut Vec<String>, s: &str) {
    if list.last().map(String::as_str) != Some(s) {
        list.push(s.to_string());
    }
}

enum Parsed<'a> {
    Practice(Vec<(&'a RecordFile, (PracticeFacts, super::PracticeText))>),
    Partner(Vec<(&'a RecordFile, (PartnerFacts, super::PartnerText))>),
    Page(Vec<(&'a RecordFile, (PageFacts, super::PageText))>),
}

struct Ctx<'a> {
    config: &'a Config,
    strings: &'a Strings,
    vocab: &'a Vocabularies,
    territory_ids: &'a BTreeMap<String, usize>,
    border_ids: &'a BTreeMap<String, usize>,
    partner_slugs: &'a [&'a str],
}

/// One fact as the translations state it: the first file that states it sets it; a
/// later file stating another value is an error naming both files.
fn agree<'f, T: PartialEq + Clone + Debug>(
    field: &str,
    stated: impl IntoIterator<Item = (&'f RecordFile, Option<Spanned<T>>)>,
    show: impl Fn(&T) -> String,
    diags: &mut Vec<Diagnostic>,
) -> Option<(T, &'f Source, std::ops::Range<usize>)> {
    let mut first: Option<(T, &'f Source, std::ops::Range<usize>)> = None;
    for (file, value) in stated {
        let Some(v) = value else { continue };
        match &first {
            None => first = Some((v.value, &file.src, v.span)),
            Some((fv, fsrc, fspan)) => {
                if *fv != v.value {
                    let (line, col) = fsrc.position(fspan.start);
                    diags.push(
                        file.src
                            .error(v.span.clone(), format!("`{field}` is {} here but {} in {}:{line}:{col}", show(&v.value), show(fv), fsrc.rel))
                            .help(format!("`{field}` is a fact shared by every translation: make the two files agree, or leave it out of one of them")),
                    );
                }
            }
        }
    }
    first
}

fn list_agree<'f>(
    field: &str,
    stated: impl IntoIterator<Item = (&'f RecordFile, Option<Vec<Spanned<String>>>)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<Spanned<String>>, &'f Source)> {
    let mut first: Option<(Vec<Spanned<String>>, &'f Source)> = None;
    for (file, value) in stated {
        let Some(v) = value else { continue };
        let values: Vec<&String> = v.iter().map(|s| &s.value).collect();
        match &first {
            None => first = Some((v, &file.src)),
            Some((fv, fsrc)) => {
                let fvalues: Vec<&String> = fv.iter().map(|s| &s.value).collect();
                if fvalues != values {
                    let at = fsrc.position(fv.first().map(|s| s.span.start).unwrap_or(0));
                    let span = file
                        .front
                        .get(field)
                        .map(|e| e.node.span.clone())
                        .unwrap_or(0..0);
                    diags.push(
                        file.src
                            .error(span, format!("`{field}` is {} here but {} in {}:{}:{}", show_list(&values), show_list(&fvalues), fsrc.rel, at.0, at.1))
                            .help(format!("`{field}` is a fact shared by every translation: make the two files agree, or leave it out of one of them")),
                    );
                }
            }
        }
    }
    first
}

fn show_list(v: &[&String]) -> String {
    format!(
        "[{}]",
        v.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Checks each id against a vocabulary, with the closest term as help.
fn check_terms(
    src: &Source,
    ids: &[Spanned<String>],
    terms: &BTreeMap<String, super::LangMap>,
    what: &str,
    file_hint: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out = Vec::new();
    for id in ids {
        if terms.contains_key(&id.value) {
            if !out.contains(&id.value) {
                out.push(id.value.clone());
            }
            continue;
        }
        let d = src.error(id.span.clone(), format!("unknown {what} `{}`", id.value));
        diags.push(match closest(&id.value, terms.keys().map(String::as_str)) {
            Some(c) => d.help(format!("did you mean `{c}`? {file_hint}")),
            None => d.help(file_hint.to_string()),
        });
    }
    out
}

fn check_countries(
    ctx: &Ctx,
    src: &Source,
    ids: &[Spanned<String>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out = Vec::new();
    for c in ids {
        if !data::check_country(src, c, diags) {
            continue;
        }
        if !ctx.strings.knows_country(&c.value) {
            diags.push(
                src.error(c.span.clone(), format!("no interface file names the country `{}`", c.value))
                    .help(format!("check the code, or add {} = \"...\" under [countries] in every i18n/<lang>.toml", c.value)),
            );
        } else if !out.contains(&c.value) {
            out.push(c.value.clone());
        }
    }
    out
}

fn merge_practice(
    ctx: &Ctx,
    slug: String,
    files: Vec<(&RecordFile, (PracticeFacts, super::PracticeText))>,
    diags: &mut Vec<Diagnostic>,
) -> Practice {
    let f0 = files[0].0;
    let status = agree(
        "status",
        files.iter().map(|(f, (p, _))| (*f, p.status.clone())),
        |s| format!("\"{}\"", s.as_str()),
        diags,
    );
    let stated = |key: &str| files.iter().any(|(f, _)| f.front.get(key).is_some());
    if !stated("status") {
        diags.push(missing_fact(
            f0,
            "practice",
            "status",
            "\"ongoing\"",
            "; the statuses are planned, ongoing and completed",
        ));
    }
    let start = agree(
        "start",
        files.iter().map(|(f, (p, _))| (*f, p.start.clone())),
        |d| d.to_string(),
        diags,
    );
    let end = agree(
        "end",
        files.iter().map(|(f, (p, _))| (*f, p.end.clone())),
        |d| d.to_string(),
        diags,
    );
    let countries = list_agree(
        "countries",
        files.iter().map(|(f, (p, _))| (*f, p.countries.clone())),
        diags,
    );
    let countries = match &countries {
        Some((ids, src)) if !ids.is_empty() => check_countries(ctx, src, ids, diags),
        Some((_, src)) => {
            let file = files
                .iter()
                .map(|(f, _)| *f)
                .find(|f| f.src.rel == src.rel)
                .unwrap_or(f0);
            let span = file
                .front
                .get("countries")
                .map(|e| e.node.span.clone())
                .unwrap_or(0..0);
            diags.push(
                src.error(span, "`countries` is empty")
                    .help("name at least one country: countries = [\"SI\", \"HR\"]"),
            );
            Vec::new()
        }
        None => {
            if !stated("countries") {
                diags.push(missing_fact(
                    f0,
                    "practice",
                    "countries",
                    "[\"SI\", \"HR\"]",
                    "; name one country at least",
                ));
            }
            Vec::new()
        }
    };
    let territories = match list_agree(
        "territories",
        files.iter().map(|(f, (p, _))| (*f, p.territories.clone())),
        diags,
    ) {
        Some((ids, src)) => ids
            .iter()
            .filter_map(|t| {
                if ctx.territory_ids.contains_key(&t.value) {
                    Some(t.value.clone())
                } else {
                    diags.push(data::unknown_territory(
                        src,
                        &t.value,
                        t.span.clone(),
                        ctx.territory_ids,
                    ));
                    None
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let border =
        agree(
            "border",
            files.iter().map(|(f, (p, _))| (*f, p.border.clone())),
            |s| format!("\"{s}\""),
            diags,
        )
        .and_then(|(b, src, span)| {
            if ctx.border_ids.contains_key(&b) {
                return Some(b);
            }
            let d = src.error(span, format!("unknown border `{b}`"));
            diags.push(
            match closest(&b, ctx.border_ids.keys().map(String::as_str)) {
                Some(c) => d.help(format!(
                    "did you mean `{c}`? borders are defined in content/diagnostics/borders.toml"
                )),
                None => d.help(format!(
                    "the borders defined in content/diagnostics/borders.toml are: {}",
                    ctx.border_ids.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
                )),
            },
        );
            None
        });
    let themes = list_agree(
        "themes",
        files.iter().map(|(f, (p, _))| (*f, p.themes.clone())),
        diags,
    )
    .map(|(ids, src)| {
        check_terms(
            src,
            &ids,
            &ctx.vocab.themes,
            "theme",
            "themes are defined in content/vocabularies.toml under [themes.<id>]",
            diags,
        )
    })
    .unwrap_or_default();
    let target_groups = list_agree(
        "target_groups",
        files
            .iter()
            .map(|(f, (p, _))| (*f, p.target_groups.clone())),
        diags,
    )
    .map(|(ids, src)| {
        check_terms(
            src,
            &ids,
            &ctx.vocab.target_groups,
            "target group",
            "target groups are defined in content/vocabularies.toml under [target_groups.<id>]",
            diags,
        )
    })
    .unwrap_or_default();
    let partners = list_agree(
        "partners",
        files.iter().map(|(f, (p, _))| (*f, p.partners.clone())),
        diags,
    )
    .map(|(ids, src)| {
        let mut out: Vec<String> = Vec::new();
        for p in ids {
            if ctx.partner_slugs.contains(&p.value.as_str()) {
                if !out.contains(&p.value) {
                    out.push(p.value.clone());
                }
                continue;
            }
            let d = src.error(p.span.clone(), format!("unknown partner `{}`", p.value));
            diags.push(match closest(&p.value, ctx.partner_slugs.iter().copied()) {
                Some(c) => d.help(format!(
                    "did you mean `{c}`? a partner is a folder content/partners/<slug>/"
                )),
                None => d.help(format!(
                    "create content/partners/{}/index.{}.md, or check the slug",
                    p.value, ctx.config.default_language
                )),
            });
        }
        out
    })
    .unwrap_or_default();
    let budget = agree(
        "budget",
        files.iter().map(|(f, (p, _))| (*f, p.budget.clone())),
        |b| format!("{} {}", b.amount, b.currency),
        diags,
    )
    .map(|b| b.0);
    let transferability = agree(
        "transferability",
        files
            .iter()
            .map(|(f, (p, _))| (*f, p.transferability.clone())),
        |l| format!("\"{}\"", l.as_str()),
        diags,
    )
    .map(|t| t.0);
    let results = agree(
        "results",
        files.iter().map(|(f, (p, _))| (*f, p.results.clone())),
        |r| {
            let parts: Vec<String> = r
                .iter()
                .map(|x| {
                    format!("{} {}", x.value, x.unit.clone().unwrap_or_default())
                        .trim()
                        .to_string()
                })
                .collect();
            format!("[{}]", parts.join("; "))
        },
        diags,
    )
    .map(|r| r.0)
    .unwrap_or_default();
    let texts = files
        .into_iter()
        .map(|(f, (_, t))| (f.lang.clone(), t))
        .collect();
    Practice {
        slug,
        status: status.map(|s| s.0).unwrap_or(Status::Planned),
        start: start.map(|s| s.0),
        end: end.map(|s| s.0),
        countries,
        territories,
        border,
        themes,
        target_groups,
        partners,
        budget,
        transferability,
        results,
        texts,
    }
}

fn merge_partner(
    ctx: &Ctx,
    slug: String,
    files: Vec<(&RecordFile, (PartnerFacts, super::PartnerText))>,
    diags: &mut Vec<Diagnostic>,
) -> Partner {
    let f0 = files[0].0;
    let quoted = |s: &String| format!("\"{s}\"");
    let kind = agree(
        "kind",
        files.iter().map(|(f, (p, _))| (*f, p.kind.clone())),
        quoted,
        diags,
    )
    .and_then(|(k, src, span)| {
        let ids = [Spanned { value: k, span }];
        check_terms(
            src,
            &ids,
            &ctx.vocab.partner_kinds,
            "partner kind",
            "partner kinds are defined in content/vocabularies.toml under [partner_kinds.<id>]",
            diags,
        )
        .pop()
    });
    let stated = |key: &str| files.iter().any(|(f, _)| f.front.get(key).is_some());
    if !stated("kind") {
        diags.push(missing_fact(
            f0,
            "partner",
            "kind",
            "\"ngo\"",
            "; kinds are the terms of [partner_kinds] in content/vocabularies.toml",
        ));
    }
    let country = agree(
        "country",
        files.iter().map(|(f, (p, _))| (*f, p.country.clone())),
        quoted,
        diags,
    )
    .and_then(|(c, src, span)| {
        check_countries(ctx, src, &[Spanned { value: c, span }], diags).pop()
    });
    if !stated("country") {
        diags.push(missing_fact(f0, "partner", "country", "\"FR\"", ""));
    }
    let territory = agree(
        "territory",
        files.iter().map(|(f, (p, _))| (*f, p.territory.clone())),
        quoted,
        diags,
    )
    .and_then(|(t, src, span)| {
        if ctx.territory_ids.contains_key(&t) {
            Some(t)
        } else {
            diags.push(data::unknown_territory(src, &t, span, ctx.territory_ids));
            None
        }
    });
    let texts = files
        .into_iter()
        .map(|(f, (_, t))| (f.lang.clone(), t))
        .collect();
    Partner {
        slug,
        kind: kind.unwrap_or_default(),
        country: country.unwrap_or_default(),
        territory,
        texts,
    }
}

fn merge_page(
    slug: String,
    files: Vec<(&RecordFile, (PageFacts, super::PageText))>,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let menu = agree(
        "menu",
        files.iter().map(|(f, (p, _))| (*f, p.menu.clone())),
        |m| m.to_string(),
        diags,
    )
    .map(|m| m.0);
    let texts = files
        .into_iter()
        .map(|(f, (_, t))| (f.lang.clone(), t))
        .collect();
    Page { slug, menu, texts }
}

/// A fact no translation of a record states, pointed at the first file's `+++` line.
fn missing_fact(f0: &RecordFile, what: &str, key: &str, example: &str, note: &str) -> Diagnostic {
    let what = format!("{what} `{}`", f0.slug);
    f0.src
        .error(
            f0.front.span.clone(),
            format!("{what} is missing the required field `{key}`"),
        )
        .help(format!(
            "add a line like: {key} = {example} to any one of its translations{note}"
        ))
}

/// Every `@/` link of a record's body must name something that exists.
fn check_links(r: &RecordFile, index: &Index) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for link in markdown::internal_links(r.body()) {
        let span = r.body.start + link.span.start..r.body.start + link.span.end;
        let map = match link.kind.as_str() {
            "practices" => &index.practice,
            "partners" => &index.partner,
            "pages" => &index.page,
            "territories" => &index.territory,
            "borders" => &index.border,
            _ => {
                let d = r.src.error(
                    span,
                    format!("unknown link target `@/{}/{}`", link.kind, link.id),
                );
                out.push(d.help("links between records are @/practices/<slug>, @/partners/<slug>, @/pages/<slug>, @/territories/<id> or @/borders/<id>"));
                continue;
            }
        };
        // One lookup per link; the ids are listed only to suggest a fix.
        let exists = map.contains_key(&link.id)
            || (link.kind == "territories"
                && index.territory_lower.contains_key(&link.id.to_lowercase()));
        let known = || map.keys().map(String::as_str);
        if !exists {
            let d = r.src.error(
                span,
                format!(
                    "link to `@/{}/{}`, which does not exist",
                    link.kind, link.id
                ),
            );
            out.push(match closest(&link.id, known()) {
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
