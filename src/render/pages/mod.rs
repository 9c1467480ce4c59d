//! One function per page kind: the context of the page and the template that
//! renders it. Each reads the site graph and the shared per-language values only.
//! This module holds what every page has (its place, language links, alternates,
//! breadcrumbs) and the dispatch; `records` the pages of practices, partners and free
//! pages; `lists` the listings and indexes; `territories` the territory pages;
//! `figures` the statistics (indicator pages, tables and charts, border comparisons).

mod compare;
mod figures;
mod lists;
mod maps;
mod records;
mod search;
mod territories;

use std::collections::BTreeMap;

use minijinja::{Environment, Error, Value, context};
use serde::Serialize;

use crate::markdown;
use crate::model::{Observation, Site, pick};
use crate::routes::{Facet, Route, Routes};
use crate::types::Lang;
use crate::view::{
    Card, FacetGroup, Link, label, listing_facets, partner_name, period, status_label, term_label,
    term_practices,
};

use super::context::{LangShared, Shared};
use super::{Job, PER_PAGE, Rendered, SitemapUrl};

use self::compare::*;
pub(crate) use self::compare::{
    MAX_PRACTICES, script as compare_script, script_path as compare_script_path,
};
use self::figures::*;
use self::lists::*;
use self::records::*;
use self::search::*;
use self::territories::*;

#[derive(Serialize)]
pub(super) struct LangLink {
    code: String,
    name: String,
    url: String,
    current: bool,
    /// The page's record exists in this language (always true for pages that are not
    /// records).
    available: bool,
}

#[derive(Serialize)]
pub(super) struct Alternate {
    hreflang: String,
    href: String,
}

#[derive(Serialize)]
pub(super) struct PageCtx {
    kind: &'static str,
    title: String,
    description: String,
    url: String,
    canonical: String,
    languages: Vec<LangLink>,
    alternates: Vec<Alternate>,
    breadcrumbs: Vec<Link>,
    /// Set when the content is shown in another language than the page's.
    content_lang: Option<String>,
    /// Its name in the page's language, for a sentence ("in Croatian").
    content_lang_name: Option<String>,
    /// Text direction of the shown language (`ltr`/`rtl`), with `content_lang`.
    content_dir: Option<&'static str>,
}

/// Where a page is and which languages have its content.
pub(super) struct Place<'a> {
    lang: &'a Lang,
    route: Route<'a>,
    /// The page of a listing split into pages (1 for other pages).
    page: usize,
    /// Languages the content exists in; `None` for interface pages (all languages).
    exists_in: Option<Vec<&'a Lang>>,
    /// The language the content is shown in, when not the page's.
    shown: Option<&'a Lang>,
}

pub(super) fn page_ctx(
    site: &Site,
    urls: &Routes,
    place: &Place,
    kind: &'static str,
    title: String,
    description: String,
    breadcrumbs: Vec<Link>,
) -> PageCtx {
    let at = |l: &Lang| urls.page(l, place.route, place.page);
    let url = at(place.lang);
    let exists = |l: &Lang| place.exists_in.as_ref().is_none_or(|e| e.contains(&l));
    let languages = site
        .config
        .languages
        .iter()
        .map(|l| LangLink {
            code: l.to_string(),
            name: site.strings.language_name(l).to_string(),
            url: at(l),
            current: l == place.lang,
            available: exists(l),
        })
        .collect();
    let mut alternates: Vec<Alternate> = site
        .config
        .languages
        .iter()
        .filter(|l| exists(l))
        .map(|l| Alternate {
            hreflang: l.to_string(),
            href: urls.absolute(&at(l)),
        })
        .collect();
    let default = &site.config.default_language;
    let x_default = if place.route == Route::Home {
        urls.url(default, Route::Chooser)
    } else {
        // The default language's version, or the original it falls back to.
        let target = match &place.exists_in {
            Some(list) => site
                .config
                .chain(default)
                .iter()
                .find(|l| list.contains(l))
                .unwrap_or(default),
            None => default,
        };
        at(target)
    };
    alternates.push(Alternate {
        hreflang: "x-default".into(),
        href: urls.absolute(&x_default),
    });
    // A page shown in a fallback language points search engines at the original.
    let canonical = match place.shown {
        Some(shown) => urls.absolute(&at(shown)),
        None => urls.absolute(&url),
    };
    PageCtx {
        kind,
        title,
        description,
        url,
        canonical,
        languages,
        alternates,
        breadcrumbs,
        content_lang: place.shown.map(|l| l.to_string()),
        content_lang_name: place.shown.map(|l| site.strings.language_in(place.lang, l)),
        content_dir: place.shown.map(crate::i18n::direction),
    }
}

