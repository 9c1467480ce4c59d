//! A map's drawing, without a word of any language: what it shows projected (Lambert's
//! azimuthal equal-area projection centred on it, the short way round), fitted into
//! its box, cut to it and simplified to half a unit, neighbours keeping one shared
//! border; territories too small to outline made round marks; points set apart when
//! they fall on one another. [`super::svg`] writes it for a reader.

use std::collections::HashMap;

use super::{FONT, WIDTH};
use crate::geo::project::{Fit, Lambert, centre};
use crate::geo::read::LonLatRing;
use crate::geo::simplify::{Ring, simplify};

const MIN_HEIGHT: f64 = 240.0;
const MAX_HEIGHT: f64 = 440.0;
/// What lies farther than this outside the box is cut away (more than any stroke).
const BLEED: f64 = 12.0;
/// Outlines keep no detail smaller than this, in user units.
const TOLERANCE: f64 = 0.5;
/// A map of one place shows at least this much around it (on a sphere of radius 1:
/// about 190 km).
const MIN_SPAN: f64 = 0.03;
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
    pub(super) background: String,
    /// Each layer's path and where its label goes, `None` when it is out of view.
    pub(super) areas: Vec<Option<(String, (f64, f64))>>,
    /// Each point in user units, `None` where it cannot be drawn (the far side of
    /// the globe): the markers of [`super::svg`] are matched to the points by
    /// position.
    pub(super) points: Vec<Option<(f64, f64)>>,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The polygons of a square territory.
    fn square(x: f64, y: f64, s: f64) -> Vec<Vec<LonLatRing>> {
        vec![vec![vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s)]]]
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
}
