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

/// About this many practices share a file of the comparison's data: a comparison of
/// four reads four small files, and a site of 10,000 practices has ~600 files per
/// language, not 10,000.
const PER_BUCKET: usize = 16;

/// How many buckets the practices of a site are spread over (the script reads it).
pub(super) fn buckets(site: &Site) -> u32 {
    site.practices.len().div_ceil(PER_BUCKET).max(1) as u32
}

/// The bucket of a practice: FNV-1a (32 bits) of its slug's UTF-8 bytes, modulo the
/// number of buckets; `compare.js` computes the same.
pub(super) fn bucket(slug: &str, buckets: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in slug.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % buckets
}

/// The file of a territory's comparison data, `/<lang>/compare/t/<id>.json` (ids in
/// lower case, like their pages).
pub(super) fn territory_file(id: &str) -> String {
    format!("t/{}.json", id.to_lowercase())
}

/// A practice's entry in its bucket, `/<lang>/compare/p/<n>.json` (an object by slug).
pub(super) fn practice_entry(
    site: &Site,
    urls: &Routes,
    lang: &Lang,
    slug: &str,
    value: &Value,
) -> Rendered {
    let name = format!("p/{}.json", bucket(slug, buckets(site)));
    Rendered {
        path: urls.file(lang, Route::CompareFile(&name)),
        // A `Value` made of strings, lists and maps always serialises.
        bytes: serde_json::to_vec(value).unwrap_or_default(),
        sitemap: None,
        entry: Some(slug.to_string()),
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
    Rendered {
        path: urls.file(lang, Route::CompareFile(&territory_file(&t.id))),
        bytes: serde_json::to_vec(&value).unwrap_or_default(),
        sitemap: None,
        entry: None,
    }
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
            // A country's own territory is not followed by its name again.
            let country = (country != name).then_some(country);
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
            // The source says where the numbers come from (or that they are made up).
            let source = site.config.pick(&ind.source, lang);
            context! {
                id => &ind.id, name => name, lang => (l != lang).then(|| l.to_string()), url => urls.url(lang, Route::Indicator(&ind.id)), unit => &ind.unit,
                source => source.map(|s| s.1), source_lang => source.and_then(|s| (s.0 != lang).then(|| s.0.to_string())),
            }
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
            added_territory => ls.s("compare_added_territory"), over => ls.s("compare_over"),
            aside => ls.s("aside"), list_separator => ls.s("list_separator"),
        },
        lang => lang.as_str(),
        max => MAX_PRACTICES,
        practices => urls.url(lang, Route::CompareFile("p/")),
        buckets => buckets(site),
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
        title: ls.s("compare_tray"),
        trail: &[],
        extra,
    };
    interface_page(site, env, shared, lang, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_fnv1a_of_the_slug() {
        // FNV-1a 32 of "a" is 0xe40c292c; of "" the offset basis.
        assert_eq!(bucket("a", u32::MAX), 0xe40c_292c);
        assert_eq!(bucket("", 1 << 31), 0x811c_9dc5 % (1 << 31));
        assert_eq!(bucket("sokrog-social-activation", 1), 0);
        // The same figures as tests/compare/bucket.test.mjs gets from compare.js.
        assert_eq!(bucket("sokrog-social-activation", 625), 552);
        assert_eq!(bucket("practice-00042", 1_000_003), 383_268);
        assert_eq!(bucket("čšž-ünicode", 1_000_003), 576_483);
    }
}