pub(super) fn crumbs(
    ls: &LangShared,
    urls: &Routes,
    lang: &Lang,
    trail: &[(&str, String)],
) -> Vec<Link> {
    let mut out = vec![Link {
        id: None,
        title: ls.strings.get("home").cloned().unwrap_or_default(),
        url: urls.url(lang, Route::Home),
        lang: None,
        count: None,
    }];
    out.extend(trail.iter().map(|(t, u)| Link {
        id: None,
        title: t.to_string(),
        url: u.clone(),
        lang: None,
        count: None,
    }));
    out
}

pub(super) fn html(
    env: &Environment<'static>,
    template: &str,
    ctx: Value,
) -> Result<Vec<u8>, Error> {
    let mut out = env.get_template(template)?.render(ctx)?;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out.into_bytes())
}

/// The file of a page; `sitemap` (the page's context) puts it in the sitemap with the
/// same hreflang alternates as its `<link rel="alternate">`.
pub(super) fn page_file(
    urls: &Routes,
    url: &str,
    bytes: Vec<u8>,
    sitemap: Option<&PageCtx>,
) -> Rendered {
    Rendered {
        entry: None,
        path: urls.file_of(url),
        bytes,
        sitemap: sitemap.map(|page| SitemapUrl {
            loc: urls.absolute(url),
            alternates: page
                .alternates
                .iter()
                .map(|a| (a.hreflang.clone(), a.href.clone()))
                .collect(),
        }),
    }
}

/// Renders a Markdown body for a reader of `lang`: `@/` links go to that language.
pub(super) fn body_html(site: &Site, urls: &Routes, lang: &Lang, md: &str) -> Value {
    let resolve = |kind: &str, id: &str, anchor: Option<&str>| -> Option<String> {
        let base = urls.url(lang, Route::internal(kind, id)?);
        Some(match anchor {
            Some(a) => format!("{base}#{a}"),
            None => base,
        })
    };
    let base = site.config.base_path();
    Value::from_safe_string(markdown::render(md, site.config.raw_html, base, &resolve).html)
}

/// The languages a record exists in, and links to it in each of them but `lang`.
pub(super) fn translations<'a, T>(
    site: &'a Site,
    texts: &BTreeMap<Lang, T>,
    lang: &Lang,
    url: impl Fn(&Lang) -> String,
) -> (Vec<&'a Lang>, Vec<Link>) {
    let exists_in: Vec<&Lang> = site
        .config
        .languages
        .iter()
        .filter(|l| texts.contains_key(*l))
        .collect();
    let also = exists_in
        .iter()
        .filter(|l| **l != lang)
        .map(|l| link_to(site.strings.language_name(l), url(l), Some(l.to_string())))
        .collect();
    (exists_in, also)
}

/// The first value that a translation in the reader's fallback chain gives.
pub(super) fn from_chain<T, R>(
    site: &Site,
    texts: &BTreeMap<Lang, T>,
    lang: &Lang,
    f: impl Fn(&T) -> Option<R>,
) -> Option<R> {
    site.config
        .chain(lang)
        .iter()
        .filter_map(|l| texts.get(l))
        .find_map(f)
}

/// A page of the interface (a listing, an index, a territory): one file in each
/// language, its content existing in all of them, rendered with `<kind>.html` from
/// `site`, `t`, `page` and what `extra` adds.
pub(super) struct InterfacePage<'a> {
    pub route: Route<'a>,
    /// The page kind (`page.kind`) and its template, `<kind>.html`.
    pub kind: &'static str,
    pub title: String,
    /// Breadcrumbs between the home page and this one: (title, address).
    pub trail: &'a [(&'a str, String)],
    /// What the template gets besides `site`, `t` and `page`.
    pub extra: Value,
}

pub(super) fn interface_page(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    p: InterfacePage,
) -> Result<Vec<Rendered>, Error> {
    interface_page_n(site, env, shared, lang, p, 1)
}

/// Page `n` (from 1) of an interface page whose list is split into pages: at
/// `.../page/<n>/` after the first, in the sitemap like the first.
pub(super) fn interface_page_n(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    p: InterfacePage,
    n: usize,
) -> Result<Vec<Rendered>, Error> {
    let InterfacePage {
        route,
        kind,
        title,
        trail,
        extra,
    } = p;
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let place = Place {
        lang,
        route,
        page: n,
        exists_in: None,
        shown: None,
    };
    let breadcrumbs = crumbs(ls, urls, lang, trail);
    let page = page_ctx(site, urls, &place, kind, title, String::new(), breadcrumbs);
    let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, ..extra };
    Ok(vec![page_file(
        urls,
        &urls.page(lang, route, n),
        html(env, &format!("{kind}.html"), ctx)?,
        Some(&page),
    )])
}

