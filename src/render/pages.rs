//! One function per page kind: the context of the page and the template that
//! renders it. Each reads the site graph and the shared per-language values only.

use std::collections::BTreeMap;

use minijinja::{Environment, Error, Value, context};
use serde::Serialize;

use crate::markdown;
use crate::model::{Observation, Site, pick};
use crate::routes::{Route, Routes};
use crate::types::Lang;

use super::context::{LangShared, Shared};
use super::{Facet, Job, PER_PAGE, Rendered, SitemapUrl};
use crate::view::{Card, Link, label, period, status_label, term_label, term_practices};

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

#[derive(Serialize)]
struct LangLink {
    code: String,
    name: String,
    url: String,
    current: bool,
    /// The page's record exists in this language (always true for pages that are not
    /// records).
    available: bool,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
}

#[derive(Serialize)]
struct PageCtx {
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
    content_lang_name: Option<String>,
    /// Text direction of the shown language (`ltr`/`rtl`), with `content_lang`.
    content_dir: Option<&'static str>,
}

/// Where a page is and which languages have its content.
struct Place<'a> {
    lang: &'a Lang,
    route: Route<'a>,
    /// The page of a listing split into pages (1 for other pages).
    page: usize,
    /// Languages the content exists in; `None` for interface pages (all languages).
    exists_in: Option<Vec<&'a Lang>>,
    /// The language the content is shown in, when not the page's.
    shown: Option<&'a Lang>,
}

fn page_ctx(
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
        content_lang_name: place
            .shown
            .map(|l| site.strings.language_name(l).to_string()),
        content_dir: place.shown.map(crate::i18n::direction),
    }
}

fn crumbs(ls: &LangShared, urls: &Routes, lang: &Lang, trail: &[(&str, String)]) -> Vec<Link> {
    let mut out = vec![Link {
        title: ls.strings.get("home").cloned().unwrap_or_default(),
        url: urls.url(lang, Route::Home),
        lang: None,
        count: None,
    }];
    out.extend(trail.iter().map(|(t, u)| Link {
        title: t.to_string(),
        url: u.clone(),
        lang: None,
        count: None,
    }));
    out
}

fn html(env: &Environment<'static>, template: &str, ctx: Value) -> Result<Vec<u8>, Error> {
    let mut out = env.get_template(template)?.render(ctx)?;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out.into_bytes())
}

/// The file of a page; `sitemap` (the page's context) puts it in the sitemap with the
/// same hreflang alternates as its `<link rel="alternate">`.
fn page_file(urls: &Routes, url: &str, bytes: Vec<u8>, sitemap: Option<&PageCtx>) -> Rendered {
    Rendered {
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
fn body_html(site: &Site, urls: &Routes, lang: &Lang, md: &str) -> Value {
    let resolve = |kind: &str, id: &str, anchor: Option<&str>| -> Option<String> {
        let base = urls.url(lang, Route::internal(kind, id)?);
        Some(match anchor {
            Some(a) => format!("{base}#{a}"),
            None => base,
        })
    };
    Value::from_safe_string(markdown::render(md, site.config.raw_html, &resolve).html)
}

/// The languages a record exists in, and links to it in each of them but `lang`.
fn translations<'a, T>(
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
fn from_chain<T, R>(
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
        Job::Home(lang) => home(site, env, shared, lang),
        Job::Practice(lang, i) => practice(site, env, shared, lang, *i),
        Job::Partner(lang, i) => partner(site, env, shared, lang, *i),
        Job::Page(lang, i) => free_page(site, env, shared, lang, *i),
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
                .filter_map(|s| site.index.practice.get(s).copied())
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
            let extra = context! { facet => facet.segment(), term => term, title_lang => title_lang, border => (*facet == Facet::Border).then(|| border_ctx(site, urls, ls, lang, term)) };
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
            let title = ls
                .strings
                .get(facet.label_key())
                .cloned()
                .unwrap_or_default();
            let place = Place {
                lang,
                route: Route::Facet(*facet),
                page: 1,
                exists_in: None,
                shown: None,
            };
            let page = page_ctx(
                site,
                urls,
                &place,
                "facet",
                title,
                String::new(),
                crumbs(ls, urls, lang, &[]),
            );
            let terms = crate::view::facet_links(site, urls, &ls.strings, lang, *facet);
            let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, facets => ls.facets.clone(), facet => facet.segment(), terms => terms };
            Ok(vec![page_file(
                urls,
                &urls.url(lang, place.route),
                html(env, "facet.html", ctx)?,
                Some(&page),
            )])
        }
        Job::Partners(lang) => partners(site, env, shared, lang),
        Job::Territories(lang) => territories(site, env, shared, lang),
        Job::Territory(lang, i) => territory(site, env, shared, lang, *i),
    }
}

