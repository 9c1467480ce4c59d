//! Merging the translations of one record: the facts every translation shares must
//! agree (the first file that states one sets it; another value is an error naming both
//! files), references are checked against the vocabularies, territories, borders and
//! partners, and each translation keeps its own text.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Source, closest};
use crate::i18n::Strings;
use crate::input::{RecordFile, RecordKind};
use crate::spanned::Spanned;
use crate::types::{Lang, Slug, TerritoryId};

use super::data;
use super::facts::Agreed;
use super::records::{PageFacts, PartnerFacts, PracticeFacts};
use super::{Page, Partner, Practice, Status, Vocabularies};

pub(super) struct Ctx<'a> {
    pub config: &'a Config,
    pub strings: &'a Strings,
    pub vocab: &'a Vocabularies,
    pub territory_ids: &'a BTreeMap<TerritoryId, usize>,
    pub border_ids: &'a BTreeMap<Slug, usize>,
    pub partner_slugs: &'a [&'a Slug],
    /// Records left out of this build as drafts (empty when drafts are published).
    pub draft_only: &'a super::resolve::DraftOnly,
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
        diags.push(match label_of(src, &id.value, terms) {
            Some((term, lang)) => d.help(format!(
                "`{}` is the `{lang}` label of the {what} `{term}`: write its id, `{term}`; {file_hint}",
                id.value
            )),
            None => match closest(&id.value, terms.keys().map(|k| k.as_str())) {
                Some(c) => d.help(format!("did you mean `{c}`? {file_hint}")),
                None => d.help(file_hint.to_string()),
            },
        });
    }
    out
}

