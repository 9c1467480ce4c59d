//! The data files of a site: `vocabularies.toml` and `content/diagnostics/`
//! (territories, indicators, borders and CSV observations).

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Source, closest, closest_lang};
use crate::spanned::{Fields, Spanned, Table, Value, parse};
use crate::types::{IndicatorId, Lang, Slug, TerritoryId, is_slug};

use super::{Better, BorderArea, Indicator, LangMap, Territory, Vocabularies};

/// Keeps the labels whose language the site has; reports the others.
fn lang_map(
    src: &Source,
    config: &Config,
    raw: BTreeMap<String, Spanned<String>>,
    diags: &mut Vec<Diagnostic>,
) -> LangMap {
    let mut out = LangMap::new();
    for (l, text) in raw {
        match Lang::parse(&l).filter(|lang| config.languages.contains(lang)) {
            Some(lang) => {
                out.insert(lang, text.value);
            }
            None => {
                let langs: Vec<&str> = config.languages.iter().map(Lang::as_str).collect();
                let help = match closest_lang(&l, langs.iter().copied()) {
                    Some(c) => format!(
                        "did you mean `{c}`? the site's languages are {}",
                        langs.join(", ")
                    ),
                    None => format!("the site's languages are {}", langs.join(", ")),
                };
                diags.push(
                    src.error(
                        text.span,
                        format!("`{l}` is not one of the site's languages"),
                    )
                    .help(help),
                );
            }
        }
    }
    out
}

pub(crate) fn vocabularies(
    src: Option<&Source>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vocabularies {
    let mut v = Vocabularies::default();
    let Some(src) = src else { return v };
    let Some(table) = parse(src, &src.text, 0, diags) else {
        return v;
    };
    for e in &table.entries {
        let (vocabulary, target) = match e.key.as_str() {
            "themes" => ("themes", &mut v.themes),
            "target_groups" => ("target_groups", &mut v.target_groups),
            "partner_kinds" => ("partner_kinds", &mut v.partner_kinds),
            other => {
                let mut d = src.error(e.key_span.clone(), format!("unknown vocabulary `{other}`"));
                d = match closest(other, ["themes", "target_groups", "partner_kinds"]) {
                    Some(c) => d.help(format!("did you mean `{c}`? the vocabularies are themes, target_groups and partner_kinds")),
                    None => d.help("the vocabularies are themes, target_groups and partner_kinds"),
                };
                diags.push(d);
                continue;
            }
        };
        let Value::Table(terms) = &e.node.value else {
            diags.push(
                src.error(
                    e.node.span.clone(),
                    format!("`{}` must be a table of terms", e.key),
                )
                .help(format!(
                    "write each term as [{}.term-id] with a label per language",
                    e.key
                )),
            );
            continue;
        };
        for term in &terms.entries {
            if !is_slug(&term.key) {
                diags.push(
                    src.error(
                        term.key_span.clone(),
                        format!("term id `{}` is not a valid slug", term.key),
                    )
                    .help("term ids use lowercase ASCII letters, digits and `-`"),
                );
                continue;
            }
            let Some(labels_map) = term_labels(src, config, "term", &e.key, term, diags) else {
                continue;
            };
            target.insert(term.key.clone(), labels_map);
            v.spans
                .insert((vocabulary, term.key.clone()), term.key_span.clone());
        }
    }
    v
}

/// The labels of one term (or level), `[<table>.<term>]` with a label per language: reports a
/// term that is not a table (`None`), labels that are not strings, languages the site
/// does not have, and a term without any label.
fn term_labels(
    src: &Source,
    config: &Config,
    what: &str,
    table: &str,
    term: &crate::spanned::Entry,
    diags: &mut Vec<Diagnostic>,
) -> Option<LangMap> {
    let Value::Table(labels) = &term.node.value else {
        diags.push(
            src.error(
                term.node.span.clone(),
                format!(
                    "{what} `{}` must be a table of labels per language",
                    term.key
                ),
            )
            .help(format!(
                "write it like: [{}.{}] en = \"...\"",
                table, term.key
            )),
        );
        return None;
    };
    let mut raw = BTreeMap::new();
    for l in &labels.entries {
        match &l.node.value {
            Value::Str(s) => {
                raw.insert(
                    l.key.clone(),
                    Spanned {
                        value: s.clone(),
                        span: l.key_span.clone(),
                    },
                );
            }
            other => diags.push(
                src.error(
                    l.node.span.clone(),
                    format!(
                        "label `{}` must be a string, found {}",
                        l.key,
                        other.type_name()
                    ),
                )
                .help(format!("write it like: {} = \"...\"", l.key)),
            ),
        }
    }
    let labels_map = lang_map(src, config, raw, diags);
    if labels_map.is_empty() {
        diags.push(
            src.error(
                term.key_span.clone(),
                format!("{what} `{}` has no label", term.key),
            )
            .help(format!(
                "add a label, like: {} = \"...\"",
                config.default_language
            )),
        );
    }
    Some(labels_map)
}

/// The entries of an array of tables like `[[territory]]`, reporting anything else.
fn items<'a>(
    src: &'a Source,
    table: &'a Table,
    key: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'a Table> {
    let mut f = Fields::new(src, table, src.rel.as_str());
    let out = f.opt_tables(key, diags);
    f.finish(diags);
    out
}

