//! The shapes of the territories as open data: `/data/shapes.geojson` and its entry in
//! the data package. Every point as the content gives it (the maps draw a lightened
//! copy), written straight into text.

use serde::Serialize;

use super::number_text;
use crate::model::Site;

/// Every territory's shape as one GeoJSON FeatureCollection, in the order of the ids:
/// each feature's `id` the territory's (as territories.toml spells it), its name in
/// the default language among its properties, its rings as the content gives them
/// (not simplified), closed again as GeoJSON wants. `None` without shapes.
pub(super) fn shapes(site: &Site) -> Option<Vec<u8>> {
    use std::fmt::Write as _;
    if site.shapes.is_empty() {
        return None;
    }
    let lang = &site.config.default_language;
    // Written straight into text: a shape of hundreds of thousands of points as a tree
    // of JSON values would take ten times its size in memory.
    let text = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for (n, (id, shape)) in site.shapes.iter().enumerate() {
        let name = site
            .territory(id)
            .and_then(|t| site.config.pick(&t.name, lang))
            .map(|(_, name)| text(name))
            .unwrap_or_else(|| "null".into());
        let multi = shape.polygons.len() != 1;
        let _ = write!(
            out,
            "{}{{\"type\":\"Feature\",\"id\":{id},\"properties\":{{\"id\":{id},\"name\":{name}}},\"geometry\":{{\"type\":\"{}\",\"coordinates\":",
            if n > 0 { "," } else { "" },
            if multi { "MultiPolygon" } else { "Polygon" },
            id = text(id),
        );
        if multi {
            out.push('[');
        }
        for (p, rings) in shape.polygons.iter().enumerate() {
            out.push_str(if p > 0 { ",[" } else { "[" });
            for (r, ring) in rings.iter().enumerate() {
                out.push_str(if r > 0 { ",[" } else { "[" });
                // Closed again, as GeoJSON wants.
                for (k, (lon, lat)) in ring.iter().chain(ring.first()).enumerate() {
                    let _ = write!(
                        out,
                        "{}[{},{}]",
                        if k > 0 { "," } else { "" },
                        number_text(*lon),
                        number_text(*lat)
                    );
                }
                out.push(']');
            }
            out.push(']');
        }
        if multi {
            out.push(']');
        }
        out.push_str("}}");
    }
    out.push_str("]}\n");
    Some(out.into_bytes())
}

/// A resource that is not a table: the shapes, as GeoJSON.
#[derive(Serialize)]
pub(super) struct FileResource {
    name: &'static str,
    path: &'static str,
    title: &'static str,
    description: String,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<SourceDescriptor>,
}

#[derive(Serialize)]
struct SourceDescriptor {
    title: String,
}

/// The shapes' entry in the package: what the file holds, and where the shapes come
/// from and under which licence, as their files say.
pub(super) fn shapes_resource(site: &Site) -> Option<FileResource> {
    if site.shapes.is_empty() {
        return None;
    }
    let credits: Vec<&crate::geo::read::Credit> = site
        .shape_credits
        .iter()
        .filter(|(file, _)| !file.ends_with("/background.geojson"))
        .map(|(_, c)| c)
        .collect();
    let mut said = String::new();
    for c in &credits {
        if let Some(s) = &c.source {
            said.push_str(&format!(" Source: {}.", s.trim_end_matches('.')));
        }
        if let Some(l) = &c.license {
            said.push_str(&format!(" Licence: {}.", l.trim_end_matches('.')));
        }
    }
    Some(FileResource {
        name: "shapes",
        path: super::SHAPES,
        title: "Shapes of the territories",
        description: format!(
            "The outline of each territory that has one, for maps: a GeoJSON \
             FeatureCollection in longitude and latitude (WGS 84), one feature per \
             territory whose `id` is the territory's (see `territories`), its name in \
             the site's default language among its properties; as the observatory \
             publishes them, not simplified.{said}"
        ),
        format: "geojson",
        mediatype: "application/geo+json",
        encoding: "utf-8",
        sources: credits
            .iter()
            .filter_map(|c| c.source.clone())
            .map(|title| SourceDescriptor { title })
            .collect(),
    })
}
