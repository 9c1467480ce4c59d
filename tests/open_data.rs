//! The open data under `/data/`, read back as a researcher's tools would read it: the
//! package descriptor, then every table it lists as CSV and as JSON. Checked on the
//! repository's example observatory and on `tests/fixtures/open-data/`, a small site
//! whose editors write markup and spreadsheet formulas where text is expected, and whose
//! statistics have values missing, with and without a note.
//!
//! The Frictionless validator itself runs over the example's package in `scripts/test`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A site built into a temporary folder.
struct Built {
    _tmp: TempDir,
    out: PathBuf,
}

impl Built {
    fn data(&self) -> PathBuf {
        self.out.join("data")
    }
}

/// Builds the site at `root` (a copy of a fixture, or the repository itself).
fn build(root: &Path) -> Built {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let out = tmp.path().join("out");
    if let Err(d) = common::build(root, &out) {
        panic!("{} does not build:\n{d}", root.display());
    }
    Built { _tmp: tmp, out }
}

fn example() -> Built {
    build(&common::repo())
}

/// The fixture and the temporary copy it is built from.
fn fixture() -> (TempDir, Built) {
    let site = common::site_from_fixture("open-data");
    let built = build(&common::site_root(&site));
    (site, built)
}

/// One table as both files hold it.
struct Table {
    name: String,
    /// (name, type) of each column, as the descriptor declares them.
    fields: Vec<(String, String)>,
    /// The description of each column.
    descriptions: Vec<String>,
    primary_key: Vec<String>,
    /// (columns, table, columns there).
    foreign_keys: Vec<(Vec<String>, String, Vec<String>)>,
    csv: Vec<Vec<String>>,
    json: Vec<serde_json::Map<String, Value>>,
}