fn territory_id(
    src: &Source,
    id: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<TerritoryId> {
    let parsed = TerritoryId::parse(&id.value);
    if parsed.is_none() {
        diags.push(
            src.error(
                id.span.clone(),
                format!(
                    "territory id `{}` may only use ASCII letters, digits and `-`",
                    id.value
                ),
            )
            .help("use a NUTS code where one exists, like \"FRJ15\""),
        );
    }
    parsed
}

/// A country code must be two capital letters (ISO 3166-1 alpha-2).
pub(crate) fn check_country(
    src: &Source,
    c: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let ok = c.value.len() == 2 && c.value.bytes().all(|b| b.is_ascii_uppercase());
    if !ok {
        diags.push(
            src.error(
                c.span.clone(),
                format!("`{}` is not an ISO 3166-1 alpha-2 country code", c.value),
            )
            .help(
                "use the two-letter ISO 3166-1 code, like \"HR\" for Croatia or \"FR\" for France",
            ),
        );
    }
    ok
}

/// The territories of territories.toml, and its levels (id → label per language).
pub(crate) fn territories(
    src: Option<&Source>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Territory>, BTreeMap<String, LangMap>) {
    let mut out: Vec<Territory> = Vec::new();
    let Some(src) = src else {
        return (out, BTreeMap::new());
    };
    let Some(table) = parse(src, &src.text, 0, diags) else {
        return (out, BTreeMap::new());
    };
    let mut f = Fields::new(src, &table, src.rel.as_str());
    let levels_entry = f.raw("levels");
    let list = f.opt_tables("territory", diags);
    f.finish(diags);
    let levels = levels_entry
        .map(|e| territory_levels(src, config, e, diags))
        .unwrap_or_default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for t in list {
        let mut f = Fields::new(src, t, "a [[territory]]");
        let id = f.req_text("id", "\"FRJ15\"", diags);
        let name = f
            .opt_lang_map("name", config.default_language.as_str(), diags)
            .map(|m| lang_map(src, config, m, diags))
            .unwrap_or_default();
        let country = f.req_text("country", "\"FR\"", diags);
        let level = f.opt_str("level", diags);
        f.finish(diags);
        let level = level.and_then(|l| match levels.get(&l.value) {
            Some(labels) => Some((l.value, labels.clone())),
            None => {
                diags.push(unknown_level(src, &l, &levels));
                None
            }
        });
        let Some(id) = id else { continue };
        let Some(tid) = territory_id(src, &id, diags) else {
            continue;
        };
        if name.is_empty() {
            diags.push(
                src.error(
                    t.span.clone(),
                    format!("territory `{}` has no name", id.value),
                )
                .help(format!(
                    "add: name = {{ {} = \"...\" }}",
                    config.default_language
                )),
            );
        }
        if let Some(&line) = seen.get(&id.value.to_lowercase()) {
            diags.push(
                src.error(
                    id.span.clone(),
                    format!(
                        "territory `{}` is defined twice (first on line {line})",
                        id.value
                    ),
                )
                .help("territory ids are unique, whatever their case"),
            );
            continue;
        }
        seen.insert(id.value.to_lowercase(), src.position(id.span.start).0);
        let country = country
            .filter(|c| check_country(src, c, diags))
            .map(|c| c.value)
            .unwrap_or_default();
        out.push(Territory {
            id: tid,
            name,
            country,
            level_labels: level.as_ref().map(|l| l.1.clone()).unwrap_or_default(),
            level: level.map(|l| l.0),
            span: id.span,
        });
    }
    (out, levels)
}

/// The levels of territories, `[levels.<id>]` with a label per language, as
/// vocabulary terms are written. Ids are written like territory ids (`NUTS3`,
/// `county`).
fn territory_levels(
    src: &Source,
    config: &Config,
    e: &crate::spanned::Entry,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, LangMap> {
    let mut out = BTreeMap::new();
    let Value::Table(levels) = &e.node.value else {
        diags.push(
            src.error(e.node.span.clone(), "`levels` must be a table of levels")
                .help("write each level as [levels.<id>] with a label per language, like: [levels.NUTS3] en = \"NUTS 3 region\""),
        );
        return out;
    };
    for level in &levels.entries {
        if TerritoryId::parse(&level.key).is_none() {
            diags.push(
                src.error(
                    level.key_span.clone(),
                    format!(
                        "level id `{}` may only use ASCII letters, digits and `-`",
                        level.key
                    ),
                )
                .help("write it like: [levels.NUTS3] or [levels.county]"),
            );
            continue;
        }
        if let Some(labels) = term_labels(src, config, "level", "levels", level, diags) {
            out.insert(level.key.clone(), labels);
        }
    }
    out
}

/// "unknown level", with the closest level (ignoring case first) and the known ones.
fn unknown_level(
    src: &Source,
    level: &Spanned<String>,
    levels: &BTreeMap<String, LangMap>,
) -> Diagnostic {
    let d = src.error(
        level.span.clone(),
        format!("unknown level `{}`", level.value),
    );
    let known: Vec<String> = levels.keys().map(|k| format!("`{k}`")).collect();
    let defined = match known.is_empty() {
        true => format!(
            "{} defines no level: add [levels.{}] with a label per language",
            src.rel,
            TerritoryId::parse(&level.value).map_or("<id>".into(), |_| level.value.clone())
        ),
        false => format!(
            "the levels defined under [levels.<id>] in {} are {}",
            src.rel,
            known.join(", ")
        ),
    };
    let near = levels
        .keys()
        .find(|k| k.eq_ignore_ascii_case(&level.value))
        .map(String::as_str)
        .or_else(|| closest(&level.value, levels.keys().map(String::as_str)));
    match near {
        Some(c) => d.help(format!("did you mean `{c}`? {defined}")),
        None => d.help(defined),
    }
}

pub(crate) fn indicators(
    src: Option<&Source>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Indicator> {
    let mut out: Vec<Indicator> = Vec::new();
    let Some(src) = src else { return out };
    let Some(table) = parse(src, &src.text, 0, diags) else {
        return out;
    };
    for t in items(src, &table, "indicator", diags) {
        let mut f = Fields::new(src, t, "an [[indicator]]");
        let id = f.req_text("id", "\"unemployment-rate\"", diags);
        let name = f
            .opt_lang_map("name", config.default_language.as_str(), diags)
            .map(|m| lang_map(src, config, m, diags))
            .unwrap_or_default();
        let unit = f.opt_str("unit", diags).map(|s| s.value);
        let decimals = f.opt_int("decimals", diags);
        let better = f.opt_str("better", diags);
        let source = f
            .opt_lang_map("source", config.default_language.as_str(), diags)
            .map(|m| lang_map(src, config, m, diags))
            .unwrap_or_default();
        let definition = f
            .opt_lang_map("definition", config.default_language.as_str(), diags)
            .map(|m| lang_map(src, config, m, diags))
            .unwrap_or_default();
        f.finish(diags);
        let Some(id) = id else { continue };
        let Some(iid) = IndicatorId::parse(&id.value) else {
            diags.push(
                src.error(
                    id.span.clone(),
                    format!("indicator id `{}` is not a valid slug", id.value),
                )
                .help("use lowercase ASCII letters, digits and `-`, like \"unemployment-rate\""),
            );
            continue;
        };
        if out.iter().any(|i| i.id == iid) {
            diags.push(
                src.error(
                    id.span.clone(),
                    format!("indicator `{}` is defined twice", id.value),
                )
                .help("indicator ids are unique"),
            );
            continue;
        }
        if name.is_empty() {
            diags.push(
                src.error(
                    t.span.clone(),
                    format!("indicator `{}` has no name", id.value),
                )
                .help(format!(
                    "add: name = {{ {} = \"...\" }}",
                    config.default_language
                )),
            );
        }
        let decimals = match decimals {
            Some(d) if (0..=6).contains(&d.value) => d.value as u8,
            Some(d) => {
                diags.push(
                    src.error(d.span, "`decimals` must be between 0 and 6")
                        .help("write it like: decimals = 1"),
                );
                0
            }
            None => 0,
        };
        let better = match better.as_ref().map(|b| b.value.as_str()) {
            None | Some("neutral") => Better::Neutral,
            Some("lower") => Better::Lower,
            Some("higher") => Better::Higher,
            Some(other) => {
                diags.push(
                    src.error(
                        better.as_ref().unwrap().span.clone(),
                        format!("unknown value `{other}` for `better`"),
                    )
                    .help("expected one of: lower, higher, neutral"),
                );
                Better::Neutral
            }
        };
        out.push(Indicator {
            id: iid,
            name,
            unit,
            decimals,
            better,
            source,
            definition,
        });
    }
    out
}

pub(crate) fn borders(
    src: Option<&Source>,
    config: &Config,
    territory_ids: &BTreeMap<TerritoryId, usize>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<BorderArea> {
    let mut out: Vec<BorderArea> = Vec::new();
    let Some(src) = src else { return out };
    let Some(table) = parse(src, &src.text, 0, diags) else {
        return out;
    };
    for t in items(src, &table, "border", diags) {
        let mut f = Fields::new(src, t, "a [[border]]");
        let id = f.req_text("id", "\"fr-es\"", diags);
        let name = f
            .opt_lang_map("name", config.default_language.as_str(), diags)
            .map(|m| lang_map(src, config, m, diags))
            .unwrap_or_default();
        let mut sides = Vec::new();
        let sides_entry = f.raw("sides");
        f.finish(diags);
        let Some(id) = id else { continue };
        let Some(bid) = Slug::parse(&id.value) else {
            diags.push(
                src.error(
                    id.span.clone(),
                    format!("border id `{}` is not a valid slug", id.value),
                )
                .help("use lowercase ASCII letters, digits and `-`, like \"fr-es\""),
            );
            continue;
        };
        if out.iter().any(|b| b.id == bid) {
            diags.push(
                src.error(
                    id.span.clone(),
                    format!("border `{}` is defined twice", id.value),
                )
                .help("border ids are unique"),
            );
            continue;
        }
        let sides_help =
            "write it like: sides = [[\"FRJ15\"], [\"ES512\"]], one list of territory ids per side";
        match sides_entry.map(|e| &e.node) {
            None => diags.push(
                src.error(
                    t.span.clone(),
                    format!("border `{}` has no `sides`", id.value),
                )
                .help(sides_help),
            ),
            Some(node) => match &node.value {
                Value::Array(list) if list.len() >= 2 => {
                    for side in list {
                        let Value::Array(ids) = &side.value else {
                            diags.push(
                                src.error(
                                    side.span.clone(),
                                    "each side must be a list of territory ids",
                                )
                                .help(sides_help),
                            );
                            continue;
                        };
                        let mut this = Vec::new();
                        for tid in ids {
                            match &tid.value {
                                Value::Str(s) => match territory_ids.get_key_value(s.as_str()) {
                                    Some((known, _)) => this.push(known.clone()),
                                    None => diags.push(unknown_territory(
                                        src,
                                        s,
                                        tid.span.clone(),
                                        territory_ids,
                                    )),
                                },
                                other => diags.push(
                                    src.error(
                                        tid.span.clone(),
                                        format!(
                                            "territory ids are strings, found {}",
                                            other.type_name()
                                        ),
                                    )
                                    .help(sides_help),
                                ),
                            }
                        }
                        sides.push(this);
                    }
                }
                _ => diags.push(
                    src.error(node.span.clone(), "`sides` must list at least two sides")
                        .help(sides_help),
                ),
            },
        }
        out.push(BorderArea {
            id: bid,
            name,
            sides,
        });
    }
    out
}

/// "unknown territory" with the closest id (ignoring case) as help.
pub(crate) fn unknown_territory(
    src: &Source,
    id: &str,
    span: std::ops::Range<usize>,
    territory_ids: &BTreeMap<TerritoryId, usize>,
) -> Diagnostic {
    let d = src.error(span, format!("unknown territory `{id}`"));
    if let Some(exact) = territory_ids.keys().find(|k| k.eq_ignore_ascii_case(id)) {
        return d.help(format!("did you mean `{exact}`? territory ids are written as in content/diagnostics/territories.toml"));
    }
    match closest(id, territory_ids.keys().map(|k| k.as_str())) {
        Some(c) => d.help(format!(
            "did you mean `{c}`? territories are defined in content/diagnostics/territories.toml"
        )),
        None => d.help("territories are defined in content/diagnostics/territories.toml"),
    }
}
