//! The shapes of territories, from GeoJSON files in `content/diagnostics/`: a
//! `FeatureCollection` whose features name their territory (`"id"`, or `"id"` among
//! their `properties`) and whose geometry is a `Polygon` or a `MultiPolygon`, in
//! longitude and latitude (WGS 84), as statistical offices publish them. Every mistake
//! is a problem naming the file, the feature (where it starts in the file) and what
//! is wrong.

use crate::diagnostics::{Diagnostic, Source, closest};

/// A closed ring of (longitude, latitude), its last point not repeating its first.
pub type LonLatRing = Vec<(f64, f64)>;

/// The shape of one territory: its polygons, each an outer ring and its holes.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The territory's id as the territories file spells it.
    pub id: String,
    pub polygons: Vec<Vec<LonLatRing>>,
    /// Where its feature starts in the file (byte offset), for messages.
    pub at: usize,
}

/// Reads the shapes of `src`. `territory` gives the id of the territory a feature
/// names (ids compare without regard to letter case, as in links), or `None`;
/// `ids` are all of them, for suggestions.
pub fn read(
    src: &Source,
    territory: &dyn Fn(&str) -> Option<String>,
    ids: &[&str],
) -> (Vec<Shape>, Credit, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some((value, starts)) = collection(src, &mut diags) else {
        return (Vec::new(), Credit::default(), diags);
    };
    let features = value["features"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut shapes: Vec<Shape> = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        let at = starts.get(i).copied().unwrap_or(0);
        let here = |message: String| src.error(at..at + 1, message);
        let written = feature
            .get("id")
            .or_else(|| feature.get("properties").and_then(|p| p.get("id")))
            .and_then(|id| match id {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
        let Some(written) = written else {
            diags.push(
                here(format!("feature {} names no territory", i + 1))
                    .help("give it the territory's id: \"id\": \"FRJ15\" beside \"type\", or in its \"properties\""),
            );
            continue;
        };
        let Some(id) = territory(&written) else {
            let mut d = here(format!("feature `{written}` matches no territory"));
            d = match closest(&written, ids.iter().copied()) {
                Some(c) => d.help(format!("did you mean `{c}`? the ids are those of content/diagnostics/territories.toml")),
                None => d.help("the ids are those of content/diagnostics/territories.toml: add the territory there, or remove the feature"),
            };
            diags.push(d);
            continue;
        };
        if shapes.iter().any(|s| s.id == id) {
            diags.push(here(format!("a second shape for `{id}`")).help(
                "give each territory one feature; a territory of several parts is a MultiPolygon",
            ));
            continue;
        }
        match polygons(feature.get("geometry")) {
            Ok(polygons) => shapes.push(Shape { id, polygons, at }),
            Err(why) => {
                let help = if why.contains("geometry") {
                    "draw the territory as a Polygon, or a MultiPolygon for one of several parts"
                } else {
                    "coordinates are [longitude, latitude] in degrees (WGS 84); each ring ends where it starts"
                };
                diags.push(here(format!("feature `{written}`: {why}")).help(help));
            }
        }
    }
    (shapes, credit_of(&value), diags)
}

/// The polygons of every feature of `content/diagnostics/background.geojson`, the
/// background of every map (coasts, neighbouring countries): features need no id, and
/// an id they have is not looked up.
pub fn read_background(src: &Source) -> (Vec<Vec<LonLatRing>>, Credit, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some((value, starts)) = collection(src, &mut diags) else {
        return (Vec::new(), Credit::default(), diags);
    };
    let features = value["features"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut out = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        let at = starts.get(i).copied().unwrap_or(0);
        // A feature without a place (GeoJSON allows a null geometry) draws nothing.
        if feature.get("geometry").is_none_or(|g| g.is_null()) {
            continue;
        }
        match polygons(feature.get("geometry")) {
            Ok(polygons) => out.extend(polygons),
            Err(why) => diags.push(
                src.error(at..at + 1, {
                    // Named as the file names it, when it does.
                    let name = feature
                        .get("properties")
                        .and_then(|p| p.get("name"))
                        .and_then(|n| n.as_str())
                        .map(|n| format!(" ({})", n.chars().filter(|c| !c.is_control()).take(60).collect::<String>()))
                        .unwrap_or_default();
                    format!("feature {}{name}: {why}", i + 1)
                })
                    .help("the background is drawn from Polygons and MultiPolygons in [longitude, latitude] (WGS 84), each ring ending where it starts"),
            ),
        }
    }
    (out, credit_of(&value), diags)
}

/// The text of `src` as a GeoJSON `FeatureCollection` (its `"features"` a list) and where
/// each feature starts, or `None` with the problem in `diags`.
fn collection(
    src: &Source,
    diags: &mut Vec<Diagnostic>,
) -> Option<(serde_json::Value, Vec<usize>)> {
    let value: serde_json::Value = match serde_json::from_str(&src.text) {
        Ok(v) => v,
        Err(e) => {
            let at = offset_of(&src.text, e.line(), e.column());
            diags.push(
                src.error(at..at + 1, format!("not JSON: {}", strip_position(&e.to_string())))
                    .help("a shapes file is GeoJSON: a FeatureCollection exported by a GIS program or published by a statistical office"),
            );
            return None;
        }
    };
    let kind = value.get("type").and_then(|t| t.as_str());
    if kind != Some("FeatureCollection") || !value.get("features").is_some_and(|f| f.is_array()) {
        let help = if kind == Some("Topology") {
            "this is TopoJSON: convert it to GeoJSON first (mapshaper, QGIS or topojson-client's topo2geo can)"
        } else {
            "the file must be an object with \"type\": \"FeatureCollection\" and a list of \"features\""
        };
        diags.push(
            src.error_at_line(1, "not a GeoJSON FeatureCollection")
                .help(help),
        );
        return None;
    }
    for key in CREDIT_KEYS {
        if value.get(key).is_some_and(|v| !v.is_string()) {
            diags.push(
                src.error_at_line(1, format!("`{key}` of a shapes file must be a text"))
                    .help(format!("write it like \"{key}\": \"Natural Earth, public domain\"; it is named under every map and in the open data")),
            );
        }
    }
    let starts = feature_starts(&src.text);
    Some((value, starts))
}

/// The members beside `"features"` that name where the shapes come from and under
/// which licence (GeoJSON lets a file carry members of its own).
const CREDIT_KEYS: [&str; 2] = ["source", "license"];

/// Where the shapes of a file come from and their licence, as its `"source"` and
/// `"license"` members say (texts; anything else is reported by [`read`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Credit {
    pub source: Option<String>,
    pub license: Option<String>,
}

/// The [`Credit`] a file's members give: texts, trimmed, control characters left out.
fn credit_of(value: &serde_json::Value) -> Credit {
    let text_of = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .map(|s| s.chars().filter(|c| !c.is_control()).collect::<String>())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    Credit {
        source: text_of("source"),
        license: text_of("license"),
    }
}

/// A coordinate as a message quotes it: as written for ordinary numbers, in
/// scientific notation for huge ones (1e308, not 309 digits).
fn number(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// The polygons of a geometry, or what is wrong with it.
fn polygons(geometry: Option<&serde_json::Value>) -> Result<Vec<Vec<LonLatRing>>, String> {
    let Some(g) = geometry.filter(|g| !g.is_null()) else {
        return Err("no geometry".into());
    };
    let kind = g.get("type").and_then(|t| t.as_str()).unwrap_or("");
    let coords = g
        .get("coordinates")
        .ok_or("a geometry without coordinates")?;
    fn list<'a>(v: &'a serde_json::Value, what: &str) -> Result<&'a [serde_json::Value], String> {
        v.as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| format!("{what} is not a list"))
    }
    let parts: &[serde_json::Value] = match kind {
        "Polygon" => std::slice::from_ref(coords),
        "MultiPolygon" => list(coords, "the coordinates")?,
        "" => return Err("a geometry without a type".into()),
        other => {
            return Err(format!(
                "the geometry is a {other}; a shape is a Polygon or a MultiPolygon"
            ));
        }
    };
    let mut out = Vec::new();
    for (p, part) in parts.iter().enumerate() {
        let mut rings = Vec::new();
        for (r, ring) in list(part, "a polygon")?.iter().enumerate() {
            let place = if parts.len() > 1 {
                format!("ring {} of polygon {}", r + 1, p + 1)
            } else {
                format!("ring {}", r + 1)
            };
            let mut points = Vec::new();
            for (k, position) in list(ring, &place)?.iter().enumerate() {
                let xy = position.as_array().filter(|a| a.len() >= 2);
                let (Some(lon), Some(lat)) = (
                    xy.and_then(|a| a[0].as_f64()),
                    xy.and_then(|a| a[1].as_f64()),
                ) else {
                    return Err(format!(
                        "position {} of {place} is not [longitude, latitude]",
                        k + 1
                    ));
                };
                if !(-180.0..=180.0).contains(&lon) {
                    return Err(format!(
                        "position {} of {place}: longitude {} is outside -180 to 180",
                        k + 1,
                        number(lon)
                    ));
                }
                if !(-90.0..=90.0).contains(&lat) {
                    return Err(format!(
                        "position {} of {place}: latitude {} is outside -90 to 90 (are longitude and latitude swapped?)",
                        k + 1,
                        number(lat)
                    ));
                }
                points.push((lon, lat));
            }
            if points.len() < 4 {
                return Err(format!(
                    "{place} has {} position{}; a ring has at least 4, the last one repeating the first",
                    points.len(),
                    if points.len() == 1 { "" } else { "s" }
                ));
            }
            if points.first() != points.last() {
                return Err(format!("{place} does not end where it starts"));
            }
            points.pop();
            rings.push(points);
        }
        if rings.is_empty() {
            return Err(format!("polygon {} has no rings", p + 1));
        }
        out.push(rings);
    }
    if out.is_empty() {
        return Err("the geometry has no polygons".into());
    }
    Ok(out)
}

