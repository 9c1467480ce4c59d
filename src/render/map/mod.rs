//! Maps as SVG, drawn at build time like the charts: no script, no tiles, no request to
//! another host; they print and scale with the page. A map is made in two steps:
//!
//! - [`Geometry::new`] projects what a map shows (Lambert's azimuthal equal-area
//!   projection centred on it), fits it in the map's box, cuts away what lies outside
//!   and simplifies every outline to half a unit of the drawing, neighbours keeping one
//!   shared border. It knows no language, so a page kind computes it once for all of
//!   them (see [`Cache`]).
//! - [`svg`] writes it for a reader: each territory and point a link with an accessible
//!   name, territories coloured by class (a side, a band of values) or hatched where
//!   a value is not available (never coloured as zero), values as text on the map.
//!
//! The page puts the same information in a table or a list beside the map, and the
//! legend in HTML (see [`swatch`]). Every text comes in formatted and is escaped here.

mod geometry;

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

use super::chart::Texts;
use super::xml_escape as esc;

pub use self::geometry::{Geometry, Layer};

/// The map's width in user units; its height follows what it shows, within bounds.
const WIDTH: f64 = 400.0;
const FONT: f64 = 12.0;

/// How a layer is drawn and named.
pub struct Area {
    /// The class that colours it: `side-1`…`side-4`, `c0`…`c4` (a band of values),
    /// `context`; a missing value is hatched whatever the class.
    pub class: String,
    pub missing: bool,
    /// Its accessible name, which says what its colour says ("Slovenia: 4,0 %").
    pub name: String,
    pub href: Option<String>,
    /// Text written on the map at the territory (its value), if any.
    pub label: Option<String>,
}

/// How a point is named.
pub struct Marker {
    pub name: String,
    pub href: Option<String>,
}

