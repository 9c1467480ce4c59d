//! Merging the translations of one record: the facts every translation shares must
//! agree (the first file that states one sets it; another value is an error naming both
//! files), references are checked against the vocabularies, territories, borders and
//! partners, and each translation keeps its own text.

use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Source, closest};
use crate::i18n::Strings;
use crate::input::RecordFile;
use crate::spanned::Spanned;
use crate::types::{Slug, TerritoryId};

use super::data;
use super::records::{PageFacts, PartnerFacts, PracticeFacts};
use super::{Page, Partner, Practice, Status, Vocabularies};

pub(super) struct Ctx<'a> {
    pub config: &'a Config,
    pub strings: &'a Strings,
    pub vocab: &'a Vocabularies,
    pub territory_ids: &'a BTreeMap<TerritoryId, usize>,
    pub border_ids: &'a BTreeMap<Slug, usize>,
    pub partner_slugs: &'a [&'a Slug],
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
        diags.push(match closest(&id.value, terms.keys().map(|k| k.as_str())) {
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

pub(super) fn merge_practice(
    ctx: &Ctx,
    slug: Slug,
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
                if let Some((id, _)) = ctx.territory_ids.get_key_value(t.value.as_str()) {
                    Some(id.clone())
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
            if let Some((id, _)) = ctx.border_ids.get_key_value(b.as_str()) {
                return Some(id.clone());
            }
            let d = src.error(span, format!("unknown border `{b}`"));
            diags.push(
            match closest(&b, ctx.border_ids.keys().map(|k| k.as_str())) {
                Some(c) => d.help(format!(
                    "did you mean `{c}`? borders are defined in content/diagnostics/borders.toml"
                )),
                None => d.help(format!(
                    "the borders defined in content/diagnostics/borders.toml are: {}",
                    ctx.border_ids.keys().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
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
        let mut out: Vec<Slug> = Vec::new();
        for p in ids {
            if let Some(&slug) = ctx.partner_slugs.iter().find(|s| s.as_str() == p.value) {
                if !out.contains(slug) {
                    out.push(slug.clone());
                }
                continue;
            }
            let d = src.error(p.span.clone(), format!("unknown partner `{}`", p.value));
            diags.push(
                match closest(&p.value, ctx.partner_slugs.iter().map(|s| s.as_str())) {
                    Some(c) => d.help(format!(
                        "did you mean `{c}`? a partner is a folder content/partners/<slug>/"
                    )),
                    None => d.help(format!(
                        "create content/partners/{}/index.{}.md, or check the slug",
                        p.value, ctx.config.default_language
                    )),
                },
            );
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

pub(super) fn merge_partner(
    ctx: &Ctx,
    slug: Slug,
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
        if let Some((id, _)) = ctx.territory_ids.get_key_value(t.as_str()) {
            Some(id.clone())
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

pub(super) fn merge_page(
    slug: Slug,
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