fn chooser(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let default = &site.config.default_language;
    let ls = &shared.langs[default];
    let choices: Vec<Value> = site
        .config
        .languages
        .iter()
        .map(|l| {
            let lsl = &shared.langs[l];
            let title = site.config.pick(&site.config.title, l).map(|t| t.1.clone()).unwrap_or_default();
            context! { code => l.as_str(), name => site.strings.language_name(l), url => urls.url(l, Route::Home), title => title, prompt => lsl.strings.get("choose_language").cloned().unwrap_or_default() }
        })
        .collect();
    let place = Place {
        lang: default,
        route: Route::Home,
        page: 1,
        exists_in: None,
        shown: None,
    };
    let mut page = page_ctx(
        site,
        urls,
        &place,
        "chooser",
        site.config
            .pick(&site.config.title, default)
            .map(|t| t.1.clone())
            .unwrap_or_default(),
        String::new(),
        vec![],
    );
    page.url = urls.url(default, Route::Chooser);
    page.canonical = urls.absolute(&page.url);
    for l in &mut page.languages {
        l.url = urls.url(&Lang::parse(&l.code).expect("site language"), Route::Home);
    }
    for a in &mut page.alternates {
        if a.hreflang != "x-default" {
            a.href = urls.absolute(&urls.url(
                &Lang::parse(&a.hreflang).expect("site language"),
                Route::Home,
            ));
        }
    }
    let ctx =
        context! { site => ls.site.clone(), t => ls.t.clone(), page => page, choices => choices };
    Ok(vec![page_file(
        urls,
        &urls.url(default, Route::Chooser),
        html(env, "chooser.html", ctx)?,
        Some(&page),
    )])
}

fn not_found(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let default = &site.config.default_language;
    let ls = &shared.langs[default];
    let place = Place {
        lang: default,
        route: Route::Home,
        page: 1,
        exists_in: None,
        shown: None,
    };
    let mut page = page_ctx(
        site,
        urls,
        &place,
        "not-found",
        ls.strings
            .get("not_found_title")
            .cloned()
            .unwrap_or_default(),
        String::new(),
        vec![],
    );
    page.alternates.clear();
    // Served at any missing address: it has no address of its own to be canonical.
    page.canonical.clear();
    for l in &mut page.languages {
        l.url = urls.url(&Lang::parse(&l.code).expect("site language"), Route::Home);
    }
    let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page };
    let bytes = html(env, "404.html", ctx)?;
    Ok(vec![Rendered {
        path: urls.file(default, Route::NotFound),
        bytes,
        sitemap: None,
    }])
}

fn home(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    // Latest: by start date, newest first; undated records after, by title.
    let mut idx: Vec<usize> = (0..site.practices.len()).collect();
    idx.sort_by(|&a, &b| {
        site.practices[b]
            .start
            .cmp(&site.practices[a].start)
            .then(ls.position[a].cmp(&ls.position[b]))
    });
    let latest: Vec<&Card> = idx.iter().take(6).map(|&i| &ls.cards[i]).collect();
    let title = site
        .config
        .pick(&site.config.title, lang)
        .map(|t| t.1.clone())
        .unwrap_or_default();
    let description = site
        .config
        .pick(&site.config.description, lang)
        .map(|t| t.1.clone())
        .unwrap_or_default();
    let place = Place {
        lang,
        route: Route::Home,
        page: 1,
        exists_in: None,
        shown: None,
    };
    let page = page_ctx(site, urls, &place, "home", title, description, vec![]);
    let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, facets => ls.facets.clone(), latest => latest, practices_url => urls.url(lang, Route::Practices), practice_count => site.practices.len() };
    Ok(vec![page_file(
        urls,
        &urls.url(lang, Route::Home),
        html(env, "home.html", ctx)?,
        Some(&page),
    )])
}

