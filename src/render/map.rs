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

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

use super::chart::Texts;
use super::xml_escape as esc;
use crate::geo::project::{Fit, Lambert, centre};
use crate::geo::read::LonLatRing;
use crate::geo::simplify::{Ring, simplify};

/// The map's width in user units; its height follows what it shows, within bounds.
const WIDTH: f64 = 400.0;
const MIN_HEIGHT: f64 = 240.0;
const MAX_HEIGHT: f64 = 440.0;
/// What lies farther than this outside the box is cut away (more than any stroke).
const BLEED: f64 = 12.0;
/// Outlines keep no detail smaller than this, in user units.
const TOLERANCE: f64 = 0.5;
/// A map of one place shows at least this much around it (on a sphere of radius 1:
/// about 190 km).
const MIN_SPAN: f64 = 0.03;
const FONT: f64 = 12.0;
/// The cosine of the farthest a map draws from its centre (150°).
const FAR: f64 = -0.866;
/// A territory whose outline covers less than this (in square units) is drawn as a
/// round mark of radius MARK instead.
const MIN_AREA: f64 = 12.0;
const MARK: f64 = 4.0;

/// The polygons of one territory: each an outer ring and its holes.
pub type Polygons = [Vec<LonLatRing>];

/// A territory on a map. Those with `focus` decide what the map shows; the others are
/// drawn where they fall in it.
pub struct Layer<'a> {
    pub polygons: &'a Polygons,
    pub focus: bool,
}

/// A map's drawing, ready to be written in any language.
#[derive(Debug)]
pub struct Geometry {
    pub height: f64,
    /// The background: a `<path>` per polygon (empty without one). One path for all
    /// would let two copies of one country (a territory's shape and the background's)
    /// cancel each other under the even-odd rule.
    background: String,
    /// Each layer's path and where its label goes, `None` when it is out of view.
    areas: Vec<Option<(String, (f64, f64))>>,
    /// Each point in user units, `None` where it cannot be drawn (the far side of
    /// the globe): the markers of [`svg`] are matched to the points by position.
    points: Vec<Option<(f64, f64)>>,
}

/// Which ring of what the rings of a map belong to.
#[derive(Clone, Copy)]
enum Owner {
    Background,
    Layer(usize),
}

