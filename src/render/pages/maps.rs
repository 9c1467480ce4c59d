//! The maps of the pages: a border's territories by side with its partners, an
//! indicator's values by territory (on its page and beside each border comparison),
//! and where partners are (the partners listing, a practice's page). Each is a
//! [`map::Geometry`] made once for every language (`Shared::maps`, by a key naming what
//! it shows) and written for the reader with names, values and a legend in their
//! language. A map needs something drawn under it: without shapes (and a background)
//! there is none, and the page loses nothing, since the lists and tables beside say the
//! same.

use super::*;
use crate::geo::read::LonLatRing;
use crate::model::figures::{as_shown, from_shown};
use crate::model::{Better, BorderArea, Indicator, Partner};
use crate::render::chart::Texts;
use crate::render::map::{self, Area, Layer, Marker};
use crate::types::TerritoryId;

/// A text of the maps: the site's interface string, or limes' own for the language
/// when the site's files predate the maps, or its English one.
pub(super) fn text(ls: &LangShared, lang: &Lang, key: &str) -> String {
    ls.strings
        .get(key)
        .cloned()
        .or_else(|| crate::scaffold::shipped_string(lang.as_str(), key))
        .or_else(|| crate::scaffold::shipped_string("en", key))
        .unwrap_or_default()
}

/// What is drawn in grey under a map: the site's background and the shapes of the
/// territories the map does not show as its own.
fn ground<'a>(site: &'a Site, own: &[&TerritoryId]) -> Vec<&'a Vec<LonLatRing>> {
    site.background
        .iter()
        .chain(
            site.drawn
                .iter()
                .filter(|(id, _)| !own.contains(id))
                .flat_map(|(_, polygons)| polygons),
        )
        .collect()
}

/// Where the shapes come from, as their files say, under every map.
fn credit(site: &Site, ls: &LangShared, lang: &Lang) -> Option<String> {
    let mut sources: Vec<&str> = site
        .shape_credits
        .iter()
        .filter_map(|(_, c)| c.source.as_deref())
        .collect();
    let mut seen = std::collections::HashSet::new();
    sources.retain(|s| seen.insert(*s));
    (!sources.is_empty()).then(|| {
        text(ls, lang, "map_source").replace("{source}", &crate::view::list(&ls.strings, &sources))
    })
}

/// The address of the shapes as open data, when the site publishes them.
fn shapes_url(site: &Site, shared: &Shared, lang: &Lang) -> Option<String> {
    (!site.shapes.is_empty()).then(|| shared.urls.url(lang, Route::Data(crate::open_data::SHAPES)))
}

fn item(key: String, label: impl Into<String>) -> Value {
    context! { key => Value::from_safe_string(key), label => label.into() }
}

/// A partner as a point: where it is and its name with its city.
fn partner_point(
    site: &Site,
    urls: &Routes,
    ls: &LangShared,
    lang: &Lang,
    p: &Partner,
) -> Option<((f64, f64), Marker)> {
    let at = p.location.as_ref()?;
    let mut name = partner_name(site, p, lang).name;
    if let Some(city) = from_chain(site, &p.texts, lang, |t| t.city.clone()) {
        name = format!("{name} {}", ls.s("aside").replace("{text}", &city));
    }
    Some((
        (at.lon, at.lat),
        Marker {
            name,
            href: Some(urls.url(lang, Route::Partner(&p.slug))),
        },
    ))
}

/// The partners of a border: of its practices, and those based in its territories;
/// in the order of their ids (the same for every language, as the map's points are).
fn border_partners<'a>(site: &'a Site, b: &BorderArea) -> Vec<&'a Partner> {
    let mut slugs: Vec<&str> = site
        .practices
        .iter()
        .filter(|p| p.border.as_deref() == Some(b.id.as_str()))
        .flat_map(|p| p.partners.iter().map(|s| s.as_str()))
        .chain(
            site.partners
                .iter()
                .filter(|p| {
                    p.territory
                        .as_ref()
                        .is_some_and(|t| b.sides.iter().flatten().any(|s| s == t))
                })
                .map(|p| p.slug.as_str()),
        )
        .collect();
    slugs.sort_unstable();
    slugs.dedup();
    slugs.iter().filter_map(|s| site.partner(s)).collect()
}