/// The SVG of `geom` with `areas` (one per layer, in order) and `markers` (one per
/// point). `texts.id` makes the ids of the map unique in its page.
pub fn svg(geom: &Geometry, texts: &Texts, areas: &[Area], markers: &[Marker]) -> String {
    let id = esc(texts.id);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="map" viewBox="0 0 {WIDTH} {h}" role="group" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        h = geom.height,
        title = esc(texts.title),
        desc = esc(texts.desc),
    );
    if areas.iter().any(|a| a.missing) {
        s.push_str(&hatch(&format!("{id}-na")));
    }
    if !geom.background.is_empty() {
        let _ = write!(
            s,
            r#"<g class="background" aria-hidden="true">{}</g>"#,
            geom.background
        );
    }
    let link = |s: &mut String, href: &Option<String>, name: &str, body: &str, class: &str| {
        let name = esc(name);
        match href {
            Some(href) => {
                let _ = write!(
                    s,
                    r#"<a class="{class}" href="{}" aria-label="{name}"><title>{name}</title>{body}</a>"#,
                    esc(href)
                );
            }
            None => {
                let _ = write!(
                    s,
                    r#"<g class="{class}" role="img" aria-label="{name}"><title>{name}</title>{body}</g>"#
                );
            }
        }
    };
    let mut labels = String::new();
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (drawn, area) in geom.areas.iter().zip(areas) {
        let Some((d, at)) = drawn else { continue };
        if d.is_empty() {
            continue;
        }
        let fill = if area.missing {
            format!(r#" fill="url(#{id}-na)""#)
        } else {
            String::new()
        };
        let body = format!(r#"<path d="{d}"{fill}/>"#);
        let class = format!(
            "area {}{}",
            esc(&area.class),
            if area.missing { " na" } else { "" }
        );
        link(&mut s, &area.href, &area.name, &body, &class);
        // Its value written on it, unless it would run out of the map or over
        // another's (the value is in its name and in the table all the same).
        if let Some(label) = &area.label {
            let half = label.chars().count() as f64 * FONT * 0.31 + 2.0;
            let (x, y) = (at.0, at.1 + FONT / 3.0);
            let place = (x - half, y - FONT, x + half, y + 3.0);
            let fits =
                place.0 >= 0.0 && place.2 <= WIDTH && place.1 >= 0.0 && place.3 <= geom.height;
            let free = !taken.iter().any(|t: &(f64, f64, f64, f64)| {
                t.0 < place.2 && place.0 < t.2 && t.1 < place.3 && place.1 < t.3
            });
            if fits && free {
                taken.push(place);
                let _ = write!(
                    labels,
                    r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="{FONT}">{}</text>"#,
                    esc(label)
                );
            }
        }
    }
    if !labels.is_empty() {
        let _ = write!(s, r#"<g class="labels" aria-hidden="true">{labels}</g>"#);
    }
    for (p, marker) in geom.points.iter().zip(markers) {
        let Some(p) = p else { continue };
        let body = format!(r#"<circle cx="{:.1}" cy="{:.1}" r="5"/>"#, p.0, p.1);
        link(&mut s, &marker.href, &marker.name, &body, "point");
    }
    s.push_str("</svg>");
    s
}

/// The hatching of "not available", as a pattern of the map or of a legend's swatch.
fn hatch(id: &str) -> String {
    format!(
        r#"<defs><pattern id="{id}" class="hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6"/><path d="M0 0V6"/></pattern></defs>"#
    )
}

/// A small picture of a class of the map for a legend written in HTML: `class` as in
/// [`Area`], `missing` hatched (`id` names its pattern, unique in the page), `point` a
/// partner's dot.
pub fn swatch(class: &str, missing: bool, id: &str) -> String {
    let mut s = String::from(
        r#"<svg class="map-key" viewBox="0 0 18 14" width="18" height="14" aria-hidden="true" focusable="false">"#,
    );
    if class == "point" {
        s.push_str(r#"<g class="point"><circle cx="9" cy="7" r="5"/></g>"#);
    } else if missing {
        let _ = write!(
            s,
            r#"{}<g class="area na"><rect x="1" y="1" width="16" height="12" fill="url(#{})"/></g>"#,
            hatch(&esc(id)),
            esc(id)
        );
    } else {
        let _ = write!(
            s,
            r#"<g class="area {}"><rect x="1" y="1" width="16" height="12"/></g>"#,
            esc(class)
        );
    }
    s.push_str("</svg>");
    s
}

/// The bounds of the bands of a choropleth of `values`: round numbers (1, 2, 2.5 or
/// 5 × 10ⁿ apart) from below the lowest to the highest, at most five bands. One value
/// alone is one band.
pub fn bands(values: &[f64]) -> Vec<f64> {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    // One value (or a spread no round number can cut, from -1e308 to 1e308): one band.
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) || !(hi - lo).is_finite() {
        return vec![lo, hi];
    }
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let mut bounds = Vec::new();
    for m in [1.0, 2.0, 2.5, 5.0, 10.0, 20.0] {
        let step = m * mag;
        // Whole multiples of the step, divided once (no 0.30000000000000004).
        let factor = 10f64.powi((1 - mag.log10().round() as i32).max(0));
        let unit = (step * factor).round();
        let first = (lo / step + 1e-9).floor() as i64;
        bounds.clear();
        let mut k = first;
        loop {
            let v = k as f64 * unit / factor;
            bounds.push(if v == 0.0 { 0.0 } else { v });
            if v >= hi - step * 1e-9 {
                break;
            }
            k += 1;
        }
        if bounds.len() == 1 {
            bounds.push(bounds[0] + step);
        }
        if bounds.len() <= 6 {
            break;
        }
    }
    bounds
}

/// The band of `v` among `bounds` (the last band holds its upper bound).
pub fn band_of(bounds: &[f64], v: f64) -> usize {
    let bands = bounds.len().saturating_sub(1).max(1);
    (1..bounds.len())
        .find(|&i| v < bounds[i])
        .map(|i| i - 1)
        .unwrap_or(bands - 1)
        .min(bands - 1)
}

/// The colour class (`c0` the lightest … `c4` the darkest) of band `k` of `bands`: the
/// bands spread over the five shades; `dark_low` when lower values are the worse ones.
pub fn shade(k: usize, bands: usize, dark_low: bool) -> String {
    let step = if bands <= 1 {
        2
    } else {
        (k * 4 + (bands - 1) / 2) / (bands - 1)
    };
    format!("c{}", if dark_low { 4 - step } else { step })
}

/// Maps made once per build and shared by every language's page (the geometry does not
/// depend on the language), by a key the page kind chooses.
#[derive(Default)]
pub struct Cache {
    maps: Mutex<HashMap<String, Arc<Option<Geometry>>>>,
}

impl Cache {
    /// The geometry under `key`, made by `make` the first time it is asked for.
    pub fn get(&self, key: &str, make: impl FnOnce() -> Option<Geometry>) -> Arc<Option<Geometry>> {
        if let Some(g) = self.maps.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
            return g.clone();
        }
        // Made outside the lock: two languages asking at once may both make it.
        let made = Arc::new(make());
        self.maps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.to_string())
            .or_insert(made)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::read::LonLatRing;

    /// The polygons of a square territory.
    fn square(x: f64, y: f64, s: f64) -> Vec<Vec<LonLatRing>> {
        vec![vec![vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s)]]]
    }

    #[test]
    fn bands_are_round_and_cover_the_values() {
        assert_eq!(
            bands(&[4.1, 9.7, 12.3]),
            vec![4.0, 6.0, 8.0, 10.0, 12.0, 14.0]
        );
        assert_eq!(
            bands(&[0.0, 100.0]),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(bands(&[0.12, 0.31]), vec![0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
        assert_eq!(bands(&[-3.0, 4.0]), vec![-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(bands(&[7.0, 7.0]), vec![7.0, 7.0]);
        assert_eq!(bands(&[]), Vec::<f64>::new());
        assert_eq!(bands(&[-1.7e308, 1.7e308]), vec![-1.7e308, 1.7e308]);
        for values in [[1.0, 1234.5], [0.001, 0.0042], [55.5, 56.1]] {
            let b = bands(&values);
            assert!(b.len() >= 2 && b.len() <= 6, "{b:?}");
            assert!(
                b[0] <= values[0] && *b.last().unwrap() >= values[1],
                "{b:?}"
            );
        }
    }

    #[test]
    fn a_value_falls_in_its_band_and_shades_follow_better() {
        let b = [4.0, 6.0, 8.0, 10.0];
        assert_eq!(band_of(&b, 4.0), 0);
        assert_eq!(band_of(&b, 5.9), 0);
        assert_eq!(band_of(&b, 6.0), 1);
        assert_eq!(band_of(&b, 10.0), 2);
        assert_eq!(band_of(&[7.0, 7.0], 7.0), 0);
        assert_eq!(shade(0, 3, false), "c0");
        assert_eq!(shade(1, 3, false), "c2");
        assert_eq!(shade(2, 3, false), "c4");
        assert_eq!(shade(2, 3, true), "c0");
        assert_eq!(shade(0, 1, false), "c2");
        assert_eq!(
            (0..5).map(|k| shade(k, 5, false)).collect::<Vec<_>>(),
            ["c0", "c1", "c2", "c3", "c4"]
        );
    }

    #[test]
    fn markers_keep_their_points_when_one_cannot_be_drawn() {
        let g = Geometry {
            height: 100.0,
            background: String::new(),
            areas: vec![],
            points: vec![None, Some((10.0, 10.0))],
        };
        let marker = |n: &str| Marker {
            name: n.into(),
            href: Some(format!("/{n}/")),
        };
        let svg = svg(
            &g,
            &Texts {
                id: "m",
                title: "t",
                desc: "d",
            },
            &[],
            &[marker("lost"), marker("drawn")],
        );
        assert!(!svg.contains("lost"), "{svg}");
        assert!(
            svg.contains(r#"href="/drawn/" aria-label="drawn""#),
            "{svg}"
        );
    }

    #[test]
    fn a_small_map_snapshot() {
        // Two territories side by side, one without a value, a point, a background
        // square far out of view: the whole SVG, as the pages get it.
        let a = square(14.0, 45.0, 1.0);
        let b = square(15.0, 45.0, 1.0);
        let far = square(40.0, 10.0, 1.0);
        let near = square(13.0, 44.5, 4.0);
        let g = Geometry::new(
            &[
                Layer {
                    polygons: &a,
                    focus: true,
                },
                Layer {
                    polygons: &b,
                    focus: true,
                },
            ],
            &[(14.5, 45.5)],
            &[&far[0], &near[0]],
        )
        .expect("a map");
        let svg = svg(
            &g,
            &Texts {
                id: "m",
                title: "Rate <2024>",
                desc: "A & B",
            },
            &[
                Area {
                    class: "c4".into(),
                    missing: false,
                    name: "A: 12,5 %".into(),
                    href: Some("/en/territories/a/".into()),
                    label: Some("12,5 %".into()),
                },
                Area {
                    class: "c0".into(),
                    missing: true,
                    name: "B: not available".into(),
                    href: None,
                    label: None,
                },
            ],
            &[Marker {
                name: "Partner \"one\"".into(),
                href: Some("/en/partners/one/".into()),
            }],
        );
        let expected =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/maps/small.svg"))
                .unwrap_or_default();
        if std::env::var_os("LIMES_BLESS").is_some() {
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/tests/maps/small.svg"),
                format!("{svg}\n"),
            )
            .expect("write the snapshot");
        } else {
            assert_eq!(
                svg,
                expected.trim_end(),
                "the map changed: LIMES_BLESS=1 cargo test --lib map writes tests/maps/small.svg"
            );
        }
        assert!(!svg.contains("<script") && !svg.contains("<2024>"));
        assert!(svg.len() < 4000, "{}", svg.len());
    }
}
