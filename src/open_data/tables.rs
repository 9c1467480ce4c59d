//! The site graph as the tables of the open data. One table per kind of record with its
//! facts (shared by all translations), and beside it a `*-texts` table with one row per
//! language the content writes the record in: text fields as that translation writes
//! them (empty when it leaves one to another language) and the address of the record's
//! page in that language. Records are sorted by id, their languages in the site's
//! order; ids are written as the content writes them.

use std::collections::BTreeMap;

use super::{Cell, Field, ForeignKey, Kind, LIST_SEPARATOR, Table};
use crate::model::{Better, LangMap, Site, Status};
use crate::routes::{Facet, Route, Routes};
use crate::types::Lang;

/// Every table, in the order of [`super::RESOURCES`].
pub(crate) fn all(site: &Site, routes: &Routes) -> Vec<Table> {
    let ctx = Ctx { site, routes };
    vec![
        ctx.practices(),
        ctx.practice_texts(),
        ctx.practice_results(),
        ctx.practice_result_labels(),
        ctx.practice_sources(),
        ctx.partners(),
        ctx.partner_texts(),
        ctx.territories(),
        ctx.territory_texts(),
        ctx.indicators(),
        ctx.indicator_texts(),
        ctx.borders(),
        ctx.border_sides(),
        ctx.border_texts(),
        ctx.observations(),
        ctx.terms(),
    ]
}

struct Ctx<'a> {
    site: &'a Site,
    routes: &'a Routes,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text<S: ToString>(s: Option<S>) -> Cell {
    s.map_or(Cell::Null, |s| Cell::Text(s.to_string()))
}

fn list<S: ToString>(items: impl IntoIterator<Item = S>) -> Cell {
    Cell::List(items.into_iter().map(|s| s.to_string()).collect())
}

fn int(n: impl Into<i64>) -> Cell {
    Cell::Integer(n.into())
}

