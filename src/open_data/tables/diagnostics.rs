//! The tables of the diagnostic data: territories, indicators, borders, observations, and
//! the vocabularies' terms.

use super::*;

impl Ctx<'_> {
    pub(super) fn territories(&self) -> Table {
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
                    "What kind of territory (NUTS3, county...): the id of a level, \
                    labelled per language in terms.csv (vocabulary `levels`).",
                ),
            ],
            primary_key: vec!["id"],
            foreign_keys: vec![],
            rows,
        }
    }

    pub(super) fn territory_texts(&self) -> Table {
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

    pub(super) fn indicators(&self) -> Table {
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

    pub(super) fn indicator_texts(&self) -> Table {
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

    pub(super) fn borders(&self) -> Table {
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

    pub(super) fn border_sides(&self) -> Table {
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

    pub(super) fn border_texts(&self) -> Table {
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

    pub(super) fn observations(&self) -> Table {
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

    pub(super) fn terms(&self) -> Table {
        let vocab = &self.site.vocab;
        // In the order of the vocabularies' names, so that rows are sorted by key.
        let vocabularies = [
            ("levels", &self.site.levels, None),
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
            description: "The terms records are described with (themes, target groups, \
                kinds of partner, levels of territories), one row per term and language \
                it is labelled in.",
            fields: vec![
                Field::new(
                    "vocabulary",
                    Kind::Text,
                    "Which vocabulary the term belongs to.",
                )
                .required()
                .one_of(["levels", "partner_kinds", "target_groups", "themes"]),
                Field::new(
                    "term",
                    Kind::Text,
                    "The term's id, as practices.csv, partners.csv and territories.csv \
                    (its level) use it.",
                )
                .required(),
                self.lang(),
                Field::new("label", Kind::Text, "The term's label.").required(),
                Field::new(
                    "url",
                    Kind::Url,
                    "The page listing the practices of the term in this language (none for kinds of \
                    partner and levels).",
                ),
            ],
            primary_key: vec!["vocabulary", "term", "lang"],
            foreign_keys: vec![],
            rows,
        }
    }
}