impl Geometry {
    /// The drawing of `layers` and `points` (longitude, latitude) over `background`, or
    /// `None` when there is nothing to draw: nothing in focus, or points with nothing
    /// under them.
    pub fn new(
        layers: &[Layer],
        points: &[(f64, f64)],
        background: &[&Vec<LonLatRing>],
    ) -> Option<Geometry> {
        let mut focus: Vec<(f64, f64)> = layers
            .iter()
            .filter(|l| l.focus)
            .flat_map(|l| main_parts(l.polygons))
            .collect();
        focus.extend_from_slice(points);
        if focus.is_empty() || (layers.is_empty() && background.is_empty()) {
            return None;
        }
        let (lon0, lat0) = centre(&focus);
        let projection = Lambert::new(lon0, lat0);
        let projected: Vec<(f64, f64)> = focus
            .iter()
            .filter(|p| projection.cos_distance(p.0, p.1) >= FAR)
            .filter_map(|p| projection.project(p.0, p.1))
            .collect();
        let (mut x0, mut y0, mut x1, mut y1) = bounds(&projected)?;
        for (lo, hi) in [(&mut x0, &mut x1), (&mut y0, &mut y1)] {
            let grow = (MIN_SPAN - (*hi - *lo)).max(0.0) / 2.0;
            *lo -= grow;
            *hi += grow;
        }
        let pad = 0.1 * (x1 - x0).max(y1 - y0);
        let (x0, y0, x1, y1) = (x0 - pad, y0 - pad, x1 + pad, y1 + pad);
        let height = (WIDTH * (y1 - y0) / (x1 - x0))
            .clamp(MIN_HEIGHT, MAX_HEIGHT)
            .round();
        let fit = Fit::new((x0, y0, x1, y1), WIDTH, height, 4.0);
        // What lies beyond FAR from the centre is left out: far enough to be off
        // any map, and near the opposite point, where a ring that goes round it would
        // be turned inside out.
        let place = |p: &(f64, f64)| {
            (projection.cos_distance(p.0, p.1) >= FAR)
                .then(|| projection.project(p.0, p.1))
                .flatten()
                .map(|q| fit.place(q))
        };
        let view = (-BLEED, -BLEED, WIDTH + BLEED, height + BLEED);

        // Every ring in view, cut to it, with what it belongs to and whether it is an
        // outer ring; and for each layer a point of it in view, to mark it with when
        // it is too small to draw.
        let mut rings: Vec<Ring> = Vec::new();
        let mut owners: Vec<(Owner, bool)> = Vec::new();
        let mut seen: Vec<Option<(f64, f64)>> = vec![None; layers.len()];
        let mut add = |polygon: &Vec<LonLatRing>, owner: Owner| {
            for (k, ring) in polygon.iter().enumerate() {
                let placed: Vec<(f64, f64)> = ring.iter().filter_map(place).collect();
                let Some(b) = bounds(&placed).filter(|_| placed.len() >= 3) else {
                    if k == 0 {
                        break;
                    }
                    continue;
                };
                if b.2 < view.0 || b.0 > view.2 || b.3 < view.1 || b.1 > view.3 {
                    if k == 0 {
                        // The holes of an outer ring out of view are too.
                        break;
                    }
                    continue;
                }
                let cut = clip(&placed, view);
                if let (Owner::Layer(i), true) = (owner, k == 0)
                    && seen[i].is_none()
                    && !cut.is_empty()
                {
                    let n = cut.len() as f64;
                    let sum = cut.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
                    seen[i] = Some((sum.0 / n, sum.1 / n));
                }
                if cut.len() >= 3 {
                    rings.push(cut);
                    owners.push((owner, k == 0));
                } else if k == 0 {
                    break;
                }
            }
        };
        for polygon in background {
            add(polygon, Owner::Background);
        }
        for (i, layer) in layers.iter().enumerate() {
            for polygon in layer.polygons {
                add(polygon, Owner::Layer(i));
            }
        }
        let simple = simplify(&rings, TOLERANCE);

        let mut background: Vec<String> = Vec::new();
        let mut paths: Vec<String> = vec![String::new(); layers.len()];
        // The largest outer ring of each layer, for its label.
        let mut largest: Vec<Option<(f64, &Ring)>> = vec![None; layers.len()];
        let mut outer_kept = false;
        for ((owner, outer), ring) in owners.iter().zip(&simple) {
            if *outer {
                outer_kept = ring.is_some();
            }
            // A hole whose outer ring is gone has nothing to be a hole in.
            let (Some(ring), true) = (ring, outer_kept) else {
                continue;
            };
            let d = match owner {
                Owner::Background => {
                    if *outer || background.is_empty() {
                        background.push(String::new());
                    }
                    background.last_mut().expect("pushed")
                }
                Owner::Layer(i) => {
                    let area = area(ring).abs();
                    if *outer && largest[*i].is_none_or(|(a, _)| area > a) {
                        largest[*i] = Some((area, ring));
                    }
                    &mut paths[*i]
                }
            };
            path(d, ring);
        }
        let areas = paths
            .into_iter()
            .zip(largest)
            .zip(seen)
            .map(|((d, big), seen)| match big {
                // Big enough to see: its outline, its label inside.
                Some((a, ring)) if a >= 2.0 * MIN_AREA => Some((d, inside(ring))),
                // Too small for its outline to tell (an islet, a city state): a
                // round mark where it is, so that it can still be seen and followed.
                _ => seen.map(|(x, y)| {
                    let r = MARK;
                    (
                        format!(
                            "M{:.1} {y:.1}a{r} {r} 0 1 0 {} 0a{r} {r} 0 1 0 -{} 0Z",
                            x - r,
                            2.0 * r,
                            2.0 * r
                        ),
                        (x, y - r - FONT / 2.0),
                    )
                }),
            })
            .collect();
        let mut points: Vec<Option<(f64, f64)>> = points.iter().map(place).collect();
        spread(&mut points);
        let background = background
            .iter()
            .map(|d| format!(r#"<path d="{d}"/>"#))
            .collect();
        Some(Geometry {
            height,
            background,
            areas,
            points,
        })
    }
}

/// The points that decide what a map of `polygons` shows: the outer rings of its
/// largest part and of the parts near it. A country's distant parts (an overseas
/// region, an island on the far side of an ocean) are drawn where the map reaches
/// them, but do not stretch the map to include them.
fn main_parts(polygons: &Polygons) -> Vec<(f64, f64)> {
    let boxes: Vec<(f64, f64, f64, f64)> =
        polygons.iter().filter_map(|p| bounds(p.first()?)).collect();
    let size = |b: &(f64, f64, f64, f64)| {
        (b.2 - b.0) * (b.3 - b.1) * ((b.1 + b.3) / 2.0).to_radians().cos().abs()
    };
    let Some(main) = boxes
        .iter()
        .copied()
        .max_by(|a, b| size(a).total_cmp(&size(b)))
    else {
        return Vec::new();
    };
    let reach = (main.2 - main.0).max(main.3 - main.1).max(1.0);
    // Near: the boxes are less than `reach` apart, longitudes compared the short way
    // round (the parts of Fiji on both sides of 180° are neighbours).
    let near = |b: &(f64, f64, f64, f64)| {
        let dlon = ((b.0 + b.2) / 2.0 - (main.0 + main.2) / 2.0 + 180.0).rem_euclid(360.0) - 180.0;
        let dlat = (b.1 + b.3) / 2.0 - (main.1 + main.3) / 2.0;
        dlon.abs() <= (b.2 - b.0 + main.2 - main.0) / 2.0 + reach
            && dlat.abs() <= (b.3 - b.1 + main.3 - main.1) / 2.0 + reach
    };
    polygons
        .iter()
        .filter_map(|p| p.first())
        .filter(|ring| bounds(ring).is_some_and(|b| near(&b)))
        .flatten()
        .copied()
        .collect()
}

/// The bounding box of `points`.
fn bounds(points: &[(f64, f64)]) -> Option<(f64, f64, f64, f64)> {
    if points.is_empty() {
        return None;
    }
    Some(points.iter().fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |b, p| (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1)),
    ))
}