/// `fields` of a row hold the `reference` columns of a row of `resource`.
fn fk(fields: &[&'static str], resource: &'static str, reference: &[&'static str]) -> ForeignKey {
    ForeignKey {
        fields: fields.to_vec(),
        resource,
        reference: reference.to_vec(),
    }
}

/// The column of a record's id in its own table.
fn id(what: &str) -> Field {
    Field::new(
        "id",
        Kind::Text,
        format!("The {what}'s id, as the content writes it."),
    )
    .required()
}

/// The column of a `*-texts` table that names its record.
fn record(name: &'static str, table: &str) -> Field {
    Field::new(
        name,
        Kind::Text,
        format!("The id of the record in {table}.csv."),
    )
    .required()
}

/// The description of a column of ids joined in one cell.
fn joined(what: &str, rest: &str) -> String {
    format!("{what}, joined by `{LIST_SEPARATOR}`{rest}")
}

fn url(what: &str) -> Field {
    Field::new(
        "url",
        Kind::Url,
        format!("The address of the {what}'s page in this language."),
    )
    .required()
}

impl Ctx<'_> {
    fn lang(&self) -> Field {
        Field::new(
            "lang",
            Kind::Text,
            "The language of the texts of this row (BCP 47 code).",
        )
        .required()
        .one_of(&self.site.config.languages)
    }

    /// The languages of `texts` in the site's order.
    fn langs<'m, T>(&self, texts: &'m BTreeMap<Lang, T>) -> Vec<(&'m Lang, &'m T)> {
        self.site
            .config
            .languages
            .iter()
            .filter_map(|l| texts.get_key_value(l))
            .collect()
    }

    /// The languages any of `maps` has a text in, in the site's order.
    fn langs_of(&self, maps: &[&LangMap]) -> Vec<&Lang> {
        self.site
            .config
            .languages
            .iter()
            .filter(|l| maps.iter().any(|m| m.contains_key(*l)))
            .collect()
    }

    /// The absolute address of a page in `lang`; every record has a page in every
    /// language of the site (shown from a fallback where it is not written).
    fn page(&self, lang: &Lang, route: Route) -> Cell {
        text(self.routes.absolute(&self.routes.url(lang, route)))
    }

    fn practices(&self) -> Table {
        let rows = sorted(&self.site.practices, |p| p.slug.as_str())
            .into_iter()
            .map(|p| {
                vec![
                    text(p.slug.as_str()),
                    text(p.status.as_str()),
                    opt_text(p.start),
                    opt_text(p.end),
                    list(&p.countries),
                    list(&p.territories),
                    opt_text(p.border.as_ref()),
                    list(&p.themes),
                    list(&p.target_groups),
                    list(&p.partners),
                    opt_text(p.partners.first()),
                    p.budget
                        .as_ref()
                        .map_or(Cell::Null, |b| Cell::Number(b.amount)),
                    opt_text(p.budget.as_ref().map(|b| &b.currency)),
                    opt_text(p.transferability.map(|t| t.as_str())),
                    list(self.langs(&p.texts).into_iter().map(|(l, _)| l)),
                ]
            })
            .collect();
        Table {
            name: "practices",
            title: "Good practices",
            description: "One row per good practice: the facts all its translations share. \
                Its texts are in practice-texts, its quantified results in practice-results.",
            fields: vec![
                id("practice"),
                Field::new("status", Kind::Text, "Where the practice stands.")
                    .required()
                    .one_of(Status::ALL.iter().map(|s| s.as_str())),
                Field::new("start", Kind::Date, "The day it started (or starts)."),
                Field::new("end", Kind::Date, "The day it ended (or ends)."),
                Field::new(
                    "countries",
                    Kind::List,
                    joined("Where it works: ISO 3166-1 alpha-2 codes", "."),
                ),
                Field::new(
                    "territories",
                    Kind::List,
                    joined("Where it works: ids of territories.csv", "."),
                ),
                Field::new(
                    "border",
                    Kind::Text,
                    "The cross-border area: an id of borders.csv.",
                ),
                Field::new(
                    "themes",
                    Kind::List,
                    joined("Themes: ids of the `themes` vocabulary (terms.csv)", "."),
                ),
                Field::new(
                    "target_groups",
                    Kind::List,
                    joined(
                        "Who it is for: ids of the `target_groups` vocabulary (terms.csv)",
                        ".",
                    ),
                ),
                Field::new(
                    "partners",
                    Kind::List,
                    joined("Ids of partners.csv", ", the lead partner first."),
                ),
                Field::new(
                    "lead_partner",
                    Kind::Text,
                    "The lead partner (the first of `partners`): an id of partners.csv.",
                ),
                Field::new(
                    "budget_amount",
                    Kind::Number,
                    "The budget, in `budget_currency`.",
                ),
                Field::new(
                    "budget_currency",
                    Kind::Text,
                    "The currency of the budget (ISO 4217 code).",
                ),
                Field::new(
                    "transferability",
                    Kind::Text,
                    "How easily it can be repeated elsewhere, as its editors judge it.",
                )
                .one_of(["low", "medium", "high"]),
                Field::new(
                    "languages",
                    Kind::List,
                    joined(
                        "The languages it is written in (rows of practice-texts)",
                        ".",
                    ),
                ),
            ],
            primary_key: vec!["id"],
            foreign_keys: vec![
                fk(&["border"], "borders", &["id"]),
                fk(&["lead_partner"], "partners", &["id"]),
            ],
            rows,
        }
    }

    fn practice_texts(&self) -> Table {
        let mut rows = Vec::new();
        for p in sorted(&self.site.practices, |p| p.slug.as_str()) {
            for (lang, t) in self.langs(&p.texts) {
                let contact = t.contact.as_ref();
                rows.push(vec![
                    text(p.slug.as_str()),
                    text(lang.as_str()),
                    text(&t.title),
                    opt_text(t.summary.as_ref()),
                    opt_text(t.programme.as_ref()),
                    opt_text(t.website.as_ref()),
                    opt_text(contact.and_then(|c| c.name.as_ref())),
                    opt_text(contact.and_then(|c| c.email.as_ref())),
                    self.page(lang, Route::Practice(&p.slug)),
                ]);
            }
        }
        Table {
            name: "practice-texts",
            title: "Good practices: texts per language",
            description: "One row per practice and language it is written in. A text \
                field is empty when that translation leaves it to another language. The \
                full description is on the page at `url`.",
            fields: vec![
                record("practice", "practices"),
                self.lang(),
                Field::new("title", Kind::Text, "The title, as plain text.").required(),
                Field::new("summary", Kind::Text, "A sentence or two on the practice."),
                Field::new("programme", Kind::Text, "The funding programme."),
                Field::new("website", Kind::Text, "The practice's own web address."),
                Field::new("contact_name", Kind::Text, "Whom to contact."),
                Field::new("contact_email", Kind::Text, "The contact's e-mail address."),
                url("practice"),
            ],
            primary_key: vec!["practice", "lang"],
            foreign_keys: vec![fk(&["practice"], "practices", &["id"])],
            rows,
        }
    }

    fn practice_results(&self) -> Table {
        let mut rows = Vec::new();
        for p in sorted(&self.site.practices, |p| p.slug.as_str()) {
            for (i, r) in p.results.iter().enumerate() {
                rows.push(vec![
                    text(p.slug.as_str()),
                    Cell::Integer(i as i64 + 1),
                    Cell::Number(r.value),
                    opt_text(r.unit.as_ref()),
                ]);
            }
        }
        Table {
            name: "practice-results",
            title: "Good practices: quantified results",
            description: "One row per quantified result of a practice, in the order the \
                practice lists them. What each result counts is in practice-result-labels.",
            fields: vec![
                record("practice", "practices"),
                Field::new(
                    "result",
                    Kind::Integer,
                    "The result's place in the practice's list, from 1.",
                )
                .required(),
                Field::new("value", Kind::Number, "The value reached (or aimed at).").required(),
                Field::new("unit", Kind::Text, "What the value counts, like `people`."),
            ],
            primary_key: vec!["practice", "result"],
            foreign_keys: vec![fk(&["practice"], "practices", &["id"])],
            rows,
        }
    }

    fn practice_result_labels(&self) -> Table {
        let mut rows = Vec::new();
        for p in sorted(&self.site.practices, |p| p.slug.as_str()) {
            for i in 0..p.results.len() {
                for (lang, t) in self.langs(&p.texts) {
                    if let Some(label) = t.result_labels.get(i) {
                        rows.push(vec![
                            text(p.slug.as_str()),
                            Cell::Integer(i as i64 + 1),
                            text(lang.as_str()),
                            text(label),
                        ]);
                    }
                }
            }
        }
        Table {
            name: "practice-result-labels",
            title: "Good practices: what each result counts, per language",
            description: "One row per result of a practice and language that labels it.",
            fields: vec![
                record("practice", "practices"),
                Field::new(
                    "result",
                    Kind::Integer,
                    "The result, as in practice-results.",
                )
                .required(),
                self.lang(),
                Field::new(
                    "label",
                    Kind::Text,
                    "What the result counts, as plain text.",
                )
                .required(),
            ],
            primary_key: vec!["practice", "result", "lang"],
            foreign_keys: vec![
                fk(
                    &["practice", "result"],
                    "practice-results",
                    &["practice", "result"],
                ),
                fk(
                    &["practice", "lang"],
                    "practice-texts",
                    &["practice", "lang"],
                ),
            ],
            rows,
        }
    }

    fn practice_sources(&self) -> Table {
        let mut rows = Vec::new();
        for p in sorted(&self.site.practices, |p| p.slug.as_str()) {
            for (lang, t) in self.langs(&p.texts) {
                for (i, s) in t.sources.iter().enumerate() {
                    rows.push(vec![
                        text(p.slug.as_str()),
                        text(lang.as_str()),
                        Cell::Integer(i as i64 + 1),
                        text(&s.title),
                        opt_text(s.url.as_ref()),
                    ]);
                }
            }
        }
        Table {
            name: "practice-sources",
            title: "Good practices: sources, per language",
            description: "Where the facts of a practice come from, as each translation \
                lists them, in their order.",
            fields: vec![
                record("practice", "practices"),
                self.lang(),
                Field::new(
                    "source",
                    Kind::Integer,
                    "The source's place in the translation's list, from 1.",
                )
                .required(),
                Field::new("title", Kind::Text, "The source's title.").required(),
                Field::new("url", Kind::Text, "The source's web address."),
            ],
            primary_key: vec!["practice", "lang", "source"],
            foreign_keys: vec![fk(
                &["practice", "lang"],
                "practice-texts",
                &["practice", "lang"],
            )],
            rows,
        }
    }

    fn partners(&self) -> Table {
        let rows = sorted(&self.site.partners, |p| p.slug.as_str())
            .into_iter()
            .map(|p| {
                vec![
                    text(p.slug.as_str()),
                    text(&p.kind),
                    text(&p.country),
                    opt_text(p.territory.as_ref()),
                    list(self.langs(&p.texts).into_iter().map(|(l, _)| l)),
                ]
            })
            .collect();
        Table {
            name: "partners",
            title: "Partners",
            description: "One row per partner organisation. Its names are in partner-texts; \
                the practices it takes part in list it in practices.csv.",
            fields: vec![
                id("partner"),
                Field::new(
                    "kind",
                    Kind::Text,
                    "What kind of organisation: an id of the `partner_kinds` vocabulary (terms.csv).",
                )
                .required(),
                Field::new(
                    "country",
                    Kind::Text,
                    "Its country (ISO 3166-1 alpha-2 code).",
                )
                .required(),
                Field::new("territory", Kind::Text, "Where it works: an id of territories.csv."),
                Field::new(
                    "languages",
                    Kind::List,
                    joined("The languages it is written in (rows of partner-texts)", "."),
                ),
            ],
            primary_key: vec!["id"],
            foreign_keys: vec![fk(&["territory"], "territories", &["id"])],
            rows,
        }
    }

    fn partner_texts(&self) -> Table {
        let mut rows = Vec::new();
        for p in sorted(&self.site.partners, |p| p.slug.as_str()) {
            for (lang, t) in self.langs(&p.texts) {
                rows.push(vec![
                    text(p.slug.as_str()),
                    text(lang.as_str()),
                    text(&t.name),
                    opt_text(t.short_name.as_ref()),
                    opt_text(t.city.as_ref()),
                    opt_text(t.website.as_ref()),
                    self.page(lang, Route::Partner(&p.slug)),
                ]);
            }
        }
        Table {
            name: "partner-texts",
            title: "Partners: texts per language",
            description: "One row per partner and language it is written in. A text field \
                is empty when that translation leaves it to another language.",
            fields: vec![
                record("partner", "partners"),
                self.lang(),
                Field::new("name", Kind::Text, "The organisation's name.").required(),
                Field::new("short_name", Kind::Text, "A shorter name or acronym."),
                Field::new("city", Kind::Text, "The city it is based in."),
                Field::new("website", Kind::Text, "Its web address."),
                url("partner"),
            ],
            primary_key: vec!["partner", "lang"],
            foreign_keys: vec![fk(&["partner"], "partners", &["id"])],
            rows,
        }
    }

    fn territories(&self) -> Table {
        let rows = sorted(&self.site.territories, |t| t.id.as_str())
            .into_iter()
            .map(|t| {
                vec![
                    text(t.id.as_str()),
                    text(&t.country),
                    opt_text(t.level.as_ref()),
                ]
            })
            .collect();
        Table {
            name: "territories",
            title: "Territories",
            description: "The territories statistics are published for. Their names are \
                in territory-texts, their values in observations.",
            fields: vec![
                Field::new(
                    "id",
                    Kind::Text,
                    "The territory's id: a NUTS code where one exists.",
                )
                .required(),
                Field::new(
                    "country",
                    Kind::Text,
                    "Its country (ISO 3166-1 alpha-2 code).",
                )
                .required(),
                Field::new(
                    "level",
                    Kind::Text,
                    "What kind of territory: NUTS2, NUTS3, municipality...",
                ),
            ],
            primary_key: vec!["id"],
            foreign_keys: vec![],
            rows,
        }
    }

    fn territory_texts(&self) -> Table {
        let mut rows = Vec::new();
        for t in sorted(&self.site.territories, |t| t.id.as_str()) {
            for (lang, name) in self.langs(&t.name) {
                rows.push(vec![
                    text(t.id.as_str()),
                    text(lang.as_str()),
                    text(name),
                    self.page(lang, Route::Territory(&t.id)),
                ]);
            }
        }
        Table {
            name: "territory-texts",
            title: "Territories: names per language",
            description: "One row per territory and language its name is given in.",
            fields: vec![
                record("territory", "territories"),
                self.lang(),
                Field::new("name", Kind::Text, "The territory's name.").required(),
                url("territory"),
            ],
            primary_key: vec!["territory", "lang"],
            foreign_keys: vec![fk(&["territory"], "territories", &["id"])],
            rows,
        }
    }

    fn indicators(&self) -> Table {
        let rows = sorted(&self.site.indicators, |i| i.id.as_str())
            .into_iter()
            .map(|i| {
                vec![
                    text(i.id.as_str()),
                    opt_text(i.unit.as_ref()),
                    int(i.decimals),
                    text(match i.better {
                        Better::Lower => "lower",
                        Better::Higher => "higher",
                        Better::Neutral => "neutral",
                    }),
                ]
            })
            .collect();
        Table {
            name: "indicators",
            title: "Indicators",
            description: "What is measured. Names, definitions and sources are in \
                indicator-texts, the values in observations.",
            fields: vec![
                id("indicator"),
                Field::new(
                    "unit",
                    Kind::Text,
                    "The unit values are given in, like `%`.",
                ),
                Field::new(
                    "decimals",
                    Kind::Integer,
                    "How many decimals the site shows values with.",
                )
                .required(),
                Field::new(
                    "better",
                    Kind::Text,
                    "Which way is good news when two values are compared.",
                )
                .required()
                .one_of(["lower", "higher", "neutral"]),
            ],
            primary_key: vec!["id"],
            foreign_keys: vec![],
            rows,
        }
    }

    fn indicator_texts(&self) -> Table {
        let mut rows = Vec::new();
        for i in sorted(&self.site.indicators, |i| i.id.as_str()) {
            for lang in self.langs_of(&[&i.name, &i.definition, &i.source]) {
                rows.push(vec![
                    text(i.id.as_str()),
                    text(lang.as_str()),
                    opt_text(i.name.get(lang)),
                    opt_text(i.definition.get(lang)),
                    opt_text(i.source.get(lang)),
                    self.page(lang, Route::Indicator(&i.id)),
                ]);
            }
        }
        Table {
            name: "indicator-texts",
            title: "Indicators: texts per language",
            description: "One row per indicator and language any of its texts is given in; \
                a text not given in that language is empty.",
            fields: vec![
                record("indicator", "indicators"),
                self.lang(),
                Field::new("name", Kind::Text, "The indicator's name."),
                Field::new("definition", Kind::Text, "What is measured."),
                Field::new("source", Kind::Text, "Where the values come from."),
                url("indicator"),
            ],
            primary_key: vec!["indicator", "lang"],
            foreign_keys: vec![fk(&["indicator"], "indicators", &["id"])],
            rows,
        }
    }

    fn borders(&self) -> Table {
        let rows = sorted(&self.site.borders, |b| b.id.as_str())
            .into_iter()
            .map(|b| {
                let mut all = Vec::new();
                for t in b.sides.iter().flatten() {
                    if !all.contains(&t) {
                        all.push(t);
                    }
                }
                vec![text(b.id.as_str()), int(b.sides.len() as i64), list(all)]
            })
            .collect();
        Table {
            name: "borders",
            title: "Cross-border areas",
            description: "The cross-border areas: which territories face each other. \
                Which side each territory is on is in border-sides, names in border-texts.",
            fields: vec![
                id("area"),
                Field::new("sides", Kind::Integer, "How many sides face each other.").required(),
                Field::new(
                    "territories",
                    Kind::List,
                    joined(
                        "Every territory of every side, side after side: ids of territories.csv",
                        ".",
                    ),
                ),
            ],
            primary_key: vec!["id"],
            foreign_keys: vec![],
            rows,
        }
    }

    fn border_sides(&self) -> Table {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for b in sorted(&self.site.borders, |b| b.id.as_str()) {
            for (i, side) in b.sides.iter().enumerate() {
                let mut seen = Vec::new();
                for t in side {
                    // A territory written twice on one side is one row (its key).
                    if seen.contains(&t) {
                        continue;
                    }
                    seen.push(t);
                    rows.push(vec![
                        text(b.id.as_str()),
                        Cell::Integer(i as i64 + 1),
                        text(t.as_str()),
                    ]);
                }
            }
        }
        Table {
            name: "border-sides",
            title: "Cross-border areas: the territories of each side",
            description: "One row per territory of each side of a cross-border area, \
                sides numbered from 1 in the order the content lists them.",
            fields: vec![
                record("border", "borders"),
                Field::new("side", Kind::Integer, "The side, from 1.").required(),
                Field::new("territory", Kind::Text, "An id of territories.csv.").required(),
            ],
            primary_key: vec!["border", "side", "territory"],
            foreign_keys: vec![
                fk(&["border"], "borders", &["id"]),
                fk(&["territory"], "territories", &["id"]),
            ],
            rows,
        }
    }

    fn border_texts(&self) -> Table {
        let mut rows = Vec::new();
        for b in sorted(&self.site.borders, |b| b.id.as_str()) {
            for (lang, name) in self.langs(&b.name) {
                rows.push(vec![
                    text(b.id.as_str()),
                    text(lang.as_str()),
                    text(name),
                    self.page(lang, Route::Term(Facet::Border, &b.id)),
                ]);
            }
        }
        Table {
            name: "border-texts",
            title: "Cross-border areas: names per language",
            description: "One row per cross-border area and language its name is given in.",
            fields: vec![
                record("border", "borders"),
                self.lang(),
                Field::new("name", Kind::Text, "The area's name.").required(),
                url("area"),
            ],
            primary_key: vec!["border", "lang"],
            foreign_keys: vec![fk(&["border"], "borders", &["id"])],
            rows,
        }
    }

    fn observations(&self) -> Table {
        let mut obs: Vec<_> = self.site.observations.iter().collect();
        obs.sort_by(|a, b| {
            (a.territory.as_str(), a.indicator.as_str(), a.year).cmp(&(
                b.territory.as_str(),
                b.indicator.as_str(),
                b.year,
            ))
        });
        let rows = obs
            .into_iter()
            .map(|o| {
                vec![
                    text(o.territory.as_str()),
                    text(o.indicator.as_str()),
                    int(o.year),
                    o.value.map_or(Cell::Null, Cell::Number),
                    opt_text(o.note.as_ref()),
                ]
            })
            .collect();
        Table {
            name: "observations",
            title: "Observations",
            description: "One value of an indicator for a territory and a year. An empty \
                value means not available (never 0); the note says why, or qualifies the \
                value (provisional...).",
            fields: vec![
                Field::new("territory", Kind::Text, "An id of territories.csv.").required(),
                Field::new("indicator", Kind::Text, "An id of indicators.csv.").required(),
                Field::new("year", Kind::Integer, "The year the value is for.").required(),
                Field::new(
                    "value",
                    Kind::Number,
                    "The value, in the indicator's unit; empty when not available.",
                ),
                Field::new(
                    "note",
                    Kind::Text,
                    "A note on the value, as the source gives it.",
                ),
            ],
            primary_key: vec!["territory", "indicator", "year"],
            foreign_keys: vec![
                fk(&["territory"], "territories", &["id"]),
                fk(&["indicator"], "indicators", &["id"]),
            ],
            rows,
        }
    }

    fn terms(&self) -> Table {
        let vocab = &self.site.vocab;
        let vocabularies = [
            ("partner_kinds", &vocab.partner_kinds, None),
            (
                "target_groups",
                &vocab.target_groups,
                Some(Facet::TargetGroup),
            ),
            ("themes", &vocab.themes, Some(Facet::Theme)),
        ];
        let mut rows = Vec::new();
        for (name, terms, facet) in vocabularies {
            for (term, labels) in terms {
                for (lang, label) in self.langs(labels) {
                    rows.push(vec![
                        text(name),
                        text(term),
                        text(lang.as_str()),
                        text(label),
                        facet.map_or(Cell::Null, |f| self.page(lang, Route::Term(f, term))),
                    ]);
                }
            }
        }
        Table {
            name: "terms",
            title: "Controlled vocabularies: labels per language",
            description: "The terms practices and partners are described with (themes, \
                target groups, kinds of partner), one row per term and language it is \
                labelled in.",
            fields: vec![
                Field::new(
                    "vocabulary",
                    Kind::Text,
                    "Which vocabulary the term belongs to.",
                )
                .required()
                .one_of(["partner_kinds", "target_groups", "themes"]),
                Field::new(
                    "term",
                    Kind::Text,
                    "The term's id, as practices.csv and partners.csv use it.",
                )
                .required(),
                self.lang(),
                Field::new("label", Kind::Text, "The term's label.").required(),
                Field::new(
                    "url",
                    Kind::Url,
                    "The page listing the practices of the term in this language (none for kinds of partner).",
                ),
            ],
            primary_key: vec!["vocabulary", "term", "lang"],
            foreign_keys: vec![],
            rows,
        }
    }
}

/// The records sorted by their id.
fn sorted<T>(items: &[T], key: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    v.sort_by(|a, b| key(a).cmp(key(b)));
    v
}