/// The page numbers a pagination shows: the first, the last and two on each side of
/// the current one; `None` marks a gap. Constant size, whatever the number of pages.
fn page_window(current: usize, pages: usize) -> Vec<Option<usize>> {
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

/// A listing of practices, split into pages of [`PER_PAGE`].
#[allow(clippy::too_many_arguments)]
fn listing(
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
        let pagination = context! {
            page => n, pages => pages,
            prev_url => (n > 1).then(|| page_url(n - 1)),
            next_url => (n < pages).then(|| page_url(n + 1)),
            links => page_window(n, pages).into_iter().map(|k| match k {
                Some(k) => context! { number => k, url => page_url(k), current => k == n },
                None => context! { gap => true },
            }).collect::<Vec<_>>(),
        };
        let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, facets => ls.facets.clone(), items => items, total => cards.len(), pagination => pagination, listing => extra.clone() };
        out.push(page_file(
            urls,
            &page_url(n),
            html(env, "listing.html", ctx)?,
            Some(&page),
        ));
    }
    Ok(out)
}

fn link_to(title: impl Into<String>, url: String, lang: Option<String>) -> Link {
    Link {
        title: title.into(),
        url,
        lang,
        count: None,
    }
}

fn practice(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    i: usize,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let p = &site.practices[i];
    let (shown, text) = pick(&site.config, &p.texts, lang).expect("a practice has a translation");
    let s = |k: &str| ls.strings.get(k).cloned().unwrap_or_default();
    let term_links = |facet: Facet, ids: &[String]| -> Vec<Link> {
        ids.iter()
            .map(|id| {
                let (t, l) = term_label(site, &ls.strings, lang, facet, id);
                link_to(t, urls.url(lang, Route::Term(facet, id)), l)
            })
            .collect()
    };
    let partners: Vec<Link> = p
        .partners
        .iter()
        .filter_map(|slug| {
            let partner = site.partner(slug)?;
            let (pl, pt) = pick(&site.config, &partner.texts, lang)?;
            Some(link_to(
                pt.name.clone(),
                urls.url(lang, Route::Partner(slug)),
                (pl != lang).then(|| pl.to_string()),
            ))
        })
        .collect();
    let territories: Vec<Link> = p
        .territories
        .iter()
        .filter_map(|id| {
            let t = site.territory(id)?;
            let (name, l) = label(site, &t.name, lang);
            Some(link_to(
                name,
                urls.url(lang, Route::Territory(id)),
                (l != lang).then(|| l.to_string()),
            ))
        })
        .collect();
    // Text fields a translation may leave out come from the fallback chain.
    let labels = from_chain(site, &p.texts, lang, |t| {
        Some(t.result_labels.clone()).filter(|l| !l.is_empty())
    })
    .unwrap_or_default();
    let results: Vec<Value> = p
        .results
        .iter()
        .enumerate()
        .map(|(k, r)| context! { label => labels.get(k).cloned().unwrap_or_default(), value => site.strings.locale(lang).number(r.value), unit => r.unit.clone() })
        .collect();
    let contact = from_chain(site, &p.texts, lang, |t| t.contact.clone());
    let sources = from_chain(site, &p.texts, lang, |t| {
        Some(t.sources.clone()).filter(|s| !s.is_empty())
    })
    .unwrap_or_default();
    let (exists_in, also) = translations(site, &p.texts, lang, |l| {
        urls.url(l, Route::Practice(&p.slug))
    });
    let practice = context! {
        slug => &p.slug,
        title => &text.title,
        summary => &text.summary,
        body => body_html(site, urls, lang, &text.body),
        status => p.status.as_str(),
        status_label => status_label(&ls.strings, p.status),
        start => p.start.map(|d| d.to_string()),
        end => p.end.map(|d| d.to_string()),
        period => period(site.strings.locale(lang), p),
        countries => term_links(Facet::Country, &p.countries),
        territories => territories,
        border => p.border.as_ref().map(|b| term_links(Facet::Border, std::slice::from_ref(b)).remove(0)),
        themes => term_links(Facet::Theme, &p.themes),
        target_groups => term_links(Facet::TargetGroup, &p.target_groups),
        partners => partners,
        programme => from_chain(site, &p.texts, lang, |t| t.programme.clone()),
        website => from_chain(site, &p.texts, lang, |t| t.website.clone()),
        contact => contact,
        budget => p.budget.as_ref().map(|b| context! { amount => site.strings.locale(lang).number(b.amount), currency => &b.currency, text => site.strings.locale(lang).money(b.amount, &b.currency) }),
        transferability => p.transferability.map(|t| t.as_str()),
        transferability_label => p.transferability.map(|t| s(&format!("transferability_{}", t.as_str()))),
        results => results,
        sources => sources,
        also_available => also,
    };
    let place = Place {
        lang,
        route: Route::Practice(&p.slug),
        page: 1,
        exists_in: Some(exists_in),
        shown: (shown != lang).then_some(shown),
    };
    let trail = [(s("practices"), urls.url(lang, Route::Practices))];
    let trail: Vec<(&str, String)> = trail.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    let page = page_ctx(
        site,
        urls,
        &place,
        "practice",
        text.title.clone(),
        text.summary.clone().unwrap_or_default(),
        crumbs(ls, urls, lang, &trail),
    );
    let in_sitemap = place.shown.is_none();
    let ctx =
        context! { site => ls.site.clone(), t => ls.t.clone(), page => page, practice => practice };
    Ok(vec![page_file(
        urls,
        &urls.url(lang, Route::Practice(&p.slug)),
        html(env, "practice.html", ctx)?,
        in_sitemap.then_some(&page),
    )])
}