/// `ring` cut to the box `(x0, y0, x1, y1)` (Sutherland–Hodgman: what leaves the box
/// follows its edge), without a point repeated next to itself.
fn clip(ring: &[(f64, f64)], (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Ring {
    // Nothing to cut: the ring as it is, so that borders stay point for point shared.
    if ring
        .iter()
        .all(|p| p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1)
    {
        return dedup(ring.to_vec());
    }
    type Inside = fn((f64, f64), f64) -> bool;
    type Cross = fn((f64, f64), (f64, f64), f64) -> (f64, f64);
    let at_x: Cross = |a, b, x| (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
    let at_y: Cross = |a, b, y| (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y);
    let edges: [(Inside, Cross, f64); 4] = [
        (|p, v| p.0 >= v, at_x, x0),
        (|p, v| p.0 <= v, at_x, x1),
        (|p, v| p.1 >= v, at_y, y0),
        (|p, v| p.1 <= v, at_y, y1),
    ];
    let mut out = ring.to_vec();
    for (inside, cross, v) in edges {
        let input = std::mem::take(&mut out);
        let n = input.len();
        for i in 0..n {
            let (a, b) = (input[(i + n - 1) % n], input[i]);
            match (inside(a, v), inside(b, v)) {
                (true, true) => out.push(b),
                (true, false) => out.push(cross(a, b, v)),
                (false, true) => {
                    out.push(cross(a, b, v));
                    out.push(b);
                }
                (false, false) => {}
            }
        }
        if out.is_empty() {
            break;
        }
    }
    dedup(out)
}

fn dedup(mut ring: Ring) -> Ring {
    ring.dedup();
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    ring
}

/// Twice the signed area of a ring.
fn area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

/// A point well inside `ring` for its label: of a few horizontal lines across it, the
/// middle of the widest stretch inside (a centroid can fall outside a crescent).
fn inside(ring: &[(f64, f64)]) -> (f64, f64) {
    let Some((_, y0, _, y1)) = bounds(ring) else {
        return (0.0, 0.0);
    };
    let n = ring.len();
    let mut best = (f64::NEG_INFINITY, ring[0]);
    for t in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] {
        // Off any vertex: a line through one would count it twice.
        let y = y0 + (y1 - y0) * t + 1e-7;
        let mut xs: Vec<f64> = (0..n)
            .filter_map(|i| {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                ((a.1 <= y) != (b.1 <= y)).then(|| a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1))
            })
            .collect();
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks_exact(2) {
            // Lines near the middle are preferred a little.
            let width = (pair[1] - pair[0]) * (1.0 - (t - 0.5f64).abs() * 0.5);
            if width > best.0 {
                best = (width, ((pair[0] + pair[1]) / 2.0, y));
            }
        }
    }
    best.1
}

/// Points at one place (two partners in one city) set apart on a small circle, so
/// that each can be seen and followed.
fn spread(points: &mut [Option<(f64, f64)>]) {
    let mut groups: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, p) in points.iter().enumerate() {
        if let Some(p) = p {
            groups
                .entry(((p.0 / 4.0).round() as i64, (p.1 / 4.0).round() as i64))
                .or_default()
                .push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for group in groups {
        let Some((cx, cy)) = points[group[0]] else {
            continue;
        };
        let r = 5.0 + group.len() as f64;
        for (k, &i) in group.iter().enumerate() {
            let a = std::f64::consts::TAU * k as f64 / group.len() as f64;
            points[i] = Some((cx + r * a.sin(), cy - r * a.cos()));
        }
    }
}

/// Appends `ring` to a path: `M` and its points, one decimal, `Z`.
fn path(d: &mut String, ring: &[(f64, f64)]) {
    let mut last = String::new();
    let mut first = true;
    for p in ring {
        let here = format!("{:.1} {:.1}", p.0, p.1);
        if here == last {
            continue;
        }
        d.push_str(if first { "M" } else { " " });
        d.push_str(&here);
        first = false;
        last = here;
    }
    d.push('Z');
}

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
    fn clipping_keeps_what_is_inside() {
        let ring = vec![(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)];
        let cut = clip(&ring, (0.0, 0.0, 100.0, 100.0));
        assert_eq!(area(&cut).abs() / 2.0, 100.0, "{cut:?}");
        let inside_ring = vec![(1.0, 1.0), (2.0, 1.0), (2.0, 2.0)];
        assert_eq!(clip(&inside_ring, (0.0, 0.0, 100.0, 100.0)), inside_ring);
    }

    #[test]
    fn a_label_falls_inside_a_crescent() {
        // A C shape: its centroid is in the empty middle.
        let c = vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 2.0),
            (2.0, 2.0),
            (2.0, 8.0),
            (10.0, 8.0),
            (10.0, 10.0),
            (0.0, 10.0),
        ];
        let (x, y) = inside(&c);
        let inside_c = (0.0..=2.0).contains(&x) || !(2.0..=8.0).contains(&y);
        assert!(inside_c, "({x}, {y})");
    }

    #[test]
    fn neighbours_share_their_border_and_points_need_ground() {
        let a = square(14.0, 45.0, 1.0);
        let b = square(15.0, 45.0, 1.0);
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
            &[],
        )
        .expect("a map");
        let d: Vec<&String> = g.areas.iter().map(|a| &a.as_ref().unwrap().0).collect();
        // The shared edge (lon 15) has the same two ends in both paths.
        let points = |d: &str| -> Vec<String> {
            d.trim_start_matches('M')
                .trim_end_matches('Z')
                .split(' ')
                .collect::<Vec<_>>()
                .chunks(2)
                .map(|c| c.join(" "))
                .collect()
        };
        let shared: Vec<String> = points(d[0])
            .into_iter()
            .filter(|p| points(d[1]).contains(p))
            .collect();
        assert_eq!(shared.len(), 2, "{d:?}");
        assert_eq!(g.points.len(), 1);
        // Points alone, on nothing: no map.
        assert!(Geometry::new(&[], &[(14.5, 45.5)], &[]).is_none());
        // Nothing in focus: no map.
        assert!(
            Geometry::new(
                &[Layer {
                    polygons: &a,
                    focus: false
                }],
                &[],
                &[]
            )
            .is_none()
        );
    }

    #[test]
    fn points_at_one_place_are_set_apart() {
        let mut p = vec![
            Some((100.0, 100.0)),
            None,
            Some((100.0, 100.0)),
            Some((50.0, 50.0)),
        ];
        spread(&mut p);
        assert_ne!(p[0], p[2]);
        assert_eq!(p[1], None);
        assert_eq!(p[3], Some((50.0, 50.0)));
    }

    #[test]
    fn a_map_across_the_180th_meridian_is_centred_on_itself() {
        // Fiji's islands lie on both sides of 180°: a square from 177° E to 178° W.
        let fiji = vec![
            vec![vec![
                (177.0, -18.0),
                (180.0, -18.0),
                (180.0, -16.0),
                (177.0, -16.0),
            ]],
            vec![vec![
                (-180.0, -18.0),
                (-178.0, -18.0),
                (-178.0, -16.0),
                (-180.0, -16.0),
            ]],
        ];
        let g = Geometry::new(
            &[Layer {
                polygons: &fiji,
                focus: true,
            }],
            &[],
            &[],
        )
        .expect("a map");
        let d = &g.areas[0].as_ref().unwrap().0;
        // Both parts side by side in the middle of the map, not at its two ends.
        let xs: Vec<f64> = d
            .split(['M', 'Z', 'a'])
            .flat_map(|part| {
                part.split(' ')
                    .step_by(2)
                    .filter_map(|x| x.parse::<f64>().ok())
            })
            .collect();
        let (lo, hi) = xs
            .iter()
            .fold((f64::MAX, f64::MIN), |a, x| (a.0.min(*x), a.1.max(*x)));
        assert!(
            lo > 20.0 && hi < 380.0 && hi - lo > 250.0,
            "{lo}..{hi}: {d}"
        );
        let c = centre(&[(170.0, 0.0), (-170.0, 10.0)]);
        assert!((c.0.abs() - 180.0).abs() < 1e-9 && c.1 == 5.0, "{c:?}");
        assert_eq!(centre(&[(10.0, 40.0), (20.0, 50.0)]), (15.0, 45.0));
    }

    #[test]
    fn the_far_side_of_the_globe_is_left_out() {
        // Iberia in focus; a ring round its opposite point (New Zealand's place) would
        // be turned inside out and cover the map: it is left out.
        let iberia = square(-9.0, 37.0, 6.0);
        let antipodes = square(171.0, -43.0, 6.0);
        let g = Geometry::new(
            &[Layer {
                polygons: &iberia,
                focus: true,
            }],
            &[],
            &[&antipodes[0]],
        )
        .expect("a map");
        assert!(g.background.is_empty(), "{}", g.background);
    }

    #[test]
    fn one_country_drawn_twice_stays_land() {
        // A territory's shape is also in the background (as the example's Slovenia):
        // in one even-odd path the two copies would cancel out into sea.
        let country = square(14.0, 45.0, 1.0);
        let g = Geometry::new(&[], &[(14.5, 45.5)], &[&country[0], &country[0]]).expect("a map");
        assert_eq!(
            g.background.matches("<path d=").count(),
            2,
            "{}",
            g.background
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
    fn a_territory_too_small_to_outline_is_a_mark() {
        let country = square(12.0, 41.0, 2.0);
        let city = square(12.45, 41.9, 0.005);
        let g = Geometry::new(
            &[
                Layer {
                    polygons: &country,
                    focus: true,
                },
                Layer {
                    polygons: &city,
                    focus: true,
                },
            ],
            &[],
            &[],
        )
        .expect("a map");
        let (d, _) = g.areas[1].as_ref().expect("the small one is drawn");
        assert!(d.contains('a'), "a round mark: {d}");
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
