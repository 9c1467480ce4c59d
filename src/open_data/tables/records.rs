//! The tables of the records editors write: practices and partners, with their texts,
//! results and sources.

use super::*;

impl Ctx<'_> {
    pub(super) fn practices(&self) -> Table {
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

    pub(super) fn practice_texts(&self) -> Table {
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

    pub(super) fn practice_results(&self) -> Table {
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

    pub(super) fn practice_result_labels(&self) -> Table {
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

    pub(super) fn practice_sources(&self) -> Table {
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

    pub(super) fn partners(&self) -> Table {
        let rows = sorted(&self.site.partners, |p| p.slug.as_str())
            .into_iter()
            .map(|p| {
                vec![
                    text(p.slug.as_str()),
                    text(&p.kind),
                    text(&p.country),
                    opt_text(p.territory.as_ref()),
                    opt_text(p.official_name.as_ref().map(|o| &o.name)),
                    opt_text(p.official_name.as_ref().map(|o| &o.lang)),
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
                    "official_name",
                    Kind::Text,
                    "Its one official name, when it has one (the names of partner-texts are its translations).",
                ),
                Field::new(
                    "official_name_lang",
                    Kind::Text,
                    "The language of official_name (BCP 47 code).",
                ),
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

    pub(super) fn partner_texts(&self) -> Table {
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
}