fn cards_for<'a>(site: &Site, ls: &'a LangShared, slugs: &[String]) -> Vec<&'a Card> {
    let mut idx: Vec<usize> = slugs
        .iter()
        .filter_map(|s| site.index.practice.get(s).copied())
        .collect();
    idx.sort_by_key(|&i| ls.position[i]);
    idx.dedup();
    idx.iter().map(|&i| &ls.cards[i]).collect()
}

fn partner(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    i: usize,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let p = &site.partners[i];
    let (shown, text) = pick(&site.config, &p.texts, lang).expect("a partner has a translation");
    let s = |k: &str| ls.strings.get(k).cloned().unwrap_or_default();
    let practices = cards_for(
        site,
        ls,
        site.index
            .partner_practices
            .get(&p.slug)
            .map(Vec::as_slice)
            .unwrap_or(&[]),
    );
    let kind = site.vocab.partner_kinds.get(&p.kind).map(|m| {
        let (t, l) = label(site, m, lang);
        link_to(t, String::new(), (l != lang).then(|| l.to_string()))
    });
    let territory = p.territory.as_ref().and_then(|id| {
        let t = site.territory(id)?;
        let (name, l) = label(site, &t.name, lang);
        Some(link_to(
            name,
            urls.url(lang, Route::Territory(id)),
            (l != lang).then(|| l.to_string()),
        ))
    });
    let (exists_in, also) = translations(site, &p.texts, lang, |l| {
        urls.url(l, Route::Partner(&p.slug))
    });
    let country_name = site
        .strings
        .country(&site.config, lang, &p.country)
        .unwrap_or(&p.country)
        .to_string();
    let partner = context! {
        slug => &p.slug,
        name => &text.name,
        short_name => &text.short_name,
        city => from_chain(site, &p.texts, lang, |t| t.city.clone()),
        website => from_chain(site, &p.texts, lang, |t| t.website.clone()),
        kind => kind,
        country => link_to(country_name, urls.url(lang, Route::Term(Facet::Country, &p.country)), None),
        territory => territory,
        body => body_html(site, urls, lang, &text.body),
        practices => practices,
        also_available => also,
    };
    let place = Place {
        lang,
        route: Route::Partner(&p.slug),
        page: 1,
        exists_in: Some(exists_in),
        shown: (shown != lang).then_some(shown),
    };
    let trail = [(s("partners"), urls.url(lang, Route::Partners))];
    let trail: Vec<(&str, String)> = trail.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    let page = page_ctx(
        site,
        urls,
        &place,
        "partner",
        text.name.clone(),
        String::new(),
        crumbs(ls, urls, lang, &trail),
    );
    let in_sitemap = place.shown.is_none();
    let ctx =
        context! { site => ls.site.clone(), t => ls.t.clone(), page => page, partner => partner };
    Ok(vec![page_file(
        urls,
        &urls.url(lang, Route::Partner(&p.slug)),
        html(env, "partner.html", ctx)?,
        in_sitemap.then_some(&page),
    )])
}

