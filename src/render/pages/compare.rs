//! Comparison: the page `/<lang>/compare/` (practices or territories side by side, the
//! choice in its address) and what its script reads, a small JSON file per practice
//! and per territory in each language, written beside their pages.

use super::*;
use crate::model::Territory;
use crate::render::pages::figures::with_unit;

/// The script that lets readers pick practices on every page and draws the comparison.
const SCRIPT: &str = include_str!("../compare.js");

/// How many practices a comparison holds.
pub(crate) const MAX_PRACTICES: usize = 4;

/// Where the script is published, named by its content.
pub(crate) fn script_path() -> String {
    format!(
        "js/{}",
        crate::search::index::hashed("compare", SCRIPT.as_bytes(), "js")
    )
}

/// The script, for the plan.
pub(crate) fn script() -> &'static [u8] {
    SCRIPT.as_bytes()
}

/// The file of a record's comparison data: `/<lang>/compare/p/<slug>.json`,
/// `/<lang>/compare/t/<id>.json` (territory ids in lower case, like their pages).
pub(super) fn record_file(kind: &str, id: &str) -> String {
    format!("{kind}/{}.json", id.to_lowercase())
}

/// The JSON a comparison reads for one record.
pub(super) fn compare_record(urls: &Routes, lang: &Lang, route: Route, value: &Value) -> Rendered {
    let name = match route {
        Route::Practice(slug) => record_file("p", slug),
        Route::Territory(id) => record_file("t", id),
        _ => unreachable!("only practices and territories are compared"),
    };
    Rendered {
        path: urls.file(lang, Route::CompareFile(&name)),
        // A `Value` made of strings, lists and maps always serialises.
        bytes: serde_json::to_vec(value).unwrap_or_default(),
        sitemap: None,
    }
}

/// A territory's values, year by year, as the comparison shows them: the value as
/// written and as shown, and the note.
pub(super) fn territory_record(site: &Site, urls: &Routes, lang: &Lang, t: &Territory) -> Rendered {
    let locale = site.strings.locale(lang);
    let (name, nlang) = label(site, &t.name, lang);
    let indicators: BTreeMap<&str, Vec<Value>> = site
        .indicators
        .iter()
        .filter(|ind| site.series(&t.id, &ind.id).next().is_some())
        .map(|ind| {
            let years: Vec<Value> = site
                .series(&t.id, &ind.id)
                .map(|o| {
                    context! {
                        year => o.year, label => locale.year(o.year), value => o.value,
                        text => o.value.map(|v| with_unit(locale, ind, v)), note => &o.note,
                    }
                })
                .collect();
            (ind.id.as_str(), years)
        })
        .collect();
    let country = site
        .strings
        .country(&site.config, lang, &t.country)
        .unwrap_or(&t.country);
    let value = context! {
        id => &t.id, name => name, lang => (nlang != lang).then(|| nlang.to_string()),
        url => urls.url(lang, Route::Territory(&t.id)), country => country,
        indicators => indicators,
    };
    compare_record(urls, lang, Route::Territory(&t.id), &value)
}

/// `/<lang>/compare/`: the page; what it compares is read from its address by the
/// script, which fetches the records' JSON.
pub(super) fn compare(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let locale = site.strings.locale(lang);
    let mut territories: Vec<(String, Value)> = site
        .territories
        .iter()
        .map(|t| {
            let (name, l) = label(site, &t.name, lang);
            let country = site
                .strings
                .country(&site.config, lang, &t.country)
                .unwrap_or(&t.country);
            (
                name.to_string(),
                context! { id => &t.id, name => name, lang => (l != lang).then(|| l.to_string()), country => country },
            )
        })
        .collect();
    territories.sort_by(|a, b| locale.compare(&a.0, &b.0));
    let territories: Vec<Value> = territories.into_iter().map(|t| t.1).collect();
    let indicators: Vec<Value> = site
        .indicators
        .iter()
        .map(|ind| {
            let (name, l) = label(site, &ind.name, lang);
            context! { id => &ind.id, name => name, lang => (l != lang).then(|| l.to_string()), url => urls.url(lang, Route::Indicator(&ind.id)), unit => &ind.unit }
        })
        .collect();
    // The labels of a practice's rows, in the order of its page.
    let fields: Vec<Value> = [
        ("summary", "summary"),
        ("status_label", "status"),
        ("period", "period"),
        ("countries", "countries_label"),
        ("territories", "territories"),
        ("border", "border"),
        ("themes", "themes"),
        ("target_groups", "target_groups"),
        ("partners", "partners"),
        ("programme", "programme"),
        ("budget", "budget"),
        ("results", "results"),
        ("transferability_label", "transferability"),
    ]
    .iter()
    .map(|(field, key)| context! { field => field, label => ls.s(key) })
    .collect();
    let config = context! {
        t => context! {
            practices_title => ls.s("compare_practices_title"), territories_title => ls.s("compare_territories_title"),
            remove => ls.s("compare_remove"), remove_short => ls.s("compare_remove_short"), differs => ls.s("compare_differs"),
            not_available => ls.s("not_available"), download => ls.s("compare_download"), unknown => ls.s("compare_unknown"),
            field => ls.s("compare_field"), indicator => ls.s("indicator"), common_year => ls.s("compare_common_year"),
            no_common_year => ls.s("compare_no_common_year"), choose_territories => ls.s("compare_choose_territories"),
            to_listings => ls.s("compare_to_listings"), removed_territory => ls.s("compare_removed_territory"),
            added_territory => ls.s("compare_added_territory"),
        },
        lang => lang.as_str(),
        max => MAX_PRACTICES,
        practices => urls.url(lang, Route::CompareFile("p/")),
        territories_data => urls.url(lang, Route::CompareFile("t/")),
        fields => fields,
        indicators => indicators,
    };
    let extra = context! {
        compare => context! {
            config => config,
            territories => territories,
            practices_url => urls.url(lang, Route::Practices),
            territories_url => urls.url(lang, Route::Territories),
            indicators_url => urls.url(lang, Route::Indicators),
        },
    };
    let page = InterfacePage {
        route: Route::Compare,
        kind: "compare",
        title: ls.s("compare"),
        trail: &[],
        extra,
    };
    interface_page(site, env, shared, lang, page)
}