/// A link to a territory, named in the reader's language or its fallback.
pub(super) fn territory_link(site: &Site, urls: &Routes, lang: &Lang, id: &str) -> Option<Link> {
    let t = site.territory(id)?;
    let (name, l) = label(site, &t.name, lang);
    Some(link_to(
        name,
        urls.url(lang, Route::Territory(id)),
        (l != lang).then(|| l.to_string()),
    ))
}

pub(super) fn link_to(title: impl Into<String>, url: String, lang: Option<String>) -> Link {
    Link {
        id: None,
        title: title.into(),
        url,
        lang,
        count: None,
    }
}

pub(crate) fn render(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    job: &Job,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    match job {
        Job::Chooser => chooser(site, env, shared),
        Job::NotFound => not_found(site, env, shared),
        Job::LangNotFound(lang) => lang_not_found(site, env, shared, lang),
        Job::Home(lang) => home(site, env, shared, lang),
        Job::Practice(lang, p) => practice(site, env, shared, lang, p),
        Job::Partner(lang, p) => partner(site, env, shared, lang, p),
        Job::Page(lang, p) => free_page(site, env, shared, lang, p),
        Job::Practices(lang) => {
            let ls = &shared.langs[lang];
            let title = ls.strings.get("all_practices").cloned().unwrap_or_default();
            let cards: Vec<&Card> = ls.rank.iter().map(|&i| &ls.cards[i]).collect();
            let place = Place {
                lang,
                route: Route::Practices,
                page: 1,
                exists_in: None,
                shown: None,
            };
            let description = site
                .config
                .pick(&site.config.description, lang)
                .map(|d| d.1.clone())
                .unwrap_or_default();
            listing(
                site,
                env,
                shared,
                &place,
                title,
                description,
                cards,
                crumbs(ls, urls, lang, &[]),
                Value::UNDEFINED,
            )
        }
        Job::Term(lang, facet, term) => {
            let ls = &shared.langs[lang];
            let (title, title_lang) = term_label(site, &ls.strings, lang, *facet, term);
            let slugs = term_practices(site, *facet, term);
            let mut idx: Vec<usize> = slugs
                .iter()
                .filter_map(|s| site.index.practice.get(s.as_str()).copied())
                .collect();
            idx.sort_by_key(|&i| ls.position[i]);
            let cards: Vec<&Card> = idx.iter().map(|&i| &ls.cards[i]).collect();
            let facet_title = ls
                .strings
                .get(facet.label_key())
                .cloned()
                .unwrap_or_default();
            let place = Place {
                lang,
                route: Route::Term(*facet, term),
                page: 1,
                exists_in: None,
                shown: None,
            };
            let trail = [(facet_title.as_str(), urls.url(lang, Route::Facet(*facet)))];
            let extra = context! { facet => facet.segment(), term => term, title_lang => title_lang, border => (*facet == Facet::Border).then(|| border_ctx(site, shared, ls, lang, term)) };
            listing(
                site,
                env,
                shared,
                &place,
                title,
                String::new(),
                cards,
                crumbs(ls, urls, lang, &trail),
                extra,
            )
        }
        Job::Facet(lang, facet) => {
            let ls = &shared.langs[lang];
            let terms = crate::view::facet_links(site, urls, &ls.strings, lang, *facet);
            // The sidebar leaves out this facet: the page's own list is its terms.
            let others: Vec<&FacetGroup> = ls
                .view
                .facets
                .iter()
                .filter(|g| g.key != facet.segment())
                .collect();
            let extra = context! { facets => others, facet => facet.segment(), terms => terms };
            let title = ls.s(facet.label_key());
            interface_page(
                site,
                env,
                shared,
                lang,
                InterfacePage {
                    route: Route::Facet(*facet),
                    kind: "facet",
                    title,
                    trail: &[],
                    extra,
                },
            )
        }
        Job::Partners(lang) => partners(site, env, shared, lang),
        Job::Territories(lang) => territories(site, env, shared, lang),
        Job::Territory(lang, t) => territory(site, env, shared, lang, t),
        Job::Indicators(lang) => indicators(site, env, shared, lang),
        Job::Compare(lang) => compare(site, env, shared, lang),
        Job::Indicator(lang, ind) => indicator(site, env, shared, lang, ind),
        Job::Search(lang) => search(site, env, shared, lang),
    }
}

/// The page numbers a pagination shows: the first, the last and two on each side of
/// the current one; `None` marks a gap. Constant size, whatever the number of pages.
pub(super) fn page_window(current: usize, pages: usize) -> Vec<Option<usize>> {
    let mut shown: Vec<usize> = vec![1, pages];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(pages));
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() + 2);
    for (i, &k) in shown.iter().enumerate() {
        if i > 0 && k > shown[i - 1] + 1 {
            out.push(None);
        }
        out.push(Some(k));
    }
    out
}