fn free_page(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    i: usize,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let p = &site.pages[i];
    let (shown, text) = pick(&site.config, &p.texts, lang).expect("a page has a translation");
    let (exists_in, also) =
        translations(site, &p.texts, lang, |l| urls.url(l, Route::Page(&p.slug)));
    let content = context! {
        slug => &p.slug, title => &text.title, summary => &text.summary, updated => text.updated.map(|d| d.to_string()), updated_text => text.updated.map(|d| site.strings.locale(lang).date(d)),
        body => body_html(site, urls, lang, &text.body), also_available => also,
    };
    let place = Place {
        lang,
        route: Route::Page(&p.slug),
        page: 1,
        exists_in: Some(exists_in),
        shown: (shown != lang).then_some(shown),
    };
    let page = page_ctx(
        site,
        urls,
        &place,
        "page",
        text.title.clone(),
        text.summary.clone().unwrap_or_default(),
        crumbs(ls, urls, lang, &[]),
    );
    let in_sitemap = place.shown.is_none();
    let ctx =
        context! { site => ls.site.clone(), t => ls.t.clone(), page => page, content => content };
    Ok(vec![page_file(
        urls,
        &urls.url(lang, Route::Page(&p.slug)),
        html(env, "page.html", ctx)?,
        in_sitemap.then_some(&page),
    )])
}

fn partners(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let mut items: Vec<Value> = Vec::new();
    let mut sorted: Vec<(String, Value)> = site
        .partners
        .iter()
        .filter_map(|p| {
            let (shown, text) = pick(&site.config, &p.texts, lang)?;
            let kind = site.vocab.partner_kinds.get(&p.kind).map(|m| label(site, m, lang).0.to_string());
            let country = site.strings.country(&site.config, lang, &p.country).unwrap_or(&p.country).to_string();
            let v = context! {
                slug => &p.slug, url => urls.url(lang, Route::Partner(&p.slug)), name => &text.name, short_name => &text.short_name,
                lang => (shown != lang).then(|| shown.to_string()), kind => kind, country => country,
                city => from_chain(site, &p.texts, lang, |t| t.city.clone()),
                practice_count => site.index.partner_practices.get(&p.slug).map(Vec::len).unwrap_or(0),
            };
            Some((text.name.clone(), v))
        })
        .collect();
    sorted.sort_by(|a, b| site.strings.locale(lang).compare(&a.0, &b.0));
    items.extend(sorted.into_iter().map(|x| x.1));
    let title = ls.strings.get("partners").cloned().unwrap_or_default();
    let place = Place {
        lang,
        route: Route::Partners,
        page: 1,
        exists_in: None,
        shown: None,
    };
    let page = page_ctx(
        site,
        urls,
        &place,
        "partners",
        title,
        String::new(),
        crumbs(ls, urls, lang, &[]),
    );
    let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, items => items };
    Ok(vec![page_file(
        urls,
        &urls.url(lang, Route::Partners),
        html(env, "partners.html", ctx)?,
        Some(&page),
    )])
}

/// A value as the indicator shows it, in the reader's language.
fn shown_value(site: &Site, lang: &Lang, o: Option<&Observation>) -> Value {
    match o {
        Some(o) => {
            let ind = site.indicator(&o.indicator);
            let decimals = ind.map(|i| i.decimals).unwrap_or(0);
            context! { value => o.value.map(|v| site.strings.locale(lang).decimal(v, decimals)), unit => ind.and_then(|i| i.unit.clone()), year => o.year, note => &o.note }
        }
        None => Value::from(()),
    }
}

fn territories(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let mut rows: Vec<(String, String, Value)> = site
        .territories
        .iter()
        .map(|t| {
            let (name, l) = label(site, &t.name, lang);
            let country = site.strings.country(&site.config, lang, &t.country).unwrap_or(&t.country).to_string();
            let v = context! { id => &t.id, url => urls.url(lang, Route::Territory(&t.id)), name => name, lang => (l != lang).then(|| l.to_string()), country => &country, level => &t.level,
                practice_count => site.index.territory_practices.get(&t.id).map(Vec::len).unwrap_or(0) };
            (country, name.to_string(), v)
        })
        .collect();
    rows.sort_by(|a, b| {
        site.strings
            .locale(lang)
            .compare(&a.0, &b.0)
            .then(site.strings.locale(lang).compare(&a.1, &b.1))
    });
    let title = ls.strings.get("territories").cloned().unwrap_or_default();
    let place = Place {
        lang,
        route: Route::Territories,
        page: 1,
        exists_in: None,
        shown: None,
    };
    let page = page_ctx(
        site,
        urls,
        &place,
        "territories",
        title,
        String::new(),
        crumbs(ls, urls, lang, &[]),
    );
    let items: Vec<Value> = rows.into_iter().map(|r| r.2).collect();
    let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, items => items };
    Ok(vec![page_file(
        urls,
        &urls.url(lang, Route::Territories),
        html(env, "territories.html", ctx)?,
        Some(&page),
    )])
}

