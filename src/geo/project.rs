//! Longitude and latitude (WGS 84, degrees) onto the plane of a map: Lambert's
//! azimuthal equal-area projection, as Eurostat draws Europe (ETRS89-LAEA), centred on
//! what the map shows so that a border region keeps its shapes and its areas. A sphere
//! is exact enough at the scale of a page.

/// The projection centred on (`lon0`, `lat0`), in degrees.
#[derive(Clone, Copy, Debug)]
pub struct Lambert {
    lon0: f64,
    sin_lat0: f64,
    cos_lat0: f64,
}

impl Lambert {
    pub fn new(lon0: f64, lat0: f64) -> Lambert {
        let lat0 = lat0.to_radians();
        Lambert {
            lon0,
            sin_lat0: lat0.sin(),
            cos_lat0: lat0.cos(),
        }
    }

    /// Europe as Eurostat projects it (EPSG:3035 is centred on 10° E, 52° N).
    pub fn europe() -> Lambert {
        Lambert::new(10.0, 52.0)
    }

    /// The point on the plane of (`lon`, `lat`), on a sphere of radius 1: x grows to
    /// the east, y to the north. `None` for the one point opposite the centre.
    pub fn project(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let lat = lat.to_radians();
        let dlon = (lon - self.lon0).to_radians();
        let (sin_lat, cos_lat) = lat.sin_cos();
        let cos_dlon = dlon.cos();
        let denom = 1.0 + self.sin_lat0 * sin_lat + self.cos_lat0 * cos_lat * cos_dlon;
        if denom <= 1e-12 {
            return None;
        }
        let k = (2.0 / denom).sqrt();
        Some((
            k * cos_lat * dlon.sin(),
            k * (self.cos_lat0 * sin_lat - self.sin_lat0 * cos_lat * cos_dlon),
        ))
    }

    /// The cosine of the angle between the centre and (`lon`, `lat`) seen from the
    /// middle of the sphere: 1 at the centre, 0 a quarter of the way round, -1 at the
    /// opposite point.
    pub fn cos_distance(&self, lon: f64, lat: f64) -> f64 {
        let lat = lat.to_radians();
        let (sin_lat, cos_lat) = lat.sin_cos();
        self.sin_lat0 * sin_lat + self.cos_lat0 * cos_lat * (lon - self.lon0).to_radians().cos()
    }
}

/// Places projected points in a box of `width` × `height` user units (SVG: y grows
/// downwards) with `margin` around, keeping proportions and centring what is drawn.
#[derive(Clone, Copy, Debug)]
pub struct Fit {
    scale: f64,
    dx: f64,
    dy: f64,
}

impl Fit {
    /// The fit of the projected bounding box `(min_x, min_y, max_x, max_y)`.
    pub fn new(bounds: (f64, f64, f64, f64), width: f64, height: f64, margin: f64) -> Fit {
        let (x0, y0, x1, y1) = bounds;
        let w = (x1 - x0).max(1e-9);
        let h = (y1 - y0).max(1e-9);
        let scale = ((width - 2.0 * margin) / w).min((height - 2.0 * margin) / h);
        Fit {
            scale,
            dx: (width - w * scale) / 2.0 - x0 * scale,
            dy: (height - h * scale) / 2.0 + y1 * scale,
        }
    }

    /// A projected point in user units.
    pub fn place(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x * self.scale + self.dx, self.dy - y * self.scale)
    }

    /// Projected units per user unit: what a user unit stands for, to simplify to.
    pub fn unit(&self) -> f64 {
        1.0 / self.scale
    }
}