/// The term whose label `text` is (letter case aside), with the language of that label:
/// an editor may type the label they see instead of the id. The label in the language
/// of the file comes first.
fn label_of<'t>(
    src: &Source,
    text: &str,
    terms: &'t BTreeMap<String, super::LangMap>,
) -> Option<(&'t str, &'t Lang)> {
    let wanted = text.trim().to_lowercase();
    // `index.hr.md`, `slug.hr.md`: the language is the part before `.md`.
    let file_lang = src.rel.strip_suffix(".md")?.rsplit_once('.').map(|x| x.1);
    let matches = terms.iter().flat_map(|(id, labels)| {
        labels
            .iter()
            .filter(|(_, label)| label.trim().to_lowercase() == wanted)
            .map(move |(lang, _)| (id.as_str(), lang))
    });
    let all: Vec<(&str, &Lang)> = matches.collect();
    all.iter()
        .find(|(_, l)| Some(l.as_str()) == file_lang)
        .or(all.first())
        .copied()
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

/// The first value of a fact, whoever states it.
fn value<T>(fact: Option<Agreed<T>>) -> Option<T> {
    fact.map(|a| a.value)
}

pub(super) fn merge_practice(
    ctx: &Ctx,
    slug: Slug,
    files: Vec<(&RecordFile, (PracticeFacts, super::PracticeText))>,
    diags: &mut Vec<Diagnostic>,
) -> Practice {
    let f0 = files[0].0;
    let stated: Vec<(&RecordFile, &PracticeFacts)> =
        files.iter().map(|(f, (p, _))| (*f, p)).collect();
    let facts = PracticeFacts::agree(&stated, diags);
    let states = |key: &str| files.iter().any(|(f, _)| f.front.get(key).is_some());
    let published = files.iter().any(|(_, (_, t))| !t.draft);
    if !states("status") {
        diags.push(missing_fact(
            f0,
            "practice",
            "status",
            "\"ongoing\"",
            "; the statuses are planned, ongoing and completed",
        ));
    }
    let countries = match facts.countries {
        Some(a) if !a.value.is_empty() => check_countries(ctx, a.src, &a.value, diags),
        Some(a) => {
            diags.push(
                a.src
                    .error(a.span, "`countries` is empty")
                    .help("name at least one country: countries = [\"SI\", \"HR\"]"),
            );
            Vec::new()
        }
        None => {
            if !states("countries") {
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
    let territories = match facts.territories {
        Some(a) => a
            .value
            .iter()
            .filter_map(|t| {
                if let Some((id, _)) = ctx.territory_ids.get_key_value(t.value.as_str()) {
                    Some(id.clone())
                } else {
                    diags.push(data::unknown_territory(
                        a.src,
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
    let border = facts.border.and_then(|a| {
        if let Some((id, _)) = ctx.border_ids.get_key_value(a.value.as_str()) {
            return Some(id.clone());
        }
        let b = &a.value;
        let d = a.src.error(a.span, format!("unknown border `{b}`"));
        let known = || ctx.border_ids.keys().map(|k| k.as_str());
        diags.push(match closest(b, known()) {
            Some(c) => d.help(format!(
                "did you mean `{c}`? borders are defined in content/diagnostics/borders.toml"
            )),
            None => d.help(format!(
                "the borders defined in content/diagnostics/borders.toml are: {}",
                known().collect::<Vec<_>>().join(", ")
            )),
        });
        None
    });
    let themes = facts
        .themes
        .map(|a| {
            check_terms(
                a.src,
                &a.value,
                &ctx.vocab.themes,
                "theme",
                "themes are defined in content/vocabularies.toml under [themes.<id>]",
                diags,
            )
        })
        .unwrap_or_default();
    let target_groups = facts
        .target_groups
        .map(|a| {
            check_terms(
                a.src,
                &a.value,
                &ctx.vocab.target_groups,
                "target group",
                "target groups are defined in content/vocabularies.toml under [target_groups.<id>]",
                diags,
            )
        })
        .unwrap_or_default();
    let partners = facts
        .partners
        .map(|a| {
            let mut out: Vec<Slug> = Vec::new();
            for p in &a.value {
                if let Some(&slug) = ctx.partner_slugs.iter().find(|s| s.as_str() == p.value) {
                    let draft = ctx.draft_only.get(&(RecordKind::Partner, slug.clone()));
                    if let Some(draft_file) = draft.filter(|_| published) {
                        diags.push(
                            a.src
                                .error(
                                    p.span.clone(),
                                    format!("partner `{}` is a draft and not published", p.value),
                                )
                                .help(super::resolve::draft_help(
                                    draft_file,
                                    &format!("`{}` from `partners`", p.value),
                                )),
                        );
                    } else if !out.contains(slug) {
                        out.push(slug.clone());
                    }
                    continue;
                }
                let d = a
                    .src
                    .error(p.span.clone(), format!("unknown partner `{}`", p.value));
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
    let texts = files
        .into_iter()
        .map(|(f, (_, t))| (f.lang.clone(), Box::new(t)))
        .collect();
    Practice {
        slug,
        status: value(facts.status).unwrap_or(Status::Planned),
        start: value(facts.start),
        end: value(facts.end),
        countries,
        territories,
        border,
        themes,
        target_groups,
        partners,
        budget: value(facts.budget),
        transferability: value(facts.transferability),
        results: value(facts.results).unwrap_or_default(),
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
    let stated: Vec<(&RecordFile, &PartnerFacts)> =
        files.iter().map(|(f, (p, _))| (*f, p)).collect();
    let facts = PartnerFacts::agree(&stated, diags);
    let states = |key: &str| files.iter().any(|(f, _)| f.front.get(key).is_some());
    let kind = facts.kind.and_then(|a| {
        let ids = [Spanned {
            value: a.value,
            span: a.span,
        }];
        check_terms(
            a.src,
            &ids,
            &ctx.vocab.partner_kinds,
            "partner kind",
            "partner kinds are defined in content/vocabularies.toml under [partner_kinds.<id>]",
            diags,
        )
        .pop()
    });
    if !states("kind") {
        diags.push(missing_fact(
            f0,
            "partner",
            "kind",
            "\"ngo\"",
            "; kinds are the terms of [partner_kinds] in content/vocabularies.toml",
        ));
    }
    let country = facts.country.and_then(|a| {
        check_countries(
            ctx,
            a.src,
            &[Spanned {
                value: a.value,
                span: a.span,
            }],
            diags,
        )
        .pop()
    });
    if !states("country") {
        diags.push(missing_fact(f0, "partner", "country", "\"FR\"", ""));
    }
    let territory = facts.territory.and_then(|a| {
        if let Some((id, _)) = ctx.territory_ids.get_key_value(a.value.as_str()) {
            Some(id.clone())
        } else {
            diags.push(data::unknown_territory(
                a.src,
                &a.value,
                a.span,
                ctx.territory_ids,
            ));
            None
        }
    });
    let texts = files
        .into_iter()
        .map(|(f, (_, t))| (f.lang.clone(), Box::new(t)))
        .collect();
    Partner {
        slug,
        kind: kind.unwrap_or_default(),
        country: country.unwrap_or_default(),
        territory,
        official_name: value(facts.official_name),
        location: value(facts.location),
        texts,
    }
}

pub(super) fn merge_page(
    slug: Slug,
    files: Vec<(&RecordFile, (PageFacts, super::PageText))>,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let stated: Vec<(&RecordFile, &PageFacts)> = files.iter().map(|(f, (p, _))| (*f, p)).collect();
    let menu = value(PageFacts::agree(&stated, diags).menu);
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
