//! Maps (issue 15): the example observatory's border, indicator, partner and practice
//! pages show theirs; a choropleth hatches what is not available (never a shade of
//! zero) and lets the indicator's `better` decide which end is dark; every territory
//! and point is a link with an accessible name, markup in names stays text, maps stay
//! small, and a site without shapes draws none. The drawing itself (projection,
//! simplification, an SVG snapshot) is tested in src/geo and src/render/map/; the
//! maps at 320 px and under axe-core in tests/browser/run.mjs.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_contains, repo, site_from_fixture, site_root};

/// Shapes for two territories of the `rich` fixture: Coastal-Karst and Istria, side by
/// side (a shared edge at 14.1° E).
const SHAPES: &str = r#"{"type": "FeatureCollection", "source": "Drawn for the tests <b>", "license": "CC0", "features": [
  {"type": "Feature", "id": "SI044", "geometry": {"type": "Polygon", "coordinates":
    [[[13.6, 45.5], [14.1, 45.5], [14.1, 45.8], [13.6, 45.8], [13.6, 45.5]]]}},
  {"type": "Feature", "id": "HR036", "geometry": {"type": "Polygon", "coordinates":
    [[[14.1, 45.5], [14.1, 45.0], [13.5, 45.0], [13.6, 45.5], [14.1, 45.5]]]}}
]}"#;