fn indicator_name(site: &Site, lang: &Lang, id: &str) -> (String, Option<String>) {
    match site.indicator(id) {
        Some(ind) => {
            let (n, l) = label(site, &ind.name, lang);
            (n.to_string(), (l != lang).then(|| l.to_string()))
        }
        None => (id.to_string(), None),
    }
}

fn territory(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    i: usize,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let t = &site.territories[i];
    let (name, name_lang) = label(site, &t.name, lang);
    let indicators: Vec<Value> = site
        .indicators
        .iter()
        .map(|ind| {
            let (iname, ilang) = indicator_name(site, lang, &ind.id);
            let source = site.config.pick(&ind.source, lang).map(|s| s.1.clone());
            context! { id => &ind.id, name => iname, lang => ilang, latest => shown_value(site, lang, site.latest(&t.id, &ind.id)), source => source }
        })
        .collect();
    let practices = cards_for(
        site,
        ls,
        site.index
            .territory_practices
            .get(&t.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]),
    );
    let borders: Vec<Link> = site
        .index
        .territory_borders
        .get(&t.id)
        .into_iter()
        .flatten()
        .map(|b| {
            let (title, l) = term_label(site, &ls.strings, lang, Facet::Border, b);
            link_to(title, urls.url(lang, Route::Term(Facet::Border, b)), l)
        })
        .collect();
    let country = site
        .strings
        .country(&site.config, lang, &t.country)
        .unwrap_or(&t.country)
        .to_string();
    let territory = context! {
        id => &t.id, name => name, lang => (name_lang != lang).then(|| name_lang.to_string()), level => &t.level,
        country => link_to(country, urls.url(lang, Route::Term(Facet::Country, &t.country)), None),
        indicators => indicators, practices => practices, borders => borders,
    };
    let s = |k: &str| ls.strings.get(k).cloned().unwrap_or_default();
    let place = Place {
        lang,
        route: Route::Territory(&t.id),
        page: 1,
        exists_in: None,
        shown: None,
    };
    let trail = [(s("territories"), urls.url(lang, Route::Territories))];
    let trail: Vec<(&str, String)> = trail.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    let page = page_ctx(
        site,
        urls,
        &place,
        "territory",
        name.to_string(),
        String::new(),
        crumbs(ls, urls, lang, &trail),
    );
    let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, territory => territory };
    Ok(vec![page_file(
        urls,
        &urls.url(lang, Route::Territory(&t.id)),
        html(env, "territory.html", ctx)?,
        Some(&page),
    )])
}

/// The sides of a border and, per indicator, each territory's latest value.
fn border_ctx(site: &Site, urls: &Routes, _ls: &LangShared, lang: &Lang, id: &str) -> Value {
    let Some(b) = site.border(id) else {
        return Value::from(());
    };
    let sides: Vec<Value> = b
        .sides
        .iter()
        .enumerate()
        .map(|(n, side)| {
            let territories: Vec<Link> = side
                .iter()
                .filter_map(|tid| {
                    let t = site.territory(tid)?;
                    let (name, l) = label(site, &t.name, lang);
                    Some(link_to(
                        name,
                        urls.url(lang, Route::Territory(tid)),
                        (l != lang).then(|| l.to_string()),
                    ))
                })
                .collect();
            context! { number => n + 1, territories => territories }
        })
        .collect();
    let columns: Vec<&String> = b.sides.iter().flatten().collect();
    let rows: Vec<Value> = site
        .indicators
        .iter()
        .map(|ind| {
            let (iname, ilang) = indicator_name(site, lang, &ind.id);
            let values: Vec<Value> = columns.iter().map(|tid| shown_value(site, lang, site.latest(tid, &ind.id))).collect();
            context! { id => &ind.id, name => iname, lang => ilang, values => values, source => site.config.pick(&ind.source, lang).map(|s| s.1.clone()) }
        })
        .collect();
    let headers: Vec<Link> = columns
        .iter()
        .filter_map(|tid| {
            let t = site.territory(tid)?;
            let (name, l) = label(site, &t.name, lang);
            Some(link_to(
                name,
                urls.url(lang, Route::Territory(tid)),
                (l != lang).then(|| l.to_string()),
            ))
        })
        .collect();
    context! { id => &b.id, sides => sides, headers => headers, rows => rows }
}
