//! The site graph: every record grouped by slug with its translations, the
//! vocabularies, territories, indicators, borders and observations, and the indexes
//! that join them both ways. Built once per build by [`resolve`]; immutable after, and
//! shared by every renderer.

mod data;
mod facts;
pub mod figures;
mod merge;
mod observations;
mod records;
mod resolve;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::Source;
use crate::i18n::Strings;
use crate::input::{RecordFile, StaticFile, Theme};
use crate::types::Lang;
use crate::types::{Date, IndicatorId, Slug, TerritoryId};

pub(crate) use records::is_draft;
pub use resolve::{check_body, resolve};

/// A text per language.
pub type LangMap = BTreeMap<Lang, String>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Planned,
    Ongoing,
    Completed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Planned, Status::Ongoing, Status::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Ongoing => "ongoing",
            Status::Completed => "completed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    Medium,
    High,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Lower,
    Higher,
    Neutral,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Budget {
    pub amount: f64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// A quantified result: the value and unit are facts, the label is text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultFact {
    pub value: f64,
    pub unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceRef {
    pub title: String,
    pub url: Option<String>,
}

/// One translation of a practice: its text fields and body.
#[derive(Clone, Debug)]
pub struct PracticeText {
    pub title: String,
    pub summary: Option<String>,
    pub programme: Option<String>,
    pub website: Option<String>,
    pub contact: Option<Contact>,
    /// Labels of the results, in the order of the facts; empty if this translation
    /// leaves the results to the others.
    pub result_labels: Vec<String>,
    pub sources: Vec<SourceRef>,
    pub body: String,
    /// The file, relative to the site root.
    pub file: String,
    /// Says `draft = true`: left out of a build without drafts (see [`resolve`]).
    pub draft: bool,
}

#[derive(Clone, Debug)]
pub struct Practice {
    pub slug: Slug,
    pub status: Status,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub countries: Vec<String>,
    pub territories: Vec<TerritoryId>,
    pub border: Option<Slug>,
    pub themes: Vec<String>,
    pub target_groups: Vec<String>,
    /// Partner slugs, the lead first.
    pub partners: Vec<Slug>,
    pub budget: Option<Budget>,
    pub transferability: Option<Level>,
    pub results: Vec<ResultFact>,
    /// Boxed: a map's node holds room for eleven values, and most records have one to
    /// three translations.
    pub texts: BTreeMap<Lang, Box<PracticeText>>,
}

impl Practice {
    /// The date "latest" orders practices by, wherever they are ordered by time (home
    /// page, feeds): the practice's `end`, else its `start`; `None` for an undated
    /// practice, which comes after every dated one. Never a date the record does not
    /// state.
    pub fn latest_date(&self) -> Option<Date> {
        self.end.or(self.start)
    }
}

#[derive(Clone, Debug)]
pub struct PartnerText {
    pub name: String,
    pub short_name: Option<String>,
    pub city: Option<String>,
    pub website: Option<String>,
    pub body: String,
    pub file: String,
    /// Says `draft = true`: left out of a build without drafts (see [`resolve`]).
    pub draft: bool,
}

/// The one official name of an organisation, in the language it is written in (which
/// need not be a language of the site).
#[derive(Clone, Debug, PartialEq)]
pub struct OfficialName {
    pub lang: Lang,
    pub name: String,
}

/// Where an organisation is: latitude and longitude in degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Clone, Debug)]
pub struct Partner {
    pub slug: Slug,
    pub kind: String,
    pub country: String,
    pub territory: Option<TerritoryId>,
    /// `official_name = { ro = "..." }`: shown in every language, the translated name
    /// as a gloss.
    pub official_name: Option<OfficialName>,
    /// `location = { lat = ..., lon = ... }`: its place on maps.
    pub location: Option<Location>,
    /// Boxed, as a practice's.
    pub texts: BTreeMap<Lang, Box<PartnerText>>,
}

#[derive(Clone, Debug)]
pub struct PageText {
    pub title: String,
    pub summary: Option<String>,
    pub updated: Option<Date>,
    pub body: String,
    pub file: String,
    /// Says `draft = true`: left out of a build without drafts (see [`resolve`]).
    pub draft: bool,
}

#[derive(Clone, Debug)]
pub struct Page {
    pub slug: Slug,
    pub menu: Option<i64>,
    pub texts: BTreeMap<Lang, PageText>,
}

/// The controlled terms: term id → label per language.
#[derive(Clone, Debug, Default)]
pub struct Vocabularies {
    pub themes: BTreeMap<String, LangMap>,
    pub target_groups: BTreeMap<String, LangMap>,
    pub partner_kinds: BTreeMap<String, LangMap>,
    /// Where each term is defined in vocabularies.toml (the byte range of its id), by
    /// vocabulary (`themes`, `target_groups`, `partner_kinds`) and term.
    pub spans: BTreeMap<(&'static str, String), Range<usize>>,
}

#[derive(Clone, Debug)]
pub struct Territory {
    pub id: TerritoryId,
    pub name: LangMap,
    pub country: String,
    /// The id of its level, one of `[levels.<id>]` of territories.toml.
    pub level: Option<String>,
    /// The labels of its level per language (empty without a level).
    pub level_labels: LangMap,
    /// Byte range of its `id` value in territories.toml.
    pub span: Range<usize>,
}

#[derive(Clone, Debug)]
pub struct Indicator {
    pub id: IndicatorId,
    pub name: LangMap,
    pub unit: Option<String>,
    pub decimals: u8,
    pub better: Better,
    pub source: LangMap,
    /// What is measured, in a sentence or two (optional).
    pub definition: LangMap,
}

#[derive(Clone, Debug)]
pub struct BorderArea {
    pub id: Slug,
    pub name: LangMap,
    pub sides: Vec<Vec<TerritoryId>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub territory: TerritoryId,
    pub indicator: IndicatorId,
    pub year: i32,
    /// `None`: not available (never shown as 0).
    pub value: Option<f64>,
    pub note: Option<String>,
}

/// Lookups and reverse references, built once by `resolve`. Lists of practices are
/// slugs in slug order; renderers sort them for display.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub practice: BTreeMap<Slug, usize>,
    pub partner: BTreeMap<Slug, usize>,
    pub page: BTreeMap<Slug, usize>,
    pub territory: BTreeMap<TerritoryId, usize>,
    /// Territory ids by their lowercase form (addresses and links ignore case).
    pub territory_lower: BTreeMap<String, TerritoryId>,
    pub indicator: BTreeMap<IndicatorId, usize>,
    pub border: BTreeMap<Slug, usize>,
    pub partner_practices: BTreeMap<Slug, Vec<Slug>>,
    pub territory_practices: BTreeMap<TerritoryId, Vec<Slug>>,
    pub territory_partners: BTreeMap<TerritoryId, Vec<Slug>>,
    pub border_practices: BTreeMap<Slug, Vec<Slug>>,
    pub theme_practices: BTreeMap<String, Vec<Slug>>,
    pub target_group_practices: BTreeMap<String, Vec<Slug>>,
    pub country_practices: BTreeMap<String, Vec<Slug>>,
    pub status_practices: BTreeMap<Status, Vec<Slug>>,
    /// Observations of a territory and an indicator, by year.
    pub series: BTreeMap<TerritoryId, BTreeMap<IndicatorId, Vec<usize>>>,
    /// Borders a territory belongs to.
    pub territory_borders: BTreeMap<TerritoryId, Vec<Slug>>,
    /// Without drafts: the records left out because every translation is a draft,
    /// each with its first file (links to them are errors that name it).
    pub drafts_left_out: BTreeMap<(crate::input::RecordKind, Slug), String>,
}

/// The whole observatory, checked and cross-referenced.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub strings: Strings,
    pub practices: Vec<Practice>,
    pub partners: Vec<Partner>,
    pub pages: Vec<Page>,
    pub vocab: Vocabularies,
    pub territories: Vec<Territory>,
    /// The levels of territories, `[levels.<id>]` of territories.toml: id → label per
    /// language (the levels no territory has too).
    pub levels: BTreeMap<String, LangMap>,
    pub indicators: Vec<Indicator>,
    pub borders: Vec<BorderArea>,
    pub observations: Vec<Observation>,
    /// The shapes of territories (`content/diagnostics/*.geojson`), by territory id;
    /// a territory without one is not drawn on maps.
    pub shapes: BTreeMap<TerritoryId, crate::geo::read::Shape>,
    /// The polygons of `content/diagnostics/background.geojson` (coasts, neighbouring
    /// countries), drawn in grey beneath every map; empty without one.
    pub background: Vec<Vec<crate::geo::read::LonLatRing>>,
    /// What maps draw of each territory's shape: its polygons lightened once for all
    /// maps (about 40 m, well below what any map shows), borders kept shared with the
    /// background's. `shapes` keeps them as the content gives them, for open data.
    pub drawn: BTreeMap<TerritoryId, Vec<Vec<crate::geo::read::LonLatRing>>>,
    /// Where the shapes and the background come from, per file that says so (its
    /// path under the site, its credit), in file order.
    pub shape_credits: Vec<(String, crate::geo::read::Credit)>,
    pub statics: Vec<StaticFile>,
    pub theme: Theme,
    pub index: Index,
    pub sources: Sources,
}

