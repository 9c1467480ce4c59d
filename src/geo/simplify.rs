//! Geometry simplified to what a map can show: a border drawn at 400 user units
//! across needs no point closer than a fraction of a unit to the line between its
//! neighbours. Statistical offices publish shapes with tens of thousands of points;
//! a map of a few tens of kB keeps a few hundred.
//!
//! Neighbouring territories share their border, point for point. Simplifying each
//! ring alone would move the two copies of the border apart (slivers and gaps on the
//! map), so, as TopoJSON does, rings are cut into arcs at their junctions (where a
//! ring starts or stops sharing its points with another), each arc is simplified the
//! same way whichever ring it belongs to, and the rings are put together again: a
//! shared border stays shared, and every junction stays where it was.

use std::collections::HashMap;

/// A closed ring of projected points, its last point not repeating its first.
pub type Ring = Vec<(f64, f64)>;

type Key = (u64, u64);

fn key(p: (f64, f64)) -> Key {
    // -0.0 and 0.0 are the same place.
    ((p.0 + 0.0).to_bits(), (p.1 + 0.0).to_bits())
}

/// Every ring of `rings` simplified with Douglas–Peucker at `tolerance` (projected
/// units), junctions kept. A ring that has nothing left to show (fewer than three
/// points: an islet smaller than the tolerance) is `None`.
pub fn simplify(rings: &[Ring], tolerance: f64) -> Vec<Option<Ring>> {
    // The neighbours of each point in each ring it belongs to: a point whose rings
    // do not all reach it from the same two points is a junction.
    let mut neighbours: HashMap<Key, Vec<[Key; 2]>> = HashMap::new();
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (key(ring[(i + n - 1) % n]), key(ring[(i + 1) % n]));
            let pair = if a <= b { [a, b] } else { [b, a] };
            neighbours.entry(key(ring[i])).or_default().push(pair);
        }
    }
    let junction = |p: (f64, f64)| {
        neighbours
            .get(&key(p))
            .is_some_and(|pairs| pairs.iter().any(|q| *q != pairs[0]))
    };
    rings
        .iter()
        .map(|ring| simplify_ring(ring, tolerance, &junction))
        .collect()
}

/// Every shape of `shapes` (each a list of polygons: an outer ring and its holes)
/// simplified together at `tolerance`, borders kept shared, as [`simplify`] does: what
/// a site's maps are drawn from, once per build, so that a file of hundreds of
/// thousands of points costs one simplification and not one per map. A polygon whose
/// outer ring would vanish is kept as it is (it is tiny: a map marks it), a hole that
/// would vanish is left out.
pub fn lighten(shapes: &[&[Vec<Ring>]], tolerance: f64) -> Vec<Vec<Vec<Ring>>> {
    let rings: Vec<Ring> = shapes
        .iter()
        .flat_map(|s| s.iter().flatten().cloned())
        .collect();
    let mut simple = simplify(&rings, tolerance).into_iter();
    shapes
        .iter()
        .map(|shape| {
            shape
                .iter()
                .map(|polygon| {
                    let mut out = Vec::with_capacity(polygon.len());
                    for (k, ring) in polygon.iter().enumerate() {
                        match simple.next().flatten() {
                            Some(r) => out.push(r),
                            None if k == 0 => out.push(ring.clone()),
                            None => {}
                        }
                    }
                    out
                })
                .collect()
        })
        .collect()
}

fn simplify_ring(
    ring: &Ring,
    tolerance: f64,
    junction: &dyn Fn((f64, f64)) -> bool,
) -> Option<Ring> {
    let n = ring.len();
    if n < 3 {
        return None;
    }
    let mut fixed: Vec<usize> = (0..n).filter(|&i| junction(ring[i])).collect();
    if fixed.is_empty() {
        // A ring that shares nothing: fixed at its first point (in a stable order,
        // whatever point the file starts it at) and the point farthest from it.
        let first = (0..n).min_by_key(|&i| key(ring[i])).unwrap_or(0);
        let far = (0..n)
            .max_by(|&a, &b| dist2(ring[first], ring[a]).total_cmp(&dist2(ring[first], ring[b])))
            .unwrap_or(first);
        fixed = vec![first.min(far), first.max(far)];
        fixed.dedup();
    }
    let mut out = Vec::new();
    for (k, &start) in fixed.iter().enumerate() {
        let end = fixed[(k + 1) % fixed.len()];
        // The arc from `start` to `end` (once round when they are the same point).
        let len = (end + n - start) % n;
        let len = if len == 0 { n } else { len };
        let arc: Vec<(f64, f64)> = (0..=len).map(|i| ring[(start + i) % n]).collect();
        let kept = simplify_arc(&arc, tolerance);
        out.extend_from_slice(&kept[..kept.len() - 1]);
    }
    (out.len() >= 3).then_some(out)
}

