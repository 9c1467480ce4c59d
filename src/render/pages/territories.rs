//! The territories: their listing and a page for each, and the comparison of a
//! border's sides on its listing.

use super::*;
use crate::model::Territory;
use crate::types::TerritoryId;

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

/// A value as the indicator shows it, in the reader's language.
pub(super) fn shown_value(site: &Site, lang: &Lang, o: Option<&Observation>) -> Value {
    match o {
        Some(o) => {
            let ind = site.indicator(&o.indicator);
            let decimals = ind.map(|i| i.decimals).unwrap_or(0);
            context! { value => o.value.map(|v| site.strings.locale(lang).decimal(v, decimals)), unit => ind.and_then(|i| i.unit.clone()), year => o.year, note => &o.note }
        }
        None => Value::from(()),
    }
}

pub(super) fn indicator_name(site: &Site, lang: &Lang, id: &str) -> (String, Option<String>) {
    match site.indicator(id) {
        Some(ind) => {
            let (n, l) = label(site, &ind.name, lang);
            (n.to_string(), (l != lang).then(|| l.to_string()))
        }
        None => (id.to_string(), None),
    }
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
    let trail = [(ls.s("territories"), urls.url(lang, Route::Territories))];
    let trail: Vec<(&str, String)> = trail.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    let page = InterfacePage {
        route: Route::Territory(&t.id),
        kind: "territory",
        title: name.to_string(),
        trail: &trail,
        extra: context! { territory => territory },
    };
    interface_page(site, env, shared, lang, page)
}

/// The sides of a border and, per indicator, each territory's latest value.
pub(super) fn border_ctx(
    site: &Site,
    urls: &Routes,
    _ls: &LangShared,
    lang: &Lang,
    id: &str,
) -> Value {
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
                .filter_map(|tid| territory_link(site, urls, lang, tid))
                .collect();
            context! { number => n + 1, territories => territories }
        })
        .collect();
    let columns: Vec<&TerritoryId> = b.sides.iter().flatten().collect();
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
        .filter_map(|tid| territory_link(site, urls, lang, tid))
        .collect();
    context! { id => &b.id, sides => sides, headers => headers, rows => rows }
}
