//! What every renderer shares, per language, computed once per build: the interface
//! strings, the navigation, a card for every practice and the order they are listed
//! in, term labels with their counts, territory names, formatted values. Pages, feeds
//! and (next) search and data exports read these; none of them is tied to templates.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::i18n::Locale;
use crate::model::{LangMap, Partner, Practice, Site, Status, pick};
use crate::routes::{Facet, Route, Routes};
use crate::types::{Lang, Slug};

/// The views of every language, with the address scheme they were made with.
pub struct Views {
    pub routes: Routes,
    pub langs: BTreeMap<Lang, LangView>,
}

/// Per language: the values every page, feed and export of that language shares.
pub struct LangView {
    /// The interface strings, filled from the fallback chain.
    pub strings: BTreeMap<String, String>,
    /// The site's title and description in the language (or its fallback).
    pub title: String,
    pub description: String,
    /// The main navigation: the listings, then the free pages that ask for a place.
    pub nav: Vec<Link>,
    /// Practice cards by practice index.
    pub cards: Vec<Card>,
    /// Practice indices in display order (by title in the language).
    pub rank: Vec<usize>,
    /// The inverse of `rank`: the display position of each practice index.
    pub position: Vec<usize>,
    /// Practice indices newest first, by [`latest_order`]: what the home page's
    /// "latest practices" and the feed list.
    pub latest: Vec<usize>,
    /// Every facet with its terms, labels and counts.
    pub facets: Vec<FacetGroup>,
}

impl LangView {
    /// An interface string, or empty (the keys the code reads are checked beforehand).
    pub fn s(&self, key: &str) -> String {
        self.strings.get(key).cloned().unwrap_or_default()
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    /// The id of a facet term, as the content writes it (for search filters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    pub url: String,
    /// Language of the title when it differs from the page (fallback label).
    pub lang: Option<String>,
    pub count: Option<usize>,
}

/// One practice as listings show it.
#[derive(Serialize, Clone)]
pub struct Card {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    /// Set when the text is shown from another language than the page's.
    pub lang: Option<String>,
    pub status: &'static str,
    pub status_label: String,
    pub period: Option<String>,
    pub countries: Vec<String>,
}

/// A facet with every term that has a page.
#[derive(Serialize, Clone)]
pub struct FacetGroup {
    pub key: &'static str,
    pub title: String,
    pub url: String,
    pub terms: Vec<Link>,
}

impl Views {
    pub fn new(site: &Site) -> Self {
        let routes = Routes::new(&site.config);
        let langs = site
            .config
            .languages
            .par_iter()
            .map(|lang| (lang.clone(), LangView::new(site, &routes, lang)))
            .collect();
        Views { routes, langs }
    }
}

impl LangView {
    fn new(site: &Site, urls: &Routes, lang: &Lang) -> Self {
        let strings = site.strings.table(&site.config, lang);
        let s = |k: &str| strings.get(k).cloned().unwrap_or_default();
        let pick_text = |map: &LangMap| {
            site.config
                .pick(map, lang)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        let title = pick_text(&site.config.title);
        let description = pick_text(&site.config.description);
        let mut nav = vec![
            Link {
                id: None,
                title: s("practices"),
                url: urls.url(lang, Route::Practices),
                lang: None,
                count: None,
            },
            Link {
                id: None,
                title: s("partners"),
                url: urls.url(lang, Route::Partners),
                lang: None,
                count: None,
            },
            Link {
                id: None,
                title: s("territories"),
                url: urls.url(lang, Route::Territories),
                lang: None,
                count: None,
            },
            Link {
                id: None,
                title: s("indicators"),
                url: urls.url(lang, Route::Indicators),
                lang: None,
                count: None,
            },
        ];
        let mut menu: Vec<(i64, &str, Link)> = site
            .pages
            .iter()
            .filter_map(|p| {
                let order = p.menu?;
                let (shown, text) = pick(&site.config, &p.texts, lang)?;
                let l = (shown != lang).then(|| shown.to_string());
                Some((
                    order,
                    p.slug.as_str(),
                    Link {
                        id: None,
                        title: text.title.clone(),
                        url: urls.url(lang, Route::Page(&p.slug)),
                        lang: l,
                        count: None,
                    },
                ))
            })
            .collect();
        menu.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        nav.extend(menu.into_iter().map(|m| m.2));

        let cards: Vec<Card> = site
            .practices
            .iter()
            .map(|p| card(site, urls, &strings, p, lang))
            .collect();
        let mut rank: Vec<usize> = (0..cards.len()).collect();
        rank.sort_by(|&a, &b| {
            site.strings
                .locale(lang)
                .compare(&cards[a].title, &cards[b].title)
                .then_with(|| cards[a].slug.cmp(&cards[b].slug))
        });
        let mut position = vec![0; rank.len()];
        for (r, &i) in rank.iter().enumerate() {
            position[i] = r;
        }
        let latest = latest_order(site, &position);
        let facets: Vec<FacetGroup> = Facet::ALL
            .into_iter()
            .map(|f| FacetGroup {
                key: f.segment(),
                title: s(f.label_key()),
                url: urls.url(lang, Route::Facet(f)),
                terms: facet_links(site, urls, &strings, lang, f),
            })
            .collect();
        LangView {
            strings,
            title,
            description,
            nav,
            cards,
            rank,
            position,
            latest,
            facets,
        }
    }
}

/// The one order of practices by time ("latest"): by [`Practice::latest_date`] (the
/// end date, else the start date), newest first; the same date, and the undated
/// practices (last), in the order of the listings (`position`, by title).
pub fn latest_order(site: &Site, position: &[usize]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..site.practices.len()).collect();
    idx.sort_by(|&a, &b| {
        let (da, db) = (
            site.practices[a].latest_date(),
            site.practices[b].latest_date(),
        );
        // `Some` sorts after `None`: reversed, the newest first and the undated last.
        db.cmp(&da).then(position[a].cmp(&position[b]))
    });
    idx
}

/// A label in the reader's language or its fallback, with the language it is in.
pub fn label<'a>(site: &'a Site, map: &'a LangMap, lang: &Lang) -> (&'a str, &'a Lang) {
    match site.config.pick(map, lang) {
        Some((l, s)) => (s.as_str(), l),
        None => ("", &site.config.default_language),
    }
}