/// A border's map: the territories of each side in its colour, linked to their pages,
/// and the border's partners as points.
pub(super) fn border_map(
    site: &Site,
    shared: &Shared,
    ls: &LangShared,
    lang: &Lang,
    b: &BorderArea,
    side_labels: &[String],
) -> Option<Value> {
    let urls = &shared.urls;
    let own: Vec<(&TerritoryId, usize)> = b
        .sides
        .iter()
        .enumerate()
        .flat_map(|(n, side)| side.iter().map(move |t| (t, n)))
        .filter(|(t, _)| site.shapes.contains_key(*t))
        .collect();
    let partners: Vec<((f64, f64), Marker)> = border_partners(site, b)
        .into_iter()
        .filter_map(|p| partner_point(site, urls, ls, lang, p))
        .collect();
    let geometry = shared.maps.get(&format!("border\0{}", b.id), || {
        let ids: Vec<&TerritoryId> = own.iter().map(|o| o.0).collect();
        let layers: Vec<Layer> = own
            .iter()
            .map(|(t, _)| Layer {
                polygons: &site.drawn[*t],
                focus: true,
            })
            .collect();
        let points: Vec<(f64, f64)> = partners.iter().map(|p| p.0).collect();
        map::Geometry::new(&layers, &points, &ground(site, &ids))
    });
    let geometry = geometry.as_ref().as_ref()?;
    let areas: Vec<Area> = own
        .iter()
        .map(|(t, n)| {
            let name = site
                .territory(t)
                .map(|tt| label(site, &tt.name, lang).0)
                .unwrap_or_default();
            Area {
                class: format!("side-{}", n % 4 + 1),
                missing: false,
                name: name.to_string(),
                href: Some(urls.url(lang, Route::Territory(t))),
                label: None,
            }
        })
        .collect();
    let title = site
        .border(&b.id)
        .map(|b| label(site, &b.name, lang).0)
        .unwrap_or_default();
    let markers: Vec<Marker> = partners.into_iter().map(|p| p.1).collect();
    let svg = map::svg(
        geometry,
        &Texts {
            id: "border-map",
            title,
            desc: &text(ls, lang, "map_border"),
        },
        &areas,
        &markers,
    );
    let mut legend: Vec<Value> = b
        .sides
        .iter()
        .enumerate()
        .filter(|(n, _)| own.iter().any(|o| o.1 == *n))
        .map(|(n, _)| {
            item(
                map::swatch(&format!("side-{}", n % 4 + 1), false, ""),
                side_labels.get(n).cloned().unwrap_or_default(),
            )
        })
        .collect();
    if !markers.is_empty() {
        legend.push(item(map::swatch("point", false, ""), ls.s("partners")));
    }
    Some(
        context! { svg => Value::from_safe_string(svg), legend => legend, credit => credit(site, ls, lang), shapes_url => shapes_url(site, shared, lang) },
    )
}

/// How many decimals the bounds of a legend need (at least the indicator's).
fn decimals_of(bounds: &[f64], least: u8) -> u8 {
    (least..=4)
        .find(|d| {
            let f = 10f64.powi(i32::from(*d));
            bounds
                .iter()
                .all(|b| ((b * f) - (b * f).round()).abs() < 1e-6)
        })
        .unwrap_or(4)
}