/// The centre of `points` (longitude, latitude) to centre a projection on: the middle
/// of their latitudes, and the middle of their longitudes the short way round (the
/// arc of the circle of longitudes left when its largest empty gap is taken out, so
/// that a territory across the 180° meridian, Fiji or New Zealand's Chatham Islands,
/// is centred on itself and not on the far side of the globe).
pub fn centre(points: &[(f64, f64)]) -> (f64, f64) {
    if points.is_empty() {
        return (0.0, 0.0);
    }
    let (lat_lo, lat_hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let mut lons: Vec<f64> = points.iter().map(|p| p.0.rem_euclid(360.0)).collect();
    lons.sort_by(f64::total_cmp);
    lons.dedup();
    // The largest gap between neighbours, the one round the circle included.
    let n = lons.len();
    let (mut gap, mut after) = (lons[0] + 360.0 - lons[n - 1], 0);
    for i in 1..n {
        if lons[i] - lons[i - 1] > gap {
            gap = lons[i] - lons[i - 1];
            after = i;
        }
    }
    // The occupied arc runs from lons[after] eastwards to the point before it.
    let start = lons[after];
    let span = 360.0 - gap;
    let mid = (start + span / 2.0 + 180.0).rem_euclid(360.0) - 180.0;
    (mid, (lat_lo + lat_hi) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn known_points_land_where_expected() {
        let p = Lambert::new(0.0, 0.0);
        // The centre is the origin; a quarter of the way round the equator is √2 east.
        assert!(close(p.project(0.0, 0.0).unwrap(), (0.0, 0.0)));
        assert!(close(p.project(90.0, 0.0).unwrap(), (2f64.sqrt(), 0.0)));
        assert!(close(p.project(0.0, 90.0).unwrap(), (0.0, 2f64.sqrt())));
        // The opposite point has no place.
        assert!(p.project(180.0, 0.0).is_none());
        // EPSG:3035 (false easting 4,321 km, northing 3,210 km, on the GRS80
        // ellipsoid) puts the centre of Paris (2.35° E, 48.85° N) in Eurostat's grid
        // cell of 1 km N2889 E3760; a sphere of 6,371 km gives the same within 0.5 %.
        let (x, y) = Lambert::europe().project(2.35, 48.85).unwrap();
        let (x, y) = (x * 6371.0 + 4321.0, y * 6371.0 + 3210.0);
        assert!((x - 3760.0).abs() / 3760.0 < 0.005, "x {x}");
        assert!((y - 2889.0).abs() / 2889.0 < 0.005, "y {y}");
    }

    #[test]
    fn areas_are_kept() {
        // Two cells of 1° × 1°, one at the centre and one 20° north of it: their areas
        // on the sphere differ by cos(latitude); on the map they must differ alike.
        let p = Lambert::new(15.0, 45.0);
        let area = |lon: f64, lat: f64| {
            let pts: Vec<(f64, f64)> = [
                (lon, lat),
                (lon + 1.0, lat),
                (lon + 1.0, lat + 1.0),
                (lon, lat + 1.0),
            ]
            .iter()
            .map(|&(a, b)| p.project(a, b).unwrap())
            .collect();
            let mut s = 0.0;
            for i in 0..4 {
                let (x0, y0) = pts[i];
                let (x1, y1) = pts[(i + 1) % 4];
                s += x0 * y1 - x1 * y0;
            }
            s.abs() / 2.0
        };
        let sphere = |lat: f64| (lat + 1.0).to_radians().sin() - lat.to_radians().sin();
        let ratio = area(15.0, 65.0) / area(15.0, 45.0);
        let expected = sphere(65.0) / sphere(45.0);
        assert!((ratio - expected).abs() < 1e-3, "{ratio} vs {expected}");
    }

    #[test]
    fn a_fit_keeps_proportions_and_turns_y_down() {
        let fit = Fit::new((0.0, 0.0, 2.0, 1.0), 400.0, 400.0, 10.0);
        // 2 × 1 in a 380-wide box: 190 units a unit, centred vertically.
        let (x0, y0) = fit.place((0.0, 1.0));
        let (x1, y1) = fit.place((2.0, 0.0));
        assert!((x0 - 10.0).abs() < 1e-9 && (x1 - 390.0).abs() < 1e-9);
        assert!(
            (y0 - 105.0).abs() < 1e-9 && (y1 - 295.0).abs() < 1e-9,
            "{y0} {y1}"
        );
        assert!((fit.unit() - 1.0 / 190.0).abs() < 1e-12);
    }
}