/// How a partner is named on a page of `lang`.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PartnerName {
    /// The official name when the partner has one, else its name in the reader's
    /// language (or its fallback).
    pub name: String,
    /// The language of `name` when it is not the page's.
    pub lang: Option<String>,
    /// The name in the reader's language, given after an official name that differs
    /// from it; none when the partner has no name in the reader's language (a gloss in
    /// a third language would help no one).
    pub gloss: Option<String>,
}

/// The name of a partner on a page of `lang`: an organisation with an official name is
/// called by it in every language (marked with its language), followed by the name in
/// the reader's language as a gloss when it has one and that differs.
pub fn partner_name(site: &Site, p: &Partner, lang: &Lang) -> PartnerName {
    let other = |l: &Lang| (l != lang).then(|| l.to_string());
    let picked = pick(&site.config, &p.texts, lang);
    let (name, name_lang) = match picked {
        Some((l, t)) => (t.name.clone(), other(l)),
        None => (p.slug.to_string(), None),
    };
    match &p.official_name {
        Some(o) => {
            let same = picked.is_some_and(|(l, _)| *l == o.lang) || name.trim() == o.name;
            PartnerName {
                name: o.name.clone(),
                lang: other(&o.lang),
                gloss: (!same && name_lang.is_none()).then(|| name.clone()),
            }
        }
        None => PartnerName {
            name,
            lang: name_lang,
            gloss: None,
        },
    }
}

/// The period of a practice in the reader's date format, its dates formatted alike and
/// put together by the interface string `date_range` ("1 July 2010 – 30 June 2013");
/// an open period with `period_since` ("since 15 March 2024") and `period_until`
/// ("until 30 June 2013").
pub fn period(locale: &Locale, strings: &BTreeMap<String, String>, p: &Practice) -> Option<String> {
    let fill = |key: &str, date: String| {
        strings
            .get(key)
            .map(|s| s.replace("{date}", &date))
            .unwrap_or(date)
    };
    match (p.start, p.end) {
        (Some(s), Some(e)) => Some(range(
            strings,
            "date_range",
            &locale.date(s),
            &locale.date(e),
        )),
        (Some(s), None) => Some(fill("period_since", locale.date(s))),
        (None, Some(e)) => Some(fill("period_until", locale.date(e))),
        (None, None) => None,
    }
}

/// Two ends of a range put together by the interface string `key` (`date_range`,
/// `year_range`: "{start} – {end}"), whose punctuation is the language's.
pub fn range(strings: &BTreeMap<String, String>, key: &str, start: &str, end: &str) -> String {
    match strings.get(key) {
        Some(s) => s.replace("{start}", start).replace("{end}", end),
        None => format!("{start} – {end}"),
    }
}

/// The items of a list joined by the interface string `list_separator` (", ").
pub fn list<S: AsRef<str>>(strings: &BTreeMap<String, String>, items: &[S]) -> String {
    let sep = strings.get("list_separator").map_or(", ", String::as_str);
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(sep)
}

pub fn status_label(strings: &BTreeMap<String, String>, s: Status) -> String {
    strings
        .get(&format!("status_{}", s.as_str()))
        .cloned()
        .unwrap_or_else(|| s.as_str().to_string())
}

fn card(
    site: &Site,
    urls: &Routes,
    strings: &BTreeMap<String, String>,
    p: &Practice,
    lang: &Lang,
) -> Card {
    let (shown, text) =
        pick(&site.config, &p.texts, lang).expect("a practice has at least one translation");
    Card {
        slug: p.slug.to_string(),
        url: urls.url(lang, Route::Practice(&p.slug)),
        title: text.title.clone(),
        summary: text.summary.clone(),
        lang: (shown != lang).then(|| shown.to_string()),
        status: p.status.as_str(),
        status_label: status_label(strings, p.status),
        period: period(site.strings.locale(lang), strings, p),
        countries: p
            .countries
            .iter()
            .map(|c| {
                site.strings
                    .country(&site.config, lang, c)
                    .unwrap_or(c)
                    .to_string()
            })
            .collect(),
    }
}