/// A choropleth of `ind` in `year` over `territories` (those with a shape are drawn):
/// the territories with a value are shaded by band, darker for the worse end (or the
/// higher values when neither end is better), with the value written on them; the
/// others are hatched as not available. `key` names the map in the cache, `id` in the
/// page.
#[allow(clippy::too_many_arguments)]
pub(super) fn choropleth(
    site: &Site,
    shared: &Shared,
    ls: &LangShared,
    lang: &Lang,
    ind: &Indicator,
    territories: &[&TerritoryId],
    year: i32,
    key: &str,
    id: &str,
) -> Option<Value> {
    let urls = &shared.urls;
    let locale = site.strings.locale(lang);
    let drawn: Vec<(&TerritoryId, Option<f64>)> = territories
        .iter()
        .filter(|t| site.shapes.contains_key(**t))
        .map(|t| {
            let v = site.observation(t, &ind.id, year).and_then(|o| o.value);
            (
                *t,
                v.map(|v| from_shown(as_shown(v, ind.decimals), ind.decimals)),
            )
        })
        .collect();
    let values: Vec<f64> = drawn.iter().filter_map(|d| d.1).collect();
    if values.is_empty() {
        return None;
    }
    let geometry = shared.maps.get(&format!("values\0{key}"), || {
        let ids: Vec<&TerritoryId> = drawn.iter().map(|d| d.0).collect();
        let layers: Vec<Layer> = drawn
            .iter()
            .map(|(t, v)| Layer {
                polygons: &site.drawn[*t],
                focus: v.is_some(),
            })
            .collect();
        map::Geometry::new(&layers, &[], &ground(site, &ids))
    });
    let geometry = geometry.as_ref().as_ref()?;
    let bounds = map::bands(&values);
    let bands = bounds.len().saturating_sub(1).max(1);
    let dark_low = ind.better == Better::Higher;
    let fmt = |v: f64| super::figures::with_unit(locale, ind, v);
    let not_available = ls.s("not_available");
    let few = drawn.len() <= 12;
    let areas: Vec<Area> = drawn
        .iter()
        .map(|(t, v)| {
            let name = site
                .territory(t)
                .map(|tt| label(site, &tt.name, lang).0)
                .unwrap_or_default();
            let shown = v.map(fmt);
            Area {
                class: v
                    .map(|v| map::shade(map::band_of(&bounds, v), bands, dark_low))
                    .unwrap_or_else(|| "none".into()),
                missing: v.is_none(),
                name: ls
                    .s("label_value")
                    .replace("{label}", name)
                    .replace("{value}", shown.as_deref().unwrap_or(&not_available)),
                href: Some(urls.url(lang, Route::Territory(t))),
                label: shown.filter(|_| few),
            }
        })
        .collect();
    let what = format!(
        "{}{}{}",
        label(site, &ind.name, lang).0,
        ls.s("part_separator"),
        locale.year(year)
    );
    let svg = map::svg(
        geometry,
        &Texts {
            id,
            title: &what,
            desc: &text(ls, lang, "map_values"),
        },
        &areas,
        &[],
    );
    // The legend: each band with its range, then "not available", then which way the
    // shades go.
    let decimals = decimals_of(&bounds, ind.decimals);
    let number = |v: f64| locale.decimal(v, decimals);
    let with_unit = |v: f64| match &ind.unit {
        Some(u) => format!("{}\u{a0}{u}", number(v)),
        None => number(v),
    };
    let mut legend: Vec<Value> = (0..bands)
        .map(|k| {
            let range = if bounds.len() < 2 || bounds[0] == bounds[1] {
                with_unit(bounds[0])
            } else {
                text(ls, lang, "value_range")
                    .replace("{start}", &number(bounds[k]))
                    .replace("{end}", &with_unit(bounds[k + 1]))
            };
            item(
                map::swatch(&map::shade(k, bands, dark_low), false, ""),
                range,
            )
        })
        .collect();
    if areas.iter().any(|a| a.missing) {
        legend.push(item(
            map::swatch("none", true, &format!("{id}-key-na")),
            not_available,
        ));
    }
    let note = text(
        ls,
        lang,
        if ind.better == Better::Neutral {
            "map_darker_higher"
        } else {
            "map_darker_worse"
        },
    );
    Some(
        context! { svg => Value::from_safe_string(svg), legend => legend, note => note, credit => credit(site, ls, lang), shapes_url => shapes_url(site, shared, lang) },
    )
}

/// Where `partners` are (those with a location), over `territories` drawn as the
/// map's own (a practice's), the other shapes and the background under them.
pub(super) fn partners_map(
    site: &Site,
    shared: &Shared,
    ls: &LangShared,
    lang: &Lang,
    partners: &[&Partner],
    territories: &[&TerritoryId],
    key: &str,
) -> Option<Value> {
    let urls = &shared.urls;
    let own: Vec<&TerritoryId> = territories
        .iter()
        .copied()
        .filter(|t| site.shapes.contains_key(*t))
        .collect();
    let points: Vec<((f64, f64), Marker)> = partners
        .iter()
        .filter_map(|p| partner_point(site, urls, ls, lang, p))
        .collect();
    let geometry = shared.maps.get(&format!("partners\0{key}"), || {
        let layers: Vec<Layer> = own
            .iter()
            .map(|t| Layer {
                polygons: &site.drawn[*t],
                focus: true,
            })
            .collect();
        let at: Vec<(f64, f64)> = points.iter().map(|p| p.0).collect();
        map::Geometry::new(&layers, &at, &ground(site, &own))
    });
    let geometry = geometry.as_ref().as_ref()?;
    let areas: Vec<Area> = own
        .iter()
        .map(|t| Area {
            class: "own".into(),
            missing: false,
            name: site
                .territory(t)
                .map(|tt| label(site, &tt.name, lang).0.to_string())
                .unwrap_or_default(),
            href: Some(urls.url(lang, Route::Territory(t))),
            label: None,
        })
        .collect();
    let title = text(ls, lang, "map_where");
    let markers: Vec<Marker> = points.into_iter().map(|p| p.1).collect();
    let svg = map::svg(
        geometry,
        &Texts {
            id: "partners-map",
            title: &title,
            desc: &text(ls, lang, "map_partners"),
        },
        &areas,
        &markers,
    );
    let mut legend = Vec::new();
    if !markers.is_empty() {
        legend.push(item(map::swatch("point", false, ""), ls.s("partners")));
    }
    if !areas.is_empty() {
        legend.push(item(map::swatch("own", false, ""), ls.s("territories")));
    }
    Some(
        context! { svg => Value::from_safe_string(svg), legend => legend, title => title, credit => credit(site, ls, lang), shapes_url => shapes_url(site, shared, lang) },
    )
}
