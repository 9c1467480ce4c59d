//! The language chooser, the 404 page, the home page and the listing of partners.

use super::*;

pub(super) fn chooser(
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

/// `/404.html`, served at any missing address: every language's message, each with a
/// link to its home page (like the chooser), in the default language's frame.
pub(super) fn not_found(
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
            let s = |key: &str| lsl.strings.get(key).cloned().unwrap_or_default();
            let site_title = site.config.pick(&site.config.title, l).map(|t| t.1.clone()).unwrap_or_default();
            context! { code => l.as_str(), dir => crate::i18n::direction(l), name => site.strings.language_name(l), url => urls.url(l, Route::Home), title => s("not_found_title"), text => s("not_found_text"), site_title => site_title }
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
        "not-found",
        ls.s("not_found_title"),
        String::new(),
        vec![],
    );
    page.url = urls.url(default, Route::NotFound);
    page.alternates.clear();
    // Served at any missing address: it has no address of its own to be canonical.
    page.canonical.clear();
    for l in &mut page.languages {
        l.url = urls.url(&Lang::parse(&l.code).expect("site language"), Route::Home);
    }
    let ctx =
        context! { site => ls.site.clone(), t => ls.t.clone(), page => page, choices => choices };
    let bytes = html(env, "404.html", ctx)?;
    Ok(vec![Rendered {
        entry: None,
        path: urls.file(default, Route::NotFound),
        bytes,
        sitemap: None,
    }])
}

/// `/<lang>/404.html`: the 404 page of one language, with its navigation, for hosts
/// that serve the nearest 404 page of a folder (and `limes serve`). Its language links
/// go to the 404 pages of the other languages.
pub(super) fn lang_not_found(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let place = Place {
        lang,
        route: Route::LangNotFound,
        page: 1,
        exists_in: None,
        shown: None,
    };
    let mut page = page_ctx(
        site,
        urls,
        &place,
        "not-found",
        ls.s("not_found_title"),
        String::new(),
        vec![],
    );
    page.alternates.clear();
    page.canonical.clear();
    let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page };
    let bytes = html(env, "404.html", ctx)?;
    Ok(vec![Rendered {
        entry: None,
        path: urls.file(lang, Route::LangNotFound),
        bytes,
        sitemap: None,
    }])
}

pub(super) fn home(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let latest: Vec<&Card> = ls.latest.iter().take(6).map(|&i| &ls.cards[i]).collect();
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

pub(super) fn partners(
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
            let (_, text) = pick(&site.config, &p.texts, lang)?;
            let kind = site.vocab.partner_kinds.get(&p.kind).map(|m| label(site, m, lang).0.to_string());
            let country = site.strings.country(&site.config, lang, &p.country).unwrap_or(&p.country).to_string();
            let naming = crate::view::partner_name(site, p, lang);
            let v = context! {
                slug => &p.slug, url => urls.url(lang, Route::Partner(&p.slug)), name => &naming.name, short_name => &text.short_name,
                lang => &naming.lang, gloss => &naming.gloss, kind => kind, country => country,
                city => from_chain(site, &p.texts, lang, |t| t.city.clone()),
                practice_count => site.index.partner_practices.get(&p.slug).map(Vec::len).unwrap_or(0),
            };
            Some((naming.name, v))
        })
        .collect();
    sorted.sort_by(|a, b| site.strings.locale(lang).compare(&a.0, &b.0));
    items.extend(sorted.into_iter().map(|x| x.1));
    let all: Vec<&crate::model::Partner> = site.partners.iter().collect();
    let map = super::maps::partners_map(site, shared, ls, lang, &all, &[], "");
    let extra = context! { items => items, map => map };
    interface_page(
        site,
        env,
        shared,
        lang,
        InterfacePage {
            route: Route::Partners,
            kind: "partners",
            title: ls.s("partners"),
            trail: &[],
            extra,
        },
    )
}
