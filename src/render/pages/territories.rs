//! The territories: their listing and a page for each (its indicators year by year
//! come from `figures`).

use super::*;
use crate::model::Territory;

pub(super) fn territories(
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
            let (level, level_lang) = level_label(site, t, lang);
            let v = context! { id => &t.id, url => urls.url(lang, Route::Territory(&t.id)), name => name, lang => (l != lang).then(|| l.to_string()), country => &country, level => level, level_lang => level_lang,
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
    let items: Vec<Value> = rows.into_iter().map(|r| r.2).collect();
    let extra = context! { items => items };
    let title = ls.s("territories");
    interface_page(
        site,
        env,
        shared,
        lang,
        InterfacePage {
            route: Route::Territories,
            kind: "territories",
            title,
            trail: &[],
            extra,
        },
    )
}

pub(super) fn territory(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    t: &Territory,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let (name, name_lang) = label(site, &t.name, lang);
    let indicators = territory_indicators(site, urls, ls, lang, &t.id, name);
    let without_data: Vec<Link> = site
        .indicators
        .iter()
        .filter(|ind| site.series(&t.id, &ind.id).next().is_none())
        .map(|ind| {
            let (n, l) = label(site, &ind.name, lang);
            link_to(
                n,
                urls.url(lang, Route::Indicator(&ind.id)),
                (l != lang).then(|| l.to_string()),
            )
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
    let (level, level_lang) = level_label(site, t, lang);
    let route = Route::Territory(&t.id);
    let (first, pages) = page_of(&practices, 1);
    let territory = context! {
        id => &t.id, name => name, lang => (name_lang != lang).then(|| name_lang.to_string()), level => level, level_lang => level_lang,
        country => link_to(country, urls.url(lang, Route::Term(Facet::Country, &t.country)), None),
        indicators => indicators, without_data => without_data, practices => first, practice_total => practices.len(),
        data => data_links(urls, lang, &[
            ("data_values", if site.index.series.contains_key(&t.id) {
                vec![("CSV", urls.url(lang, Route::Data(&crate::open_data::territory_observations(&t.id)))), ("JSON", urls.url(lang, Route::CompareFile(&territory_file(&t.id))))]
            } else {
                vec![]
            }),
            ("data_observations", vec![("CSV", urls.url(lang, Route::Data("observations.csv"))), ("JSON", urls.url(lang, Route::Data("observations.json")))]),
        ]), borders => borders,
    };
    let trail = [(ls.s("territories"), urls.url(lang, Route::Territories))];
    let trail: Vec<(&str, String)> = trail.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    let page = InterfacePage {
        route,
        kind: "territory",
        title: name.to_string(),
        trail: &trail,
        extra: context! { territory => territory, pagination => pagination(urls, lang, route, 1, pages) },
    };
    let mut out = interface_page(site, env, shared, lang, page)?;
    // The practices past the first page: each later page lists them with the
    // territory's name, its link back to the first page among the breadcrumbs.
    let mut trail_on = trail.clone();
    trail_on.push((name, urls.url(lang, route)));
    for n in 2..=pages {
        let (items, _) = page_of(&practices, n);
        let territory = context! {
            id => &t.id, name => name, lang => (name_lang != lang).then(|| name_lang.to_string()),
            practices => items, practice_total => practices.len(),
        };
        let page = InterfacePage {
            route,
            kind: "territory",
            title: nth_title(ls, name, n, pages),
            trail: &trail_on,
            extra: context! { territory => territory, pagination => pagination(urls, lang, route, n, pages) },
        };
        out.extend(interface_page_n(site, env, shared, lang, page, n)?);
    }
    out.push(territory_record(site, urls, lang, t));
    Ok(out)
}

/// The label of a territory's level in the reader's language or its fallback (with
/// that language when it is another), as vocabulary terms fall back.
fn level_label<'a>(
    site: &'a Site,
    t: &'a Territory,
    lang: &Lang,
) -> (Option<&'a str>, Option<String>) {
    if t.level.is_none() {
        return (None, None);
    }
    let (text, l) = label(site, &t.level_labels, lang);
    (Some(text), (l != lang).then(|| l.to_string()))
}
