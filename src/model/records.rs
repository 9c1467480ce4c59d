//! Reading the front matter of one record file into its facts (with spans, so that
//! disagreements and bad references can be pointed at) and its text.

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::input::RecordFile;
use crate::spanned::{Fields, Spanned, Table};
use crate::types::{Date, Lang};

use super::facts::{List, Stated, facts};
use super::{
    Budget, Contact, Level, Location, OfficialName, PageText, PartnerText, PracticeText,
    ResultFact, SourceRef, Status,
};

facts! {
    /// The facts of a practice as one of its files states them.
    PracticeFacts => PracticeAgreed {
        status: Status,
        start: Date,
        end: Date,
        countries: List,
        territories: List,
        border: String,
        themes: List,
        target_groups: List,
        partners: List,
        budget: Budget,
        transferability: Level,
        results: Vec<ResultFact>,
    }
}

facts! {
    /// The facts of a partner as one of its files states them.
    PartnerFacts => PartnerAgreed {
        kind: String,
        country: String,
        territory: String,
        official_name: OfficialName,
        location: Location,
    }
}

facts! {
    /// The facts of a free page as one of its files states them.
    PageFacts => PageAgreed {
        menu: i64,
    }
}

/// `draft = true` in a file's front matter: this translation is not published by a
/// build without drafts (checked like any other file all the same).
fn draft(f: &mut Fields, diags: &mut Vec<Diagnostic>) -> bool {
    f.opt_bool("draft", diags).is_some_and(|d| d.value)
}

/// Whether a file says `draft = true`, without reporting anything (its reader does).
pub(crate) fn is_draft(file: &RecordFile) -> bool {
    file.front
        .get("draft")
        .is_some_and(|e| matches!(e.node.value, crate::spanned::Value::Bool(true)))
}

/// A list of ids, with the span of the whole list.
fn list(
    f: &mut Fields,
    file: &RecordFile,
    key: &'static str,
    example: &str,
    diags: &mut Vec<Diagnostic>,
) -> Stated<List> {
    f.opt_str_list(key, example, diags).map(|value| Spanned {
        value,
        span: span_of(&file.front, key),
    })
}

fn span_of(t: &Table, key: &str) -> Range<usize> {
    t.get(key)
        .map(|e| e.node.span.clone())
        .unwrap_or(t.span.start..t.span.start)
}

