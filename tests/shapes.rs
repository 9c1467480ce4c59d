//! The shapes of territories (`content/diagnostics/*.geojson`, issue 15): read into the
//! site graph by territory, whatever the letter case of the ids; a site without them
//! builds as before. (Their mistakes: tests/fixtures/invalid/shapes-mistakes.)

mod common;

use std::fs;

use common::{site_from_fixture, site_root};

const SHAPES: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "id": "si044", "geometry": {"type": "Polygon", "coordinates":
    [[[13.6, 45.5], [14.1, 45.5], [14.1, 45.8], [13.6, 45.8], [13.6, 45.5]]]}},
  {"type": "Feature", "properties": {"id": "HR036"}, "geometry": {"type": "MultiPolygon", "coordinates": [
    [[[13.5, 44.8], [14.3, 44.8], [14.3, 45.5], [13.5, 44.8]]],
    [[[14.4, 44.9], [14.5, 44.9], [14.5, 45.0], [14.4, 44.9]]]]}}
]}"#;

#[test]
fn shapes_are_read_by_territory() {
    let tmp = site_from_fixture("rich");
    let root = site_root(&tmp);
    fs::write(root.join("content/diagnostics/shapes.geojson"), SHAPES).unwrap();
    let (site, _) = limes::load_site(&limes::BuildOptions {
        root: root.clone(),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let ids: Vec<&str> = site.shapes.keys().map(|t| t.as_str()).collect();
    assert_eq!(ids, ["HR036", "SI044"]);
    assert_eq!(site.shapes["SI044"].polygons[0][0].len(), 4);
    assert_eq!(site.shapes["HR036"].polygons.len(), 2);
    // A territory without a shape is simply not drawn: the build goes on.
    common::build(&root, &tmp.path().join("out")).unwrap_or_else(|d| panic!("{d}"));
}

#[test]
fn a_site_without_shapes_has_none() {
    let tmp = site_from_fixture("rich");
    let (site, _) = limes::load_site(&limes::BuildOptions {
        root: site_root(&tmp),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(site.shapes.is_empty());
}