/// The byte offset of a 1-based line and column as serde_json counts them (columns in
/// bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// serde_json's message without the "at line 3 column 7" the diagnostic says itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Where each element of the top-level `"features"` list starts: a scan of the text
/// that follows strings and nesting (the text is known to be JSON).
fn feature_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut last_key: Option<(usize, usize)> = None;
    let mut in_features: Option<usize> = None;
    let mut starts = Vec::new();
    let mut expect_element = false;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let s = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 {
                    last_key = Some((s, i.min(b.len())));
                }
                if expect_element && in_features == Some(depth) {
                    starts.push(s - 1);
                    expect_element = false;
                }
            }
            b'[' | b'{' => {
                if expect_element && in_features == Some(depth) {
                    starts.push(i);
                    expect_element = false;
                }
                depth += 1;
                if b[i] == b'['
                    && depth == 2
                    && last_key.is_some_and(|(s, e)| &text[s..e] == "features")
                {
                    in_features = Some(depth);
                    expect_element = true;
                }
            }
            b']' | b'}' => {
                if in_features == Some(depth) {
                    in_features = None;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if in_features == Some(depth) => expect_element = true,
            c if !c.is_ascii_whitespace() && expect_element && in_features == Some(depth) => {
                starts.push(i);
                expect_element = false;
            }
            _ => {}
        }
        i += 1;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &["SI", "HR", "FRJ15"];

    fn territory(id: &str) -> Option<String> {
        IDS.iter()
            .find(|t| t.eq_ignore_ascii_case(id))
            .map(|t| t.to_string())
    }

    fn run(text: &str) -> (Vec<Shape>, Vec<String>) {
        let src = Source::new("content/diagnostics/shapes.geojson", text.to_string());
        let (shapes, _, diags) = read(&src, &territory, IDS);
        (
            shapes,
            diags
                .iter()
                .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
                .collect(),
        )
    }

    const SQUARE: &str = r#"[[[13.5,45.5],[14.5,45.5],[14.5,46.5],[13.5,46.5],[13.5,45.5]]]"#;

    #[test]
    fn reads_polygons_and_multipolygons_by_id_or_property() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","id":"si","geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}},
{{"type":"Feature","properties":{{"id":"HR","name":"Hrvatska"}},"geometry":{{"type":"MultiPolygon","coordinates":[{SQUARE},{SQUARE}]}}}}
]}}"#
        );
        let (shapes, problems) = run(&text);
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(shapes.len(), 2);
        assert_eq!(shapes[0].id, "SI");
        assert_eq!(
            shapes[0].polygons,
            vec![vec![vec![
                (13.5, 45.5),
                (14.5, 45.5),
                (14.5, 46.5),
                (13.5, 46.5)
            ]]]
        );
        assert_eq!(shapes[1].id, "HR");
        assert_eq!(shapes[1].polygons.len(), 2);
    }

    #[test]
    fn every_mistake_names_the_feature_where_it_starts() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
  {{"type":"Feature","id":"FRJ51","geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}},
  {{"type":"Feature","id":"SI","geometry":{{"type":"Polygon","coordinates":[[[13.5,95.5],[14.5,45.5],[14.5,46.5],[13.5,45.5]]]}}}},
  {{"type":"Feature","id":"HR","geometry":{{"type":"Point","coordinates":[15,45]}}}},
  {{"type":"Feature","geometry":null}},
  {{"type":"Feature","id":"FRJ15","geometry":{{"type":"Polygon","coordinates":[[[1,1],[2,2],[1,1]]]}}}}
]}}"#
        );
        let (shapes, problems) = run(&text);
        assert!(shapes.is_empty());
        assert_eq!(
            problems,
            [
                "2:3: feature `FRJ51` matches no territory",
                "3:3: feature `SI`: position 1 of ring 1: latitude 95.5 is outside -90 to 90 (are longitude and latitude swapped?)",
                "4:3: feature `HR`: the geometry is a Point; a shape is a Polygon or a MultiPolygon",
                "5:3: feature 4 names no territory",
                "6:3: feature `FRJ15`: ring 1 has 3 positions; a ring has at least 4, the last one repeating the first",
            ]
        );
    }

    #[test]
    fn a_file_that_is_not_geojson() {
        assert_eq!(
            run("{\"type\": \"Feature\"}").1,
            ["1:1: not a GeoJSON FeatureCollection"]
        );
        let (_, p) = run("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [,]\n}");
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("3:16: not JSON: expected value"), "{p:?}");
    }
}