fn enum_field<T: Copy>(
    f: &mut Fields,
    key: &'static str,
    values: &[(&str, T)],
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<T>> {
    let s = f.opt_str(key, diags)?;
    match values.iter().find(|(name, _)| *name == s.value) {
        Some((_, v)) => Some(Spanned {
            value: *v,
            span: s.span,
        }),
        None => {
            let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
            let mut d = f
                .src
                .error(s.span.clone(), format!("unknown {key} `{}`", s.value));
            d = match crate::diagnostics::closest(&s.value.to_lowercase(), names.iter().copied()) {
                Some(c) => d.help(format!(
                    "did you mean `{c}`? expected one of: {}",
                    names.join(", ")
                )),
                None => d.help(format!("expected one of: {}", names.join(", "))),
            };
            diags.push(d);
            None
        }
    }
}

/// An http(s) or mailto address; anything else (javascript:, data:) is refused.
fn url_field(f: &mut Fields, key: &'static str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let s = f.opt_str(key, diags)?;
    check_url(f, &s, key, diags).then_some(s.value)
}

fn check_url(f: &Fields, s: &Spanned<String>, key: &str, diags: &mut Vec<Diagnostic>) -> bool {
    let v = s.value.trim();
    let ok = (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() > 8
        && !v.contains(char::is_whitespace);
    if !ok {
        diags.push(
            f.src
                .error(
                    s.span.clone(),
                    format!("`{key}` must be a web address starting with https:// or http://"),
                )
                .help(format!(
                    "write it like: {key} = \"https://example.org/project\""
                )),
        );
    }
    ok
}

pub(crate) fn practice(
    file: &RecordFile,
    diags: &mut Vec<Diagnostic>,
) -> (PracticeFacts, PracticeText) {
    let mut f = Fields::new(&file.src, &file.front, "a practice's front matter");
    let draft = draft(&mut f, diags);
    let title = f.req_text("title", "\"Social activation across the border\"", diags);
    let summary = f.opt_str("summary", diags).map(|s| s.value);
    let status = enum_field(
        &mut f,
        "status",
        &[
            ("planned", Status::Planned),
            ("ongoing", Status::Ongoing),
            ("completed", Status::Completed),
        ],
        diags,
    );
    let start = f.opt_date("start", diags);
    let end = f.opt_date("end", diags);
    if let (Some(s), Some(e)) = (&start, &end)
        && e.value < s.value
    {
        diags.push(
            file.src
                .error(
                    e.span.clone(),
                    format!(
                        "the practice ends ({}) before it starts ({})",
                        e.value, s.value
                    ),
                )
                .help("check the `start` and `end` dates"),
        );
    }
    let countries = list(&mut f, file, "countries", "[\"SI\", \"HR\"]", diags);
    let territories = list(&mut f, file, "territories", "[\"SI042\", \"HR031\"]", diags);
    let border = f.opt_str("border", diags);
    let themes = list(&mut f, file, "themes", "[\"employment\"]", diags);
    let target_groups = list(
        &mut f,
        file,
        "target_groups",
        "[\"long-term-unemployed\"]",
        diags,
    );
    let partners = list(
        &mut f,
        file,
        "partners",
        "[\"lead-partner-slug\", \"other-partner\"]",
        diags,
    );
    let programme = f.opt_str("programme", diags).map(|s| s.value);
    let website = url_field(&mut f, "website", diags);

    let budget = f.opt_table("budget", "{ amount = 1250000, currency = \"EUR\" }", diags).and_then(|t| {
        let mut bf = Fields::new(&file.src, t, "budget");
        let amount = bf.opt_number("amount", diags);
        let currency = bf.opt_str("currency", diags);
        bf.finish(diags);
        if let Some(c) = &currency
            && !(c.value.len() == 3 && c.value.bytes().all(|b| b.is_ascii_uppercase()))
        {
            diags.push(file.src.error(c.span.clone(), format!("`{}` is not an ISO 4217 currency code", c.value)).help("use three capital letters, like \"EUR\""));
        }
        match (amount, currency) {
            (Some(a), Some(c)) => Some(Spanned { value: Budget { amount: a.value, currency: c.value }, span: span_of(&file.front, "budget") }),
            (a, c) => {
                if a.is_none() && t.get("amount").is_none() || c.is_none() && t.get("currency").is_none() {
                    diags.push(file.src.error(span_of(&file.front, "budget"), "a budget needs an `amount` and a `currency`").help("write it like: budget = { amount = 1250000, currency = \"EUR\" }"));
                }
                None
            }
        }
    });
    let transferability = enum_field(
        &mut f,
        "transferability",
        &[
            ("low", Level::Low),
            ("medium", Level::Medium),
            ("high", Level::High),
        ],
        diags,
    );
    let contact = f
        .opt_table(
            "contact",
            "{ name = \"Project office\", email = \"office@example.org\" }",
            diags,
        )
        .map(|t| {
            let mut cf = Fields::new(&file.src, t, "contact");
            let name = cf.opt_str("name", diags).map(|s| s.value);
            let email = cf.opt_str("email", diags).and_then(|e| {
                let v = e.value.trim();
                let ok = v.split_once('@').is_some_and(|(a, b)| {
                    !a.is_empty() && b.contains('.') && !v.contains(char::is_whitespace)
                });
                if !ok {
                    diags.push(
                        file.src
                            .error(
                                e.span.clone(),
                                format!("`{}` is not an email address", e.value),
                            )
                            .help("write it like: email = \"office@example.org\""),
                    );
                }
                ok.then(|| v.to_string())
            });
            cf.finish(diags);
            Contact { name, email }
        });

    let results_key = file.front.get("results").map(|e| e.node.span.clone());
    let result_tables = f.opt_tables("results", diags);
    let mut labels = Vec::new();
    let mut facts = Vec::new();
    for t in &result_tables {
        let mut rf = Fields::new(&file.src, t, "a [[results]] entry");
        let label = rf.req_text("label", "\"Staff trained in social activation\"", diags);
        let value = rf.opt_number("value", diags);
        if t.get("value").is_none() {
            diags.push(
                file.src
                    .error(t.span.clone(), "a result needs a `value`")
                    .help("write it like: value = 160"),
            );
        }
        let unit = rf.opt_str("unit", diags).map(|s| s.value);
        rf.finish(diags);
        labels.push(label.map(|l| l.value).unwrap_or_default());
        facts.push(ResultFact {
            value: value.map(|v| v.value).unwrap_or(f64::NAN),
            unit,
        });
    }
    let results = results_key.map(|span| Spanned { value: facts, span });

    let mut sources = Vec::new();
    for t in f.opt_tables("sources", diags) {
        let mut sf = Fields::new(&file.src, t, "a [[sources]] entry");
        let stitle = sf.req_text("title", "\"Project description\"", diags);
        let url = url_field(&mut sf, "url", diags);
        sf.finish(diags);
        if let Some(t) = stitle {
            sources.push(SourceRef {
                title: t.value,
                url,
            });
        }
    }
    f.finish(diags);

    let text = PracticeText {
        title: title
            .map(|t| t.value)
            .unwrap_or_else(|| file.slug.to_string()),
        summary,
        programme,
        website,
        contact,
        result_labels: labels,
        sources,
        // Given at the end of `resolve`, once every link is checked (see `bodies`).
        body: String::new(),
        file: file.src.rel.clone(),
        draft,
    };
    let facts = PracticeFacts {
        status,
        start,
        end,
        countries,
        territories,
        border,
        themes,
        target_groups,
        partners,
        budget,
        transferability,
        results,
    };
    (facts, text)
}

pub(crate) fn partner(
    file: &RecordFile,
    diags: &mut Vec<Diagnostic>,
) -> (PartnerFacts, PartnerText) {
    let mut f = Fields::new(&file.src, &file.front, "a partner's front matter");
    let draft = draft(&mut f, diags);
    let name = f.req_text("name", "\"Regional Institute of Social Work\"", diags);
    let short_name = f.opt_str("short_name", diags).map(|s| s.value);
    let kind = f.opt_str("kind", diags);
    let country = f.opt_str("country", diags);
    let territory = f.opt_str("territory", diags);
    let city = f.opt_str("city", diags).map(|s| s.value);
    let website = url_field(&mut f, "website", diags);
    let official_name = official_name(&mut f, file, diags);
    let location = location(&mut f, file, diags);
    f.finish(diags);
    let text = PartnerText {
        name: name
            .map(|n| n.value)
            .unwrap_or_else(|| file.slug.to_string()),
        short_name,
        city,
        website,
        // Given at the end of `resolve`, once every link is checked (see `bodies`).
        body: String::new(),
        file: file.src.rel.clone(),
        draft,
    };
    (
        PartnerFacts {
            kind,
            country,
            territory,
            official_name,
            location,
        },
        text,
    )
}

/// `location = { lat = 42.70, lon = 2.89 }`: where the organisation is, in degrees
/// (WGS 84), for maps; a city's coordinates are enough.
fn location(f: &mut Fields, file: &RecordFile, diags: &mut Vec<Diagnostic>) -> Stated<Location> {
    const EXAMPLE: &str = "location = { lat = 42.70, lon = 2.89 }";
    let entry = f.raw("location")?;
    let span = entry.node.span.clone();
    let crate::spanned::Value::Table(t) = &entry.node.value else {
        diags.push(
            file.src
                .error(
                    span,
                    format!(
                        "`location` must be a table of `lat` and `lon`, found {}",
                        entry.node.value.type_name()
                    ),
                )
                .help(format!(
                    "write the latitude and longitude in degrees: {EXAMPLE}"
                )),
        );
        return None;
    };
    let mut at = |key: &str, limit: f64| -> Option<f64> {
        let Some(e) = t.get(key) else {
            diags.push(
                file.src
                    .error(span.clone(), format!("`location` has no `{key}`"))
                    .help(format!("write both, in degrees: {EXAMPLE}")),
            );
            return None;
        };
        let value = match &e.node.value {
            crate::spanned::Value::Int(n) => *n as f64,
            crate::spanned::Value::Float(x) if x.is_finite() => *x,
            other => {
                diags.push(
                    file.src
                        .error(
                            e.node.span.clone(),
                            match other {
                                crate::spanned::Value::Float(x) => {
                                    format!("`location.{key}` must be a finite number, found {x}")
                                }
                                _ => format!(
                                    "`location.{key}` must be a number, found {}",
                                    other.type_name()
                                ),
                            },
                        )
                        .help(format!("write it in degrees, without quotes: {EXAMPLE}")),
                );
                return None;
            }
        };
        if value.abs() > limit {
            let what = if key == "lat" {
                "latitude"
            } else {
                "longitude"
            };
            diags.push(
                file.src
                    .error(
                        e.node.span.clone(),
                        format!("{what} {value} is outside -{limit} to {limit}"),
                    )
                    .help(format!(
                        "write degrees (WGS 84), as a map application gives them: {EXAMPLE}; are `lat` and `lon` swapped?"
                    )),
            );
            return None;
        }
        Some(value)
    };
    let lat = at("lat", 90.0);
    let lon = at("lon", 180.0);
    for e in &t.entries {
        if e.key != "lat" && e.key != "lon" {
            diags.push(
                file.src
                    .error(
                        e.key_span.clone(),
                        format!("unknown field `location.{}`", e.key),
                    )
                    .help(format!("a location has `lat` and `lon`: {EXAMPLE}")),
            );
        }
    }
    Some(Spanned {
        value: Location {
            lat: lat?,
            lon: lon?,
        },
        span,
    })
}

/// `official_name = { ro = "Asociația CRIES" }`: the organisation's one official name,
/// keyed by the BCP 47 code of the language it is written in.
fn official_name(
    f: &mut Fields,
    file: &RecordFile,
    diags: &mut Vec<Diagnostic>,
) -> Stated<OfficialName> {
    const EXAMPLE: &str = "official_name = { ro = \"Asociația CRIES\" }";
    let entry = f.raw("official_name")?;
    let span = entry.node.span.clone();
    let crate::spanned::Value::Table(t) = &entry.node.value else {
        diags.push(
            file.src
                .error(
                    span,
                    format!(
                        "`official_name` must be a table of one language and the name, found {}",
                        entry.node.value.type_name()
                    ),
                )
                .help(format!(
                    "write the official name with the code of its language: {EXAMPLE}"
                )),
        );
        return None;
    };
    if t.entries.len() != 1 {
        diags.push(
            file.src
                .error(
                    span,
                    format!(
                        "`official_name` names {} languages; an organisation has one official name",
                        t.entries.len()
                    ),
                )
                .help(format!(
                    "write the name in the language it is registered in, like {EXAMPLE}; each translation's `name` is its translation"
                )),
        );
        return None;
    }
    let e = &t.entries[0];
    let lang = Lang::parse(&e.key);
    if lang.is_none() {
        let d = file.src.error(
            e.key_span.clone(),
            format!("`{}` is not a BCP 47 language code", e.key),
        );
        diags.push(match Lang::normalize(&e.key) {
            Some(n) => d.help(format!(
                "did you mean `{n}`? the key is the code of the name's language, like {EXAMPLE}"
            )),
            None => d.help(format!(
                "the key is the code of the name's language, like {EXAMPLE}"
            )),
        });
    }
    let name = match &e.node.value {
        crate::spanned::Value::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        crate::spanned::Value::Str(_) => {
            diags.push(
                file.src
                    .error(e.node.span.clone(), "the official name is empty")
                    .help(format!(
                        "write the name, like {EXAMPLE}, or leave `official_name` out"
                    )),
            );
            None
        }
        other => {
            diags.push(
                file.src
                    .error(
                        e.node.span.clone(),
                        format!(
                            "`official_name.{}` must be a string, found {}",
                            e.key,
                            other.type_name()
                        ),
                    )
                    .help(format!("write it like: {EXAMPLE}")),
            );
            None
        }
    };
    Some(Spanned {
        value: OfficialName {
            lang: lang?,
            name: name?,
        },
        span,
    })
}

pub(crate) fn page(file: &RecordFile, diags: &mut Vec<Diagnostic>) -> (PageFacts, PageText) {
    let mut f = Fields::new(&file.src, &file.front, "a page's front matter");
    let draft = draft(&mut f, diags);
    let title = f.req_text("title", "\"About the observatory\"", diags);
    let summary = f.opt_str("summary", diags).map(|s| s.value);
    let menu = f.opt_int("menu", diags);
    let updated = f.opt_date("updated", diags).map(|d| d.value);
    f.finish(diags);
    let text = PageText {
        title: title
            .map(|t| t.value)
            .unwrap_or_else(|| file.slug.to_string()),
        summary,
        updated,
        // Given at the end of `resolve`, once every link is checked (see `bodies`).
        body: String::new(),
        file: file.src.rel.clone(),
        draft,
    };
    (PageFacts { menu }, text)
}