/// Douglas–Peucker on an arc, its ends kept, the same whichever way round the arc is
/// given (it is simplified in one canonical direction).
fn simplify_arc(arc: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    let reversed = {
        let (a, b) = (key(arc[0]), key(arc[arc.len() - 1]));
        // A closed arc: by its second point against its last but one.
        a > b || (a == b && arc.len() > 2 && key(arc[1]) > key(arc[arc.len() - 2]))
    };
    let canonical: Vec<(f64, f64)> = if reversed {
        arc.iter().rev().copied().collect()
    } else {
        arc.to_vec()
    };
    let mut keep = vec![false; canonical.len()];
    keep[0] = true;
    *keep.last_mut().expect("an arc has two ends") = true;
    // Without recursion: an arc of 100,000 points must not exhaust the stack.
    let mut stack = vec![(0, canonical.len() - 1)];
    let tol2 = tolerance * tolerance;
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut worst, mut at) = (-1.0, a);
        for i in a + 1..b {
            let d = segment_dist2(canonical[i], canonical[a], canonical[b]);
            if d > worst {
                worst = d;
                at = i;
            }
        }
        if worst > tol2 {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    let mut out: Vec<(f64, f64)> = canonical
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| *p)
        .collect();
    if reversed {
        out.reverse();
    }
    out
}

fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)
}

/// The square of the distance from `p` to the segment `a`–`b`.
fn segment_dist2(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return dist2(p, a);
    }
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    dist2(p, (a.0 + t * dx, a.1 + t * dy))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wobbly line from `a` to `b` of `n` points, the same every time.
    fn wobbly(a: (f64, f64), b: (f64, f64), n: usize) -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let t = i as f64 / (n - 1) as f64;
                let w = if i == 0 || i == n - 1 {
                    0.0
                } else {
                    ((i * 7919) % 13) as f64 / 13.0 - 0.5
                };
                let (nx, ny) = (-(b.1 - a.1), b.0 - a.0);
                (
                    a.0 + t * (b.0 - a.0) + w * 0.02 * nx,
                    a.1 + t * (b.1 - a.1) + w * 0.02 * ny,
                )
            })
            .collect()
    }

    #[test]
    fn neighbours_keep_one_border() {
        // Two squares side by side whose common border wobbles through 500 points;
        // the left one goes round clockwise, the right one anticlockwise, each from
        // another corner.
        let border = wobbly((1.0, 0.0), (1.0, 1.0), 500);
        let mut left: Ring = vec![(0.0, 0.0)];
        left.extend(border.iter().copied());
        left.push((0.0, 1.0));
        let mut right: Ring = vec![(2.0, 0.0), (2.0, 1.0)];
        right.extend(border.iter().rev().copied());
        right.rotate_left(3);
        let out = simplify(&[left, right], 0.001);
        let (l, r) = (out[0].as_ref().unwrap(), out[1].as_ref().unwrap());
        // The border both keep: the points they have in common, in order.
        let shared = |ring: &Ring| -> Vec<Key> {
            ring.iter()
                .filter(|p| p.0 > 0.5 && p.0 < 1.5)
                .map(|&p| key(p))
                .collect()
        };
        let mut sl = shared(l);
        let sr = shared(r);
        sl.sort();
        let mut sr_sorted = sr.clone();
        sr_sorted.sort();
        assert_eq!(sl, sr_sorted, "the two copies of the border differ");
        assert!(
            sl.len() > 2 && sl.len() < 500,
            "simplified to {} points",
            sl.len()
        );
        // The junctions stay: both ends of the border are in both rings.
        for corner in [(1.0, 0.0), (1.0, 1.0)] {
            assert!(
                l.contains(&corner) && r.contains(&corner),
                "{corner:?} lost"
            );
        }
    }

    #[test]
    fn a_lone_ring_keeps_its_shape_and_an_islet_goes() {
        let mut ring = wobbly((0.0, 0.0), (1.0, 0.0), 200);
        ring.extend(wobbly((1.0, 0.0), (1.0, 1.0), 200).into_iter().skip(1));
        ring.extend(wobbly((1.0, 1.0), (0.0, 1.0), 200).into_iter().skip(1));
        ring.extend(
            wobbly((0.0, 1.0), (0.0, 0.0), 200)
                .into_iter()
                .skip(1)
                .take(198),
        );
        let islet: Ring = vec![(5.0, 5.0), (5.0001, 5.0), (5.0, 5.0001)];
        let out = simplify(&[ring.clone(), islet], 0.05);
        let kept = out[0].as_ref().unwrap();
        assert!(kept.len() >= 4 && kept.len() < 40, "{} points", kept.len());
        // Every point of the original is within the tolerance of what is drawn.
        for &p in &ring {
            let d = (0..kept.len())
                .map(|i| segment_dist2(p, kept[i], kept[(i + 1) % kept.len()]))
                .fold(f64::INFINITY, f64::min);
            assert!(d.sqrt() <= 0.05 + 1e-12, "{p:?} is {} away", d.sqrt());
        }
        assert!(
            out[1].is_none(),
            "an islet smaller than the tolerance is not drawn"
        );
        // Where the file starts the ring does not change the result.
        let mut turned = ring.clone();
        turned.rotate_left(77);
        let again = simplify(&[turned, vec![]], 0.05);
        let mut a: Vec<Key> = kept.iter().map(|&p| key(p)).collect();
        let mut b: Vec<Key> = again[0].as_ref().unwrap().iter().map(|&p| key(p)).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn a_long_arc_needs_no_deep_stack() {
        let line = wobbly((0.0, 0.0), (1000.0, 0.0), 30_000);
        let mut ring: Ring = line;
        ring.push((500.0, 300.0));
        let out = simplify(&[ring], 0.0);
        assert!(out[0].as_ref().unwrap().len() > 1000);
    }
}