impl Table {
    fn column(&self, name: &str) -> usize {
        self.fields
            .iter()
            .position(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{} has no column {name}", self.name))
    }

    /// The CSV row and JSON object whose first columns are `key`.
    #[track_caller]
    fn row(&self, key: &[&str]) -> (&[String], &serde_json::Map<String, Value>) {
        let i = self
            .csv
            .iter()
            .position(|r| r.iter().zip(key).all(|(a, b)| a == b))
            .unwrap_or_else(|| panic!("{} has no row {key:?}", self.name));
        (&self.csv[i], &self.json[i])
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The descriptor and every table it lists, checked to be there in both formats.
fn read_package(data: &Path) -> (Value, Vec<Table>) {
    let descriptor: Value = serde_json::from_slice(
        &fs::read(data.join("datapackage.json")).expect("data/datapackage.json exists"),
    )
    .expect("datapackage.json is JSON");
    let resources = descriptor["resources"]
        .as_array()
        .expect("the package lists its resources");
    let mut tables = Vec::new();
    for r in resources {
        let name = r["name"]
            .as_str()
            .expect("a resource has a name")
            .to_string();
        let path = r["path"].as_str().expect("a resource has a path");
        // The shapes are a GeoJSON file, not a table (tests/maps.rs reads them).
        if r["format"] == "geojson" {
            assert_eq!(path, "shapes.geojson");
            assert!(data.join(path).is_file(), "{path} is published");
            continue;
        }
        assert_eq!(path, format!("{name}.csv"), "the CSV of {name}");
        assert_eq!(r["format"], "csv");
        assert_eq!(r["encoding"], "utf-8");
        let json_path = r["alternates"][0]["path"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} names its JSON file"));
        assert_eq!(json_path, format!("{name}.json"));
        let schema = &r["schema"];
        let fields: Vec<(String, String)> = schema["fields"]
            .as_array()
            .expect("a schema has fields")
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap().to_string(),
                    f["type"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let descriptions = schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["description"].as_str().unwrap_or_default().to_string())
            .collect();
        let primary_key = strings(&schema["primaryKey"]);
        assert!(!primary_key.is_empty(), "{name} has a primary key");
        let foreign_keys = schema["foreignKeys"]
            .as_array()
            .map(|keys| {
                keys.iter()
                    .map(|k| {
                        (
                            strings(&k["fields"]),
                            k["reference"]["resource"].as_str().unwrap().to_string(),
                            strings(&k["reference"]["fields"]),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();

        let bytes = fs::read(data.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let body = bytes
            .strip_prefix(BOM)
            .unwrap_or_else(|| panic!("{path} starts with a byte order mark"));
        let text = std::str::from_utf8(body).unwrap_or_else(|e| panic!("{path}: {e}"));
        let header_end = text.find('\n').expect("a header line");
        assert!(
            text[..header_end].ends_with('\r'),
            "{path}: lines end with CRLF"
        );
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body);
        let mut records = reader.records().map(|r| {
            r.unwrap_or_else(|e| panic!("{path}: {e}"))
                .iter()
                .map(String::from)
                .collect::<Vec<_>>()
        });
        let header = records.next().expect("a header row");
        let names: Vec<&String> = fields.iter().map(|(n, _)| n).collect();
        assert_eq!(
            header.iter().collect::<Vec<_>>(),
            names,
            "{path}: the header is the schema's fields"
        );
        let csv: Vec<Vec<String>> = records.collect();

        let json_file = data.join(json_path);
        let json: Value = serde_json::from_slice(
            &fs::read(&json_file).unwrap_or_else(|e| panic!("{json_path}: {e}")),
        )
        .unwrap_or_else(|e| panic!("{json_path} is not JSON: {e}"));
        let json: Vec<serde_json::Map<String, Value>> = json
            .as_array()
            .unwrap_or_else(|| panic!("{json_path} is an array"))
            .iter()
            .map(|o| {
                o.as_object()
                    .unwrap_or_else(|| panic!("{json_path} holds objects"))
                    .clone()
            })
            .collect();
        tables.push(Table {
            name,
            fields,
            descriptions,
            primary_key,
            foreign_keys,
            csv,
            json,
        });
    }
    (descriptor, tables)
}

/// A text cell of the CSV against the exact text in JSON: a cell never starts like a
/// formula, and one that starts with `'` is the text with a `'` added.
#[track_caller]
fn assert_text_cell(csv: &str, json: &str, at: &str) {
    assert!(
        !csv.starts_with(['=', '+', '-', '@', '\t', '\r']),
        "{at}: the CSV cell {csv:?} starts like a formula"
    );
    let text = csv.strip_prefix('\'').unwrap_or(csv);
    assert_eq!(text, json, "{at}: CSV {csv:?} and JSON {json:?} differ");
}

/// Both files of every table hold the same records, cell by cell, as each column's type
/// says they are written.
fn assert_same_records(t: &Table) {
    assert_eq!(
        t.csv.len(),
        t.json.len(),
        "{}: CSV and JSON have different numbers of records",
        t.name
    );
    for (i, (row, obj)) in t.csv.iter().zip(&t.json).enumerate() {
        let keys: BTreeSet<&String> = obj.keys().collect();
        let names: BTreeSet<&String> = t.fields.iter().map(|(n, _)| n).collect();
        assert_eq!(keys, names, "{} row {i}: JSON keys", t.name);
        for (((name, kind), description), cell) in t.fields.iter().zip(&t.descriptions).zip(row) {
            let at = format!("{} row {i} {name}", t.name);
            let value = &obj[name];
            match (kind.as_str(), value) {
                (_, Value::Null) => assert_eq!(cell, "", "{at}: null in JSON, {cell:?} in CSV"),
                // Several ids: a string in the schema, which says how they are joined.
                ("string", Value::Array(items)) => {
                    assert!(
                        description.contains("joined by `;`"),
                        "{at}: the description does not say how the ids are joined"
                    );
                    let items: Vec<&str> = items.iter().map(|v| v.as_str().unwrap()).collect();
                    assert!(
                        items.iter().all(|s| !s.is_empty() && !s.contains(';')),
                        "{at}: {items:?}"
                    );
                    assert_text_cell(cell, &items.join(";"), &at);
                }
                ("string" | "date", Value::String(s)) => assert_text_cell(cell, s, &at),
                ("integer", Value::Number(n)) => {
                    assert_eq!(cell.parse::<i64>().ok(), n.as_i64(), "{at}")
                }
                ("number", Value::Number(n)) => {
                    let parsed: f64 = cell
                        .parse()
                        .unwrap_or_else(|_| panic!("{at}: {cell:?} is not a number"));
                    assert_eq!(Some(parsed), n.as_f64(), "{at}");
                }
                (kind, value) => panic!("{at}: a {kind} column holds {value} in JSON"),
            }
        }
    }
}

fn assert_keys(tables: &[Table]) {
    let by_name: BTreeMap<&str, &Table> = tables.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut resolved = 0;
    for t in tables {
        let pk: Vec<usize> = t.primary_key.iter().map(|c| t.column(c)).collect();
        let mut seen = BTreeSet::new();
        for row in &t.csv {
            let key: Vec<&str> = pk.iter().map(|&c| row[c].as_str()).collect();
            assert!(
                key.iter().all(|k| !k.is_empty()),
                "{}: a row without its key: {row:?}",
                t.name
            );
            assert!(
                seen.insert(key.clone()),
                "{}: the key {key:?} is there twice",
                t.name
            );
        }
        for (cols, other, ref_cols) in &t.foreign_keys {
            let target = by_name
                .get(other.as_str())
                .unwrap_or_else(|| panic!("{}: a foreign key to {other}, not a table", t.name));
            let ref_idx: Vec<usize> = ref_cols.iter().map(|c| target.column(c)).collect();
            let keys: BTreeSet<Vec<&str>> = target
                .csv
                .iter()
                .map(|r| ref_idx.iter().map(|&c| r[c].as_str()).collect())
                .collect();
            let idx: Vec<usize> = cols.iter().map(|c| t.column(c)).collect();
            for row in &t.csv {
                let key: Vec<&str> = idx.iter().map(|&c| row[c].as_str()).collect();
                if key.iter().all(|k| k.is_empty()) {
                    continue;
                }
                assert!(
                    keys.contains(&key),
                    "{}: {cols:?} = {key:?} is not a row of {other}",
                    t.name
                );
                resolved += 1;
            }
        }
    }
    assert!(resolved > 0, "no foreign key was checked");
}

/// Everything that holds for any site's package.
fn assert_package(data: &Path) -> BTreeMap<String, Table> {
    let (descriptor, tables) = read_package(data);
    assert_eq!(
        descriptor["$schema"],
        "https://datapackage.org/profiles/2.0/datapackage.json"
    );
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        limes::open_data::RESOURCES,
        "the package lists the tables pages can link"
    );
    for t in &tables {
        assert_same_records(t);
    }
    assert_keys(&tables);
    tables.into_iter().map(|t| (t.name.clone(), t)).collect()
}

/// The files under `data/`, name → bytes.
fn data_files(data: &Path) -> BTreeMap<String, Vec<u8>> {
    common::list_files(data)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(data.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn the_example_observatory_publishes_every_record() {
    let built = example();
    let tables = assert_package(&built.data());

    // One row per record of the content.
    let repo = common::repo();
    let folders = |kind: &str| {
        fs::read_dir(repo.join("content").join(kind))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count()
    };
    assert_eq!(tables["practices"].csv.len(), folders("practices"));
    assert_eq!(tables["partners"].csv.len(), folders("partners"));
    let observations = fs::read_to_string(repo.join("content/diagnostics/observations.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(tables["observations"].csv.len(), observations);

    // A value the source does not publish stays missing, with its note.
    let obs = &tables["observations"];
    let (csv, json) = obs.row(&["AL-03", "unemployment-rate", "2023"]);
    assert_eq!(csv[obs.column("value")], "");
    assert_eq!(json["value"], Value::Null);
    assert_eq!(csv[obs.column("note")], "not published");
    assert_eq!(json["note"], "not published");
    let (csv, json) = obs.row(&["SI", "unemployment-rate", "2023"]);
    assert_eq!(csv[obs.column("value")], "7.8");
    assert_eq!(json["value"], 7.8);

    // Texts per language, with the page in that language.
    let texts = &tables["territory-texts"];
    let (csv, json) = texts.row(&["FRJ15", "ca"]);
    assert_eq!(csv[texts.column("name")], "Pirineus Orientals");
    assert_eq!(
        json["url"],
        "https://observatory.example.org/ca/territories/frj15/"
    );
    assert!(
        built.out.join("ca/territories/frj15/index.html").is_file(),
        "the address is a page of the site"
    );
}

#[test]
fn hostile_texts_come_out_as_plain_text_and_never_as_formulas() {
    let (_site, built) = fixture();
    let tables = assert_package(&built.data());
    let texts = &tables["practice-texts"];
    let title = texts.column("title");
    let summary = texts.column("summary");

    let (csv, json) = texts.row(&["formula-injection", "en"]);
    let markup = r#"<b>Bold</b> *stars* <script>alert(1)</script> & "quotes", commas"#;
    assert_eq!(json["title"], markup, "the title as written, not rendered");
    assert_eq!(csv[title], markup, "nor escaped for HTML");
    assert_eq!(
        json["summary"], "=cmd|' /C calc'!A0",
        "JSON keeps the exact text"
    );
    assert_eq!(
        csv[summary], "'=cmd|' /C calc'!A0",
        "CSV defuses the formula"
    );
    assert_eq!(csv[texts.column("programme")], "'+SUM(1,2)");
    assert_eq!(csv[texts.column("contact_name")], "'@contact");
    assert_eq!(
        json["url"],
        "https://data.example.org/obs/en/practices/formula-injection/"
    );

    let (csv, json) = texts.row(&["formula-injection", "fr"]);
    assert_eq!(
        csv[title], "''Citation' et <i>balises</i>",
        "a text starting with ' gets one more, so that the rule can be undone"
    );
    assert_eq!(json["title"], "'Citation' et <i>balises</i>");
    assert_eq!(csv[summary], "'  =1+1 après des espaces");

    let sources = &tables["practice-sources"];
    let (csv, _) = sources.row(&["formula-injection", "en", "1"]);
    assert_eq!(csv[sources.column("title")], "'\tTabbed source");

    // Numbers stay numbers, negative ones too; their text columns are defused.
    let results = &tables["practice-results"];
    let (csv, json) = results.row(&["formula-injection", "1"]);
    assert_eq!(csv[results.column("value")], "-3");
    assert_eq!(json["value"], -3);
    assert_eq!(csv[results.column("unit")], "'=units");
    let (csv, json) = results.row(&["formula-injection", "2"]);
    assert_eq!(csv[results.column("value")], "1250000");
    assert_eq!(json["unit"], Value::Null);
    let practices = &tables["practices"];
    let (csv, json) = practices.row(&["formula-injection"]);
    assert_eq!(csv[practices.column("budget_amount")], "-1500.5");
    assert_eq!(csv[practices.column("countries")], "SI;HR");
    assert_eq!(
        json["partners"],
        serde_json::json!(["formula-partner", "border-ngo"])
    );
    assert_eq!(json["lead_partner"], "formula-partner");
    let (csv, json) = practices.row(&["plain-facts"]);
    assert_eq!(csv[practices.column("territories")], "");
    assert_eq!(json["territories"], serde_json::json!([]));
    assert_eq!(json["border"], Value::Null);

    let partners = &tables["partner-texts"];
    let (csv, _) = partners.row(&["formula-partner", "en"]);
    assert_eq!(csv[partners.column("name")], "'=2+3 Partner");
    assert_eq!(csv[partners.column("short_name")], "'-FP");
    let indicators = &tables["indicators"];
    let (csv, _) = indicators.row(&["net-migration"]);
    assert_eq!(csv[indicators.column("unit")], "'-per 1,000");

    // Nothing is escaped for HTML anywhere: these are not web pages.
    for f in common::list_files(&built.data()) {
        let text = fs::read_to_string(built.data().join(&f)).unwrap();
        assert!(
            !text.contains("&lt;") && !text.contains("&amp;"),
            "{f} escapes HTML"
        );
    }
}

#[test]
fn a_missing_value_stays_missing_and_keeps_its_note() {
    let (_site, built) = fixture();
    let tables = assert_package(&built.data());
    let obs = &tables["observations"];
    let (value, note) = (obs.column("value"), obs.column("note"));

    let (csv, json) = obs.row(&["SI044", "unemployment-rate", "2023"]);
    assert_eq!(
        (csv[value].as_str(), csv[note].as_str()),
        ("", "not published")
    );
    assert_eq!(json["value"], Value::Null, "never 0");
    assert_eq!(json["note"], "not published");

    let (csv, json) = obs.row(&["HR036", "net-migration", "2023"]);
    assert_eq!((csv[value].as_str(), csv[note].as_str()), ("", ""));
    assert_eq!(
        (&json["value"], &json["note"]),
        (&Value::Null, &Value::Null)
    );

    // A real 0 is not missing.
    let (csv, json) = obs.row(&["HR036", "unemployment-rate", "2023"]);
    assert_eq!(csv[value], "0");
    assert_eq!(json["value"], 0);

    let (csv, json) = obs.row(&["HR036", "net-migration", "2022"]);
    assert_eq!(csv[value], "-2.5");
    assert_eq!(json["value"], -2.5);
    assert_eq!(csv[note], r#"'=HYPERLINK("x") provisional"#);
    assert_eq!(json["note"], r#"=HYPERLINK("x") provisional"#);
}

#[test]
fn the_same_content_gives_the_same_bytes() {
    let (site, a) = fixture();
    let b = build(&common::site_root(&site));
    let (first, second) = (data_files(&a.data()), data_files(&b.data()));
    // The tables in both formats and the package, then the observations of each
    // territory and indicator that has some.
    let top = first.keys().filter(|f| !f.contains('/')).count();
    assert_eq!(top, 2 * limes::open_data::RESOURCES.len() + 1);
    assert!(
        first
            .keys()
            .any(|f| f.starts_with("observations/territories/"))
    );
    assert!(
        first
            .keys()
            .any(|f| f.starts_with("observations/indicators/"))
    );
    assert!(
        first == second,
        "two builds of the fixture differ under data/"
    );

    let (c, d) = (example(), example());
    let (first, second) = (data_files(&c.data()), data_files(&d.data()));
    let differ: Vec<&String> = first
        .keys()
        .filter(|f| first.get(*f) != second.get(*f))
        .collect();
    assert!(
        differ.is_empty(),
        "two builds of the example differ: {differ:?}"
    );
    assert_eq!(first.len(), second.len());
}

#[test]
fn levels_of_territories_are_ids_with_their_labels_in_terms() {
    let (_site, built) = fixture();
    let tables = assert_package(&built.data());

    // The territory gives its level's id, as the content writes it.
    let territories = &tables["territories"];
    let (csv, json) = territories.row(&["SI044"]);
    assert_eq!(csv[territories.column("level")], "NUTS3");
    assert_eq!(json["level"], "NUTS3");
    assert!(
        territories.descriptions[territories.column("level")].contains("terms.csv"),
        "the level column says where its labels are"
    );

    // Its labels, one row per language that has one, beside the other vocabularies.
    let terms = &tables["terms"];
    let labels = |term: &str| -> Vec<(String, String, Value)> {
        terms
            .csv
            .iter()
            .zip(&terms.json)
            .filter(|(r, _)| {
                r[terms.column("vocabulary")] == "levels" && r[terms.column("term")] == term
            })
            .map(|(r, j)| {
                assert_eq!(j["label"], r[terms.column("label")].as_str());
                (
                    r[terms.column("lang")].clone(),
                    r[terms.column("label")].clone(),
                    j["url"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        labels("NUTS3"),
        [
            ("en".into(), "NUTS 3 region".into(), Value::Null),
            ("fr".into(), "Région NUTS 3".into(), Value::Null),
        ]
    );
    // A level no territory has is there too, in the languages it is labelled in.
    assert_eq!(
        labels("LAU"),
        [("en".into(), "Local administrative unit".into(), Value::Null)]
    );
    let descriptor: Value =
        serde_json::from_slice(&fs::read(built.data().join("datapackage.json")).unwrap()).unwrap();
    let vocabularies = descriptor["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "terms")
        .unwrap()["schema"]["fields"][0]["constraints"]["enum"]
        .clone();
    assert!(
        strings(&vocabularies).contains(&"levels".to_string()),
        "`levels` is one of the vocabularies the descriptor allows: {vocabularies}"
    );
}