/// The label of a term of a facet in `lang`, with the language it is shown in.
pub fn term_label(
    site: &Site,
    strings: &BTreeMap<String, String>,
    lang: &Lang,
    facet: Facet,
    term: &str,
) -> (String, Option<String>) {
    let from_map = |map: Option<&LangMap>| match map {
        Some(m) => {
            let (text, shown) = label(site, m, lang);
            (text.to_string(), (shown != lang).then(|| shown.to_string()))
        }
        None => (term.to_string(), None),
    };
    match facet {
        Facet::Theme => from_map(site.vocab.themes.get(term)),
        Facet::TargetGroup => from_map(site.vocab.target_groups.get(term)),
        Facet::Border => from_map(site.border(term).map(|b| &b.name)),
        Facet::Country => (
            site.strings
                .country(&site.config, lang, term)
                .unwrap_or(term)
                .to_string(),
            None,
        ),
        Facet::Status => (
            strings
                .get(&format!("status_{term}"))
                .cloned()
                .unwrap_or_else(|| term.to_string()),
            None,
        ),
    }
}

/// The practices of a term (slugs), from the indexes built at resolve.
pub fn term_practices<'a>(site: &'a Site, facet: Facet, term: &str) -> &'a [Slug] {
    let idx = &site.index;
    let list = match facet {
        Facet::Theme => idx.theme_practices.get(term),
        Facet::TargetGroup => idx.target_group_practices.get(term),
        Facet::Country => idx.country_practices.get(term),
        Facet::Border => idx.border_practices.get(term),
        Facet::Status => Status::ALL
            .iter()
            .find(|s| s.as_str() == term)
            .and_then(|s| idx.status_practices.get(s)),
    };
    list.map(Vec::as_slice).unwrap_or(&[])
}

/// Whether a practice has a term of a facet.
pub fn has_term(p: &Practice, facet: Facet, term: &str) -> bool {
    match facet {
        Facet::Theme => p.themes.iter().any(|t| t == term),
        Facet::TargetGroup => p.target_groups.iter().any(|t| t == term),
        Facet::Country => p.countries.iter().any(|c| c == term),
        Facet::Border => p.border.as_deref() == Some(term),
        Facet::Status => p.status.as_str() == term,
    }
}

/// The facets of a listing: of every facet, the terms the listed practices have, each
/// counting how many of them have it (not how many the whole site has), in the order
/// of `groups` (the language's facets). A facet none of them has is left empty.
pub fn listing_facets(site: &Site, groups: &[FacetGroup], listed: &[usize]) -> Vec<FacetGroup> {
    groups
        .iter()
        .zip(Facet::ALL)
        .map(|(g, facet)| FacetGroup {
            terms: g
                .terms
                .iter()
                .filter_map(|t| {
                    let term = t.id.as_deref()?;
                    let count = listed
                        .iter()
                        .filter(|&&i| has_term(&site.practices[i], facet, term))
                        .count();
                    (count > 0).then(|| Link {
                        count: Some(count),
                        ..t.clone()
                    })
                })
                .collect(),
            ..g.clone()
        })
        .collect()
}

/// Every term of a facet as a link with its count, sorted by label.
pub fn facet_links(
    site: &Site,
    urls: &Routes,
    strings: &BTreeMap<String, String>,
    lang: &Lang,
    facet: Facet,
) -> Vec<Link> {
    let mut links: Vec<Link> = facet_terms(site, facet)
        .into_iter()
        .map(|term| {
            let (title, l) = term_label(site, strings, lang, facet, &term);
            let count = term_practices(site, facet, &term).len();
            Link {
                id: Some(term.clone()),
                title,
                url: urls.url(lang, Route::Term(facet, &term)),
                lang: l,
                count: Some(count),
            }
        })
        .collect();
    if facet != Facet::Status {
        links.sort_by(|a, b| site.strings.locale(lang).compare(&a.title, &b.title));
    }
    links
}

/// The terms of a facet that get a page: every vocabulary term and border (even with
/// no practice yet, so links never break), every country and status in use.
pub fn facet_terms(site: &Site, facet: Facet) -> Vec<String> {
    match facet {
        Facet::Theme => site.vocab.themes.keys().cloned().collect(),
        Facet::TargetGroup => site.vocab.target_groups.keys().cloned().collect(),
        Facet::Country => {
            let mut c: Vec<String> = site.index.country_practices.keys().cloned().collect();
            for code in site
                .partners
                .iter()
                .map(|p| &p.country)
                .chain(site.territories.iter().map(|t| &t.country))
            {
                if !code.is_empty() && !c.contains(code) {
                    c.push(code.clone());
                }
            }
            c.sort();
            c
        }
        Facet::Border => site.borders.iter().map(|b| b.id.to_string()).collect(),
        Facet::Status => site
            .index
            .status_practices
            .keys()
            .map(|s| s.as_str().to_string())
            .collect(),
    }
}
