//! The site graph as the tables of the open data. One table per kind of record with its
//! facts (shared by all translations), and beside it a `*-texts` table with one row per
//! language the content writes the record in: text fields as that translation writes
//! them (empty when it leaves one to another language) and the address of the record's
//! page in that language. Records are sorted by id, their languages in the site's
//! order; ids are written as the content writes them.

mod diagnostics;
mod records;

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
}

/// The records sorted by their id.
fn sorted<T>(items: &[T], key: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    v.sort_by(|a, b| key(a).cmp(key(b)));
    v
}
