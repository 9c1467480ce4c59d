//! What every template sees, computed once per build and per language: addresses,
//! the language's strings and navigation, practice cards and facet counts. Built
//! before the parallel render so that pages only clone cheap values.

use std::collections::BTreeMap;

use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;

use crate::i18n::{self, Locale};
use crate::model::{LangMap, Practice, Site, Status, pick};
use crate::types::Lang;

use crate::routes::{Facet, Route, Routes};

/// A label in the reader's language or its fallback, with the language it is in.
pub fn label<'a>(site: &'a Site, map: &'a LangMap, lang: &Lang) -> (&'a str, &'a Lang) {
    match site.config.pick(map, lang) {
        Some((l, s)) => (s.as_str(), l),
        None => ("", &site.config.default_language),
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
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

/// Per language: the values every page of that language shares.
pub struct LangShared {
    pub site: Value,
    pub strings: BTreeMap<String, String>,
    /// What templates see as `t`: the plain strings and the plural ones.
    pub t: Value,
    /// Practice cards by practice index.
    pub cards: Vec<Card>,
    /// Practice indices in display order (by title in the language).
    pub rank: Vec<usize>,
    /// The inverse of `rank`: the display position of each practice index.
    pub position: Vec<usize>,
    pub facets: Value,
}

pub struct Shared {
    pub urls: Routes,
    pub langs: BTreeMap<Lang, LangShared>,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    dir: &'static str,
    root_url: String,
    home_url: String,
    base_url: &'a str,
    stylesheet: String,
    nav: Vec<Link>,
    default_language: &'a str,
}

#[derive(Serialize)]
struct FacetGroup {
    key: &'static str,
    title: String,
    url: String,
    terms: Vec<Link>,
}

/// The period of a practice in the reader's date format ("1 July 2010 – 30 June 2013").
pub fn period(locale: &Locale, p: &Practice) -> Option<String> {
    match (p.start, p.end) {
        (Some(s), Some(e)) => Some(format!("{} – {}", locale.date(s), locale.date(e))),
        (Some(s), None) => Some(format!("{} –", locale.date(s))),
        (None, Some(e)) => Some(format!("– {}", locale.date(e))),
        (None, None) => None,
    }
}

pub fn status_label(strings: &BTreeMap<String, String>, s: Status) -> String {
    strings
        .get(&format!("status_{}", s.as_str()))
        .cloned()
        .unwrap_or_else(|| s.as_str().to_string())
}

impl Shared {
    pub fn new(site: &Site) -> Self {
        let urls = Routes::new(&site.config);
        let langs = site
            .config
            .languages
            .par_iter()
            .map(|lang| (lang.clone(), Self::for_lang(site, &urls, lang)))
            .collect();
        Shared { urls, langs }
    }

    fn for_lang(site: &Site, urls: &Routes, lang: &Lang) -> LangShared {
        let strings = site.strings.table(&site.config, lang);
        let s = |k: &str| strings.get(k).cloned().unwrap_or_default();
        let title = site
            .config
            .pick(&site.config.title, lang)
            .map(|(_, t)| t.as_str())
            .unwrap_or("");
        let description = site
            .config
            .pick(&site.config.description, lang)
            .map(|(_, t)| t.as_str())
            .unwrap_or("");

        let mut nav = vec![
            Link {
                title: s("practices"),
                url: urls.url(lang, Route::Practices),
                lang: None,
                count: None,
            },
            Link {
                title: s("partners"),
                url: urls.url(lang, Route::Partners),
                lang: None,
                count: None,
            },
            Link {
                title: s("territories"),
                url: urls.url(lang, Route::Territories),
                lang: None,
                count: None,
            },
        ];
        let mut menu: Vec<(i64, String, Link)> = site
            .pages
            .iter()
            .filter_map(|p| {
                let order = p.menu?;
                let (shown, text) = pick(&site.config, &p.texts, lang)?;
                let l = (shown != lang).then(|| shown.to_string());
                Some((
                    order,
                    p.slug.clone(),
                    Link {
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

        let facets: Vec<FacetGroup> = Facet::ALL
            .into_iter()
            .map(|f| FacetGroup {
                key: f.segment(),
                title: s(f.label_key()),
                url: urls.url(lang, Route::Facet(f)),
                terms: facet_links(site, urls, &strings, lang, f),
            })
            .collect();

        let site_ctx = SiteCtx {
            title,
            description,
            lang: lang.as_str(),
            dir: i18n::direction(lang),
            root_url: urls.url(lang, Route::Chooser),
            home_url: urls.url(lang, Route::Home),
            base_url: &site.config.base_url,
            stylesheet: urls.url(lang, Route::Asset("css/site.css")),
            nav,
            default_language: site.config.default_language.as_str(),
        };
        let mut position = vec![0; rank.len()];
        for (r, &i) in rank.iter().enumerate() {
            position[i] = r;
        }
        LangShared {
            site: Value::from_serialize(&site_ctx),
            t: {
                let mut all: BTreeMap<String, Value> = strings
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                    .collect();
                for (k, forms) in site.strings.plural_table(&site.config, lang) {
                    all.insert(k, Value::from_serialize(&forms));
                }
                Value::from_serialize(&all)
            },
            strings,
            cards,
            rank,
            position,
            facets: Value::from_serialize(&facets),
        }
    }
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
        slug: p.slug.clone(),
        url: urls.url(lang, Route::Practice(&p.slug)),
        title: text.title.clone(),
        summary: text.summary.clone(),
        lang: (shown != lang).then(|| shown.to_string()),
        status: p.status.as_str(),
        status_label: status_label(strings, p.status),
        period: period(site.strings.locale(lang), p),
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
pub fn term_practices<'a>(site: &'a Site, facet: Facet, term: &str) -> &'a [String] {
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

/// Every term of a facet as a link with its count, sorted by label.
pub fn facet_links(
    site: &Site,
    urls: &Routes,
    strings: &BTreeMap<String, String>,
    lang: &Lang,
    facet: Facet,
) -> Vec<Link> {
    let mut links: Vec<Link> = super::facet_terms(site, facet)
        .into_iter()
        .map(|term| {
            let (title, l) = term_label(site, strings, lang, facet, &term);
            let count = term_practices(site, facet, &term).len();
            Link {
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