/// The files the site was read from, kept so that what is found after the site graph
/// is built (`limes check`'s warnings) can point at the place it is written.
#[derive(Debug, Default)]
pub struct Sources {
    /// Every record file read (drafts too), with its text, front matter and body.
    pub records: Vec<RecordFile>,
    pub vocabularies: Option<Source>,
    pub territories: Option<Source>,
}

impl Site {
    pub fn practice(&self, slug: &str) -> Option<&Practice> {
        self.index.practice.get(slug).map(|&i| &self.practices[i])
    }
    pub fn partner(&self, slug: &str) -> Option<&Partner> {
        self.index.partner.get(slug).map(|&i| &self.partners[i])
    }
    pub fn territory(&self, id: &str) -> Option<&Territory> {
        self.index.territory.get(id).map(|&i| &self.territories[i])
    }
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.index.indicator.get(id).map(|&i| &self.indicators[i])
    }
    pub fn border(&self, id: &str) -> Option<&BorderArea> {
        self.index.border.get(id).map(|&i| &self.borders[i])
    }

    /// The observations of one territory and indicator, oldest first.
    pub fn series(&self, territory: &str, indicator: &str) -> impl Iterator<Item = &Observation> {
        self.index
            .series
            .get(territory)
            .and_then(|by_indicator| by_indicator.get(indicator))
            .into_iter()
            .flatten()
            .map(|&i| &self.observations[i])
    }

    /// The newest observation that has a value, else the newest one.
    pub fn latest(&self, territory: &str, indicator: &str) -> Option<&Observation> {
        let all: Vec<&Observation> = self.series(territory, indicator).collect();
        all.iter()
            .rev()
            .find(|o| o.value.is_some())
            .or(all.last())
            .copied()
    }
}

/// Picks the translation a reader of `lang` sees: their own, else the first of the
/// fallback chain that exists.
pub fn pick<'a, T>(
    config: &Config,
    texts: &'a BTreeMap<Lang, T>,
    lang: &Lang,
) -> Option<(&'a Lang, &'a T)> {
    config
        .chain(lang)
        .iter()
        .find_map(|l| texts.get_key_value(l))
}