fn read(out: &Path, page: &str) -> String {
    fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// The `<svg class="map" …>…</svg>` elements of a page.
fn maps(html: &str) -> Vec<String> {
    common::between_all(html, "<svg class=\"map\"", "</svg>")
}

/// The accessible names of the links and shapes of a map, in order.
fn names(map: &str) -> Vec<String> {
    common::between_all(map, "aria-label=\"", "\"")
}

/// The class of the territory whose accessible name is `name`.
fn class_of(map: &str, name: &str) -> String {
    let at = map
        .find(&format!("aria-label=\"{name}\""))
        .unwrap_or_else(|| panic!("no {name:?} in {map}"));
    let open = map[..at].rfind('<').unwrap();
    let tag = &map[open..at];
    tag.split("class=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

fn build_example() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    common::build(&repo(), &out).unwrap_or_else(|d| panic!("{d}"));
    (tmp, out)
}

#[test]
fn the_example_observatory_shows_its_maps() {
    let (_tmp, out) = build_example();

    // A border: its territories by side, linked, and the legend names the sides.
    let border = read(&out, "en/borders/si-hr/index.html");
    let map = &maps(&border)[0];
    assert_contains(map, r#"aria-labelledby="border-map-title border-map-desc""#);
    assert_contains(
        map,
        r#"<a class="area side-1" href="/en/territories/si/" aria-label="Slovenia"><title>Slovenia</title>"#,
    );
    assert_contains(
        map,
        r#"<a class="area side-2" href="/en/territories/hr/" aria-label="Croatia"><title>Croatia</title>"#,
    );
    let legend = common::section(&border, "<ul class=\"legend map-legend\">", "</ul>");
    assert_contains(legend, "Slovenia");
    assert_contains(legend, "Croatia");
    assert_contains(&border, "Shapes: Natural Earth, Admin 0 countries at 1:50m");
    // …and beside each comparison, the compared year on a map.
    assert!(
        maps(&border).len() > 1,
        "no choropleth beside the comparisons"
    );
    // Every border page has its map, with the border's partners where they are known.
    for b in ["fr-es", "adriatic-balkan"] {
        let page = read(&out, &format!("en/borders/{b}/index.html"));
        let map = &maps(&page)[0];
        assert_contains(map, "class=\"point\"");
    }
    let fr_es = read(&out, "en/borders/fr-es/index.html");
    assert_contains(
        &maps(&fr_es)[0],
        r#"href="/en/partners/irts-perpignan/" aria-label="IRTS Perpignan (Perpignan)""#,
    );

    // An indicator: the latest year, each value in words, the shades' meaning.
    let ind = read(&out, "en/indicators/unemployment-rate/index.html");
    let map = &maps(&ind)[0];
    assert_eq!(names(map), ["Slovenia: 7.8\u{a0}%", "Croatia: 10.3\u{a0}%"]);
    assert_contains(
        map,
        "<title id=\"values-map-title\">Unemployment rate · 2023</title>",
    );
    // Lower is better: the higher rate is the darker.
    assert_eq!(class_of(map, "Croatia: 10.3\u{a0}%"), "area c4");
    assert_eq!(class_of(map, "Slovenia: 7.8\u{a0}%"), "area c0");
    assert_contains(&ind, "Darker: worse");
    // The reader's number format, in the map and its legend.
    let fr = read(&out, "fr/indicators/unemployment-rate/index.html");
    assert_contains(&maps(&fr)[0], "aria-label=\"Slovénie\u{a0}: 7,8\u{a0}%\"");
    assert_contains(&fr, "7,0 – 8,0\u{a0}%");

    // The partners listing: every partner with a location, named with its city.
    let partners = read(&out, "en/partners/index.html");
    let map = &maps(&partners)[0];
    let points = map.matches("class=\"point\"").count();
    assert_eq!(points, 6, "{:?}", names(map));
    assert_contains(map, r#"aria-label="Centro Donna Passi Leggeri (Shkodër)""#);
    // A practice: its partners.
    let practice = read(&out, "en/practices/seenet-social-planning/index.html");
    let map = &maps(&practice)[0];
    assert_contains(map, r#"href="/en/partners/university-of-vlora/""#);
    assert_contains(map, r#"href="/en/partners/novi-sad-social-centre/""#);

    // Small, and one id per element.
    for page in [&border, &ind, &partners, &practice] {
        for map in maps(page) {
            assert!(map.len() < 60_000, "a map of {} bytes", map.len());
        }
        let mut ids = common::between_all(page, " id=\"", "\"");
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "an id twice in a page with maps");
    }

    // The shapes are open data.
    let shapes: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/shapes.geojson")).unwrap()).unwrap();
    let ids: Vec<&str> = shapes["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["HR", "SI"]);
    let ring = shapes["features"][1]["geometry"]["coordinates"][0]
        .as_array()
        .unwrap();
    assert_eq!(ring.first(), ring.last(), "GeoJSON rings are closed");
    let package = read(&out, "data/datapackage.json");
    assert_contains(&package, "\"path\": \"shapes.geojson\"");
    assert_contains(&package, "Licence: Public domain (Natural Earth)");
}

#[test]
fn not_available_is_hatched_and_better_sets_the_direction() {
    let tmp = site_from_fixture("rich");
    let root = site_root(&tmp);
    fs::write(root.join("content/diagnostics/shapes.geojson"), SHAPES).unwrap();
    let out = tmp.path().join("out");
    common::build(&root, &out).unwrap_or_else(|d| panic!("{d}"));

    // Employment rate, 2023: Istria has a value; Coastal-Karst's is not published.
    let page = read(&out, "en/indicators/employment-rate/index.html");
    let map = &maps(&page)[0];
    let missing = class_of(map, "Coastal-Karst: Not available");
    assert_eq!(missing, "area none na");
    assert_contains(map, r#"<path d="M"#);
    assert_contains(map, r##"fill="url(#values-map-na)""##);
    assert!(class_of(map, "Istria County: 62.46\u{a0}%").starts_with("area c"));
    // Its legend says "not available" with a hatched key of its own.
    let legend = common::section(&page, "<ul class=\"legend map-legend\">", "</ul>");
    assert_contains(legend, "Not available");
    assert_contains(legend, "values-map-key-na");

    // On the border, both compared in 2022: higher is better, so the lower is darker.
    let border = read(&out, "en/borders/alpe-adria/index.html");
    let employment = maps(&border)
        .into_iter()
        .find(|m| m.contains("map-employment-rate-title"))
        .expect("a map beside the employment comparison");
    assert_eq!(
        class_of(&employment, "Istria County: 61.00\u{a0}%"),
        "area c4"
    );
    assert_eq!(
        class_of(&employment, "Coastal-Karst: 69.10\u{a0}%"),
        "area c0"
    );
    // Lower is better (poverty gap, compared in 2021): the higher is darker.
    let gap = maps(&border)
        .into_iter()
        .find(|m| m.contains("map-poverty-gap-title"))
        .expect("a map beside the poverty gap comparison");
    assert!(
        class_of(&gap, "Coastal-Karst: 1,300\u{a0}EUR").ends_with("c4"),
        "{gap}"
    );
    assert!(
        class_of(&gap, "Istria County: 1,100\u{a0}EUR").ends_with("c0"),
        "{gap}"
    );
    // The source the file names, as text.
    assert_contains(&border, "Shapes: Drawn for the tests &lt;b&gt;");

    // Territories without a shape are not drawn; the page still lists them.
    assert!(!employment.contains("Friuli"));
    assert_contains(&border, "Friuli-Venezia Giulia");
}

#[test]
fn markup_in_names_stays_text_in_maps() {
    let tmp = site_from_fixture("rich");
    let root = site_root(&tmp);
    fs::write(root.join("content/diagnostics/shapes.geojson"), SHAPES).unwrap();
    let territories = root.join("content/diagnostics/territories.toml");
    let text = fs::read_to_string(&territories).unwrap().replace(
        "en = \"Istria County\"",
        "en = \"Istria <script>alert(1)</script> \\\" & ' County\"",
    );
    fs::write(&territories, text).unwrap();
    let out = tmp.path().join("out");
    common::build(&root, &out).unwrap_or_else(|d| panic!("{d}"));
    let border = read(&out, "en/borders/alpe-adria/index.html");
    let map = &maps(&border)[0];
    assert_contains(
        map,
        "aria-label=\"Istria &lt;script&gt;alert(1)&lt;/script&gt; &quot; &amp; &apos; County\"",
    );
    assert!(!map.contains("<script"));
}

#[test]
fn a_site_without_shapes_draws_no_map() {
    let tmp = site_from_fixture("rich");
    let out = tmp.path().join("out");
    common::build(&site_root(&tmp), &out).unwrap_or_else(|d| panic!("{d}"));
    for page in [
        "en/borders/alpe-adria/index.html",
        "en/indicators/employment-rate/index.html",
        "en/partners/index.html",
    ] {
        let html = read(&out, page);
        assert!(!html.contains("class=\"map"), "{page} has a map");
        assert!(!html.contains("map-figure"), "{page} has an empty figure");
    }
    assert!(!out.join("data/shapes.geojson").exists());
    assert!(!read(&out, "data/datapackage.json").contains("geojson"));
}

#[test]
fn check_warns_of_a_location_far_from_its_territory() {
    let tmp = site_from_fixture("rich");
    let root = site_root(&tmp);
    fs::write(root.join("content/diagnostics/shapes.geojson"), SHAPES).unwrap();
    let partner = root.join("content/partners/karst-care-network/index.en.md");
    let write = |location: &str| {
        let text = fs::read_to_string(&partner).unwrap();
        let text = match text.find("\nlocation = ") {
            Some(i) => {
                let end = i + 1 + text[i + 1..].find('\n').unwrap();
                format!("{}{}", &text[..i + 1], &text[end + 1..])
            }
            None => text,
        };
        fs::write(
            &partner,
            text.replacen("city = ", &format!("location = {location}\ncity = "), 1),
        )
        .unwrap();
    };
    let check = || {
        let out = common::limes(&root, &["check"]);
        common::text(&out.stderr) + &common::text(&out.stdout)
    };
    // Sežana, where it is: nothing to say.
    write("{ lat = 45.71, lon = 13.87 }");
    let said = check();
    assert!(!said.contains("far from its territory"), "{said}");
    // Latitude and longitude swapped: said so, with the fix.
    write("{ lat = 13.87, lon = 45.71 }");
    let said = check();
    assert_contains(
        &said,
        "content/partners/karst-care-network/index.en.md:7:1: warning: the location of `karst-care-network` is far from its territory `SI044`",
    );
    assert_contains(
        &said,
        "latitude and longitude look swapped: write location = { lat = 45.71, lon = 13.87 }",
    );
    // Elsewhere altogether: where the territory is.
    write("{ lat = 48.2, lon = 16.37 }");
    assert_contains(&check(), "`SI044` spans latitudes 45.50 to 45.80");
}