/// The pager of page `n` of `pages` at `route`: `{page, pages, prev_url, next_url,
/// links: [{number, url, current} or {gap}]}`.
pub(super) fn pagination(
    urls: &Routes,
    lang: &Lang,
    route: Route,
    n: usize,
    pages: usize,
) -> Value {
    let page_url = |k: usize| urls.page(lang, route, k);
    context! {
        page => n, pages => pages,
        prev_url => (n > 1).then(|| page_url(n - 1)),
        next_url => (n < pages).then(|| page_url(n + 1)),
        links => page_window(n, pages).into_iter().map(|k| match k {
            Some(k) => context! { number => k, url => page_url(k), current => k == n },
            None => context! { gap => true },
        }).collect::<Vec<_>>(),
    }
}

/// The title of page `n` of `pages` of a page whose list is split into pages: after
/// the first, its name then "Page n of m", so that each page's title is its own.
pub(super) fn nth_title(ls: &LangShared, title: &str, n: usize, pages: usize) -> String {
    if n <= 1 {
        return title.to_string();
    }
    let of = ls
        .s("page_of")
        .replace("{page}", &n.to_string())
        .replace("{pages}", &pages.to_string());
    format!("{title}{}{of}", ls.s("part_separator"))
}

/// The practices of page `n` (from 1) of a list split into pages of [`PER_PAGE`], and
/// the number of pages (1 for an empty list).
pub(super) fn page_of<T>(items: &[T], n: usize) -> (&[T], usize) {
    let pages = items.len().div_ceil(PER_PAGE).max(1);
    let start = ((n - 1) * PER_PAGE).min(items.len());
    let end = (start + PER_PAGE).min(items.len());
    (&items[start..end], pages)
}

/// A listing of practices, split into pages of [`PER_PAGE`].
#[allow(clippy::too_many_arguments)]
pub(super) fn listing(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    place: &Place,
    title: String,
    description: String,
    cards: Vec<&Card>,
    breadcrumbs: Vec<Link>,
    extra: Value,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[place.lang];
    let pages = cards.len().div_ceil(PER_PAGE).max(1);
    // The sidebar counts the practices this listing lists, not the whole site's.
    let listed: Vec<usize> = cards
        .iter()
        .filter_map(|c| site.index.practice.get(c.slug.as_str()).copied())
        .collect();
    let facets = Value::from_serialize(listing_facets(site, &ls.view.facets, &listed));
    let page_url = |n: usize| urls.page(place.lang, place.route, n);
    let mut out = Vec::with_capacity(pages);
    for n in 1..=pages {
        let items: Vec<&&Card> = cards
            .iter()
            .skip((n - 1) * PER_PAGE)
            .take(PER_PAGE)
            .collect();
        let sub = Place {
            lang: place.lang,
            route: place.route,
            page: n,
            exists_in: None,
            shown: None,
        };
        let page = page_ctx(
            site,
            urls,
            &sub,
            "listing",
            title.clone(),
            description.clone(),
            breadcrumbs.clone(),
        );
        let pagination = pagination(urls, place.lang, place.route, n, pages);
        // A border's comparison is on its first page; the later ones list practices
        // (the keys written out win over the spread's).
        let extra = match n {
            1 => extra.clone(),
            _ => context! { border => (), ..extra.clone() },
        };
        let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, facets => facets.clone(), items => items, total => cards.len(), pagination => pagination, listing => extra };
        out.push(page_file(
            urls,
            &page_url(n),
            html(env, "listing.html", ctx)?,
            Some(&page),
        ));
    }
    Ok(out)
}

/// The "download the data" links of a page: per item, an interface string and its
/// files (format, address); the data package last.
pub(super) fn data_links(
    urls: &Routes,
    lang: &Lang,
    items: &[(&str, Vec<(&str, String)>)],
) -> Value {
    let mut out: Vec<Value> = items
        .iter()
        .map(|(key, files)| {
            let files: Vec<Value> = files
                .iter()
                .map(|(format, url)| context! { format => format, url => url })
                .collect();
            context! { key => key, files => files }
        })
        .collect();
    out.push(context! { key => "data_package", files => vec![context! { format => "JSON", url => urls.url(lang, Route::Data(crate::open_data::PACKAGE)) }] });
    Value::from(out)
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn pagination_window() {
        assert_eq!(page_window(1, 1), vec![Some(1)]);
        assert_eq!(page_window(2, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(1, 10),
            vec![Some(1), Some(2), Some(3), None, Some(10)]
        );
        assert_eq!(
            page_window(6, 10),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(10)
            ]
        );
        assert_eq!(
            page_window(10, 10),
            vec![Some(1), None, Some(8), Some(9), Some(10)]
        );
        assert_eq!(
            page_window(4, 7),
            vec![
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7)
            ]
        );
    }
}
