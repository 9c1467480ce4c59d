//! Open data: every record of the site as tables, published once at the root of the
//! site under `/data/` (not per language: a record's texts in every language are rows
//! of its own), each table as CSV and as JSON, and a Frictionless Data Package
//! descriptor, `/data/datapackage.json`, that describes them (field types, primary and
//! foreign keys) so that the Frictionless validator, and a researcher's tools, can
//! check and load them.
//!
//! `tables.rs` turns the site graph into [`Table`]s; this module writes them. The two
//! formats carry the same rows and columns:
//!
//! - **CSV** (the files the package describes): UTF-8 with a byte order mark, comma
//!   separated, a header row, CRLF line ends, RFC 4180 quoting. Several values in one
//!   cell (ids only) are joined by `;`; missing values are empty cells. A text cell a
//!   spreadsheet would run as a formula gets a `'` in front ([`defuse`]).
//! - **JSON**: an array with one object per row, keys in the order of the columns,
//!   lists as arrays, missing values as `null`, texts exactly as the content writes
//!   them.
//!
//! Nothing here reads a clock or depends on the order of a hash: the same content gives
//! the same bytes.

mod shapes;
mod tables;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::output::Plan;
use crate::routes::{Route, Routes};
use crate::view::Views;

/// The name of the descriptor under `/data/`.
pub const PACKAGE: &str = "datapackage.json";

/// The tables, by the name of their files (`/data/<name>.csv`, `/data/<name>.json`),
/// so that pages can link them through [`Route::Data`].
pub const RESOURCES: &[&str] = &[
    "practices",
    "practice-texts",
    "practice-results",
    "practice-result-labels",
    "practice-sources",
    "partners",
    "partner-texts",
    "territories",
    "territory-texts",
    "indicators",
    "indicator-texts",
    "borders",
    "border-sides",
    "border-texts",
    "observations",
    "terms",
];

/// The shapes of the territories under `/data/`, when the site has some.
pub const SHAPES: &str = "shapes.geojson";

/// How several ids are joined in one CSV cell.
pub const LIST_SEPARATOR: &str = ";";

/// The CSV file of a table: `practices` → `practices.csv`.
pub fn csv_name(resource: &str) -> String {
    format!("{resource}.csv")
}

/// The JSON file of a table: `practices` → `practices.json`.
pub fn json_name(resource: &str) -> String {
    format!("{resource}.json")
}

/// The observations of one territory, as CSV (the link on its page):
/// `observations/territories/<id in lower case>.csv`.
pub fn territory_observations(id: &str) -> String {
    format!("observations/territories/{}.csv", id.to_lowercase())
}

/// The observations of one indicator, as CSV (the link on its page).
pub fn indicator_observations(id: &str) -> String {
    format!("observations/indicators/{id}.csv")
}

/// The kind of a column: its Table Schema type and how its cells are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Free text, or an id.
    Text,
    /// An address this site publishes (a page of the record).
    Url,
    /// `YYYY-MM-DD`.
    Date,
    Integer,
    Number,
    /// Ids joined by [`LIST_SEPARATOR`] in CSV, an array in JSON. Declared as a
    /// string, its description saying how it is joined: Table Schema 2's `list` type
    /// would say it to machines, but older readers (frictionless 5.18, for one) refuse
    /// a package that uses it.
    List,
}

/// One column of a table.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub description: String,
    pub required: bool,
    /// The only values the column may hold (empty: any).
    pub values: Vec<String>,
}

impl Field {
    pub fn new(name: &'static str, kind: Kind, description: impl Into<String>) -> Field {
        Field {
            name,
            kind,
            description: description.into(),
            required: false,
            values: Vec::new(),
        }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn one_of<S: ToString>(mut self, values: impl IntoIterator<Item = S>) -> Field {
        self.values = values.into_iter().map(|v| v.to_string()).collect();
        self
    }
}

/// One value of a row. Its variant follows the column's [`Kind`]; `Null` is a missing
/// value in any column.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Null,
    /// Text, a date or an address.
    Text(String),
    Integer(i64),
    /// Not finite numbers are written as missing: they never come from valid content.
    Number(f64),
    List(Vec<String>),
}

/// Columns of this table that must hold a key of another table.
#[derive(Clone, Debug)]
pub(crate) struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub resource: &'static str,
    pub reference: Vec<&'static str>,
}

/// A table of the package: what it is, its columns, keys and rows (sorted by key).
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub fields: Vec<Field>,
    pub primary_key: Vec<&'static str>,
    pub foreign_keys: Vec<ForeignKey>,
    pub rows: Vec<Vec<Cell>>,
}

/// Every table of the site under `/data/`, as CSV and JSON, and the package descriptor.
pub fn publish(site: &Site, views: &Views, plan: &Plan) {
    let routes = &views.routes;
    let lang = &site.config.default_language;
    let tables = tables::all(site, routes);
    let mut problems = Vec::new();
    for t in &tables {
        match csv(t) {
            Ok(bytes) => plan.add(routes.file(lang, Route::Data(&csv_name(t.name))), bytes),
            Err(e) => problems.push(bug(t.name, &e.to_string())),
        }
        plan.add(routes.file(lang, Route::Data(&json_name(t.name))), json(t));
    }
    // The observations of each territory and of each indicator, for the links on their
    // pages: the same columns as observations.csv, its rows for that one record.
    if let Some(obs) = tables.iter().find(|t| t.name == "observations") {
        for (column, file) in [
            (0, territory_observations as fn(&str) -> String),
            (1, indicator_observations),
        ] {
            let mut by: std::collections::BTreeMap<&str, Vec<Vec<Cell>>> =
                std::collections::BTreeMap::new();
            for row in &obs.rows {
                if let Cell::Text(id) = &row[column] {
                    by.entry(id.as_str()).or_default().push(row.clone());
                }
            }
            for (id, rows) in by {
                let part = Table {
                    rows,
                    ..obs.clone()
                };
                match csv(&part) {
                    Ok(bytes) => plan.add(routes.file(lang, Route::Data(&file(id))), bytes),
                    Err(e) => problems.push(bug(&file(id), &e.to_string())),
                }
            }
        }
    }
    if let Some(bytes) = shapes::shapes(site) {
        plan.add(routes.file(lang, Route::Data(SHAPES)), bytes);
    }
    match package(site, routes, &tables) {
        Ok(bytes) => plan.add(routes.file(lang, Route::Data(PACKAGE)), bytes),
        Err(e) => problems.push(bug("datapackage", &e.to_string())),
    }
    plan.report(problems);
}

/// Writing into memory cannot fail on any content; if it ever does, the build says so
/// rather than publishing a partial table.
fn bug(name: &str, error: &str) -> Diagnostic {
    Diagnostic::file(
        format!("data/{name}"),
        format!("the open data could not be written: {error}"),
    )
    .help("this is a bug of limes; please report it")
}

/// The characters a spreadsheet reads as the start of a formula (or of a hidden one,
/// after a tab or a carriage return).
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A text cell as a spreadsheet shows it without running it. A text whose first
/// character is one of [`FORMULA_STARTS`] (or, after spaces, one of `= + - @`), or is
/// `'`, gets a `'` in front: the usual defence against formula injection, and since a
/// text that begins with `'` gets one too, removing the first `'` of any cell that has
/// one gives the exact text back. Numbers are never text cells, so `-3.2` stays a number.
fn defuse(text: &str) -> std::borrow::Cow<'_, str> {
    let first = text.chars().next();
    let after_spaces = text.trim_start_matches(' ').chars().next();
    let runs = first.is_some_and(|c| c == '\'' || FORMULA_STARTS.contains(&c))
        || after_spaces.is_some_and(|c| matches!(c, '=' | '+' | '-' | '@'));
    if runs {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A number as CSV and JSON write it: the shortest form that reads back as the same
/// number, without a fraction when it has none (`12.1`, `1250000`).
fn number_text(n: f64) -> String {
    format!("{n}")
}

/// The table as CSV: byte order mark, header, one line per row, CRLF.
fn csv(t: &Table) -> Result<Vec<u8>, csv::Error> {
    // The byte order mark is what makes Excel read the file as UTF-8 rather than in the
    // computer's legacy code page; the Frictionless validator and pandas skip it (see
    // README, "Open data").
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(t.fields.iter().map(|f| f.name))?;
        for row in &t.rows {
            w.write_record(row.iter().map(csv_cell))?;
        }
        w.flush()?;
    }
    Ok(out)
}

fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Text(s) => defuse(s).into_owned(),
        Cell::Integer(n) => n.to_string(),
        Cell::Number(n) if n.is_finite() => number_text(*n),
        Cell::Number(_) => String::new(),
        Cell::List(items) => defuse(&items.join(LIST_SEPARATOR)).into_owned(),
    }
}

/// The table as JSON: an array of objects, one a line, keys in column order.
fn json(t: &Table) -> Vec<u8> {
    let keys: Vec<String> = t
        .fields
        .iter()
        .map(|f| Value::from(f.name).to_string())
        .collect();
    let mut out = String::from("[");
    for (i, row) in t.rows.iter().enumerate() {
        out.push_str(if i == 0 { "\n{" } else { ",\n{" });
        for (j, (key, cell)) in keys.iter().zip(row).enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(key);
            out.push(':');
            out.push_str(&json_cell(cell).to_string());
        }
        out.push('}');
    }
    out.push_str("\n]\n");
    out.into_bytes()
}

fn json_cell(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Text(s) => Value::from(s.as_str()),
        Cell::Integer(n) => Value::from(*n),
        // Written from the same text as in CSV, so both read back as the same number
        // (and a whole number has no `.0`).
        Cell::Number(n) if n.is_finite() => {
            serde_json::from_str(&number_text(*n)).unwrap_or(Value::Null)
        }
        Cell::Number(_) => Value::Null,
        Cell::List(items) => Value::from(items.clone()),
    }
}

/// The Data Package descriptor, version 2 of the standard (its `$schema` says so; the
/// descriptor uses nothing that version 1 readers do not know).
#[derive(Serialize)]
struct Package<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    title: &'a str,
    description: String,
    homepage: String,
    resources: Vec<AnyResource<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum AnyResource<'a> {
    Table(Box<Resource<'a>>),
    File(shapes::FileResource),
}

#[derive(Serialize)]
struct Resource<'a> {
    name: &'a str,
    path: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    description: &'a str,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    /// Not part of the standard (custom properties are allowed): the same table as
    /// JSON, beside the CSV.
    alternates: [Alternate; 1],
    schema: Schema<'a>,
}

#[derive(Serialize)]
struct Alternate {
    path: String,
    format: &'static str,
    mediatype: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Schema<'a> {
    fields: Vec<FieldDescriptor<'a>>,
    primary_key: &'a [&'static str],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    foreign_keys: Vec<ForeignKeyDescriptor<'a>>,
}

#[derive(Serialize)]
struct FieldDescriptor<'a> {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    description: &'a str,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    constraints: Constraints<'a>,
}

#[derive(Serialize)]
struct Constraints<'a> {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    #[serde(rename = "enum", skip_serializing_if = "<[String]>::is_empty")]
    values: &'a [String],
}

impl Constraints<'_> {
    fn is_empty(&self) -> bool {
        !self.required && self.values.is_empty()
    }
}

#[derive(Serialize)]
struct ForeignKeyDescriptor<'a> {
    fields: &'a [&'static str],
    reference: Reference<'a>,
}

#[derive(Serialize)]
struct Reference<'a> {
    resource: &'static str,
    fields: &'a [&'static str],
}

fn package(site: &Site, routes: &Routes, tables: &[Table]) -> serde_json::Result<Vec<u8>> {
    let config = &site.config;
    let lang = &config.default_language;
    let title = config
        .pick(&config.title, lang)
        .map(|(_, t)| t.as_str())
        .unwrap_or_default();
    let intro = config
        .pick(&config.description, lang)
        .map(|(_, d)| format!("{} ", d.trim_end()))
        .unwrap_or_default();
    let package = Package {
        schema: "https://datapackage.org/profiles/2.0/datapackage.json",
        name: package_name(&config.base_url),
        title,
        description: format!(
            "{intro}Every practice, partner, territory, indicator, border and observation \
             of the observatory, one CSV file per table (UTF-8 with a byte order mark; \
             several ids in one cell are joined by `{LIST_SEPARATOR}`; a text cell that \
             a spreadsheet would run as a formula, or that starts with `'`, has a `'` \
             added in front) and the same rows as JSON beside it (`<table>.json`, exact \
             texts). Texts in several \
             languages are in the `*-texts` tables, one row per language."
        ),
        homepage: routes.absolute(&routes.url(lang, Route::Chooser)),
        resources: tables
            .iter()
            .map(|t| AnyResource::Table(Box::new(resource(t))))
            .chain(shapes::shapes_resource(site).map(AnyResource::File))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&package)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn resource(t: &Table) -> Resource<'_> {
    Resource {
        name: t.name,
        path: csv_name(t.name),
        kind: "table",
        title: t.title,
        description: t.description,
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        alternates: [Alternate {
            path: json_name(t.name),
            format: "json",
            mediatype: "application/json",
        }],
        schema: Schema {
            fields: t.fields.iter().map(field_descriptor).collect(),
            primary_key: &t.primary_key,
            foreign_keys: t
                .foreign_keys
                .iter()
                .map(|k| ForeignKeyDescriptor {
                    fields: &k.fields,
                    reference: Reference {
                        resource: k.resource,
                        fields: &k.reference,
                    },
                })
                .collect(),
        },
    }
}

fn field_descriptor(f: &Field) -> FieldDescriptor<'_> {
    let (kind, format) = match f.kind {
        Kind::Text => ("string", None),
        Kind::Url => ("string", Some("uri")),
        Kind::Date => ("date", None),
        Kind::Integer => ("integer", None),
        Kind::Number => ("number", None),
        Kind::List => ("string", None),
    };
    FieldDescriptor {
        name: f.name,
        kind,
        format,
        description: &f.description,
        constraints: Constraints {
            required: f.required,
            values: &f.values,
        },
    }
}

/// A package name from the site's host (`observatory.example.org`): the standard's
/// first version allows only lowercase letters, digits and `-._/`, so anything else
/// becomes `-`. None when the base URL has no host.
fn package_name(base_url: &str) -> Option<String> {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let name: String = host
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_reversible() {
        for (text, csv) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("  =1+1", "'  =1+1"),
            ("'quoted", "''quoted"),
            ("plain", "plain"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(defuse(text), csv, "{text:?}");
            let back = csv.strip_prefix('\'').unwrap_or(csv);
            assert_eq!(back, text, "removing the first ' gives {text:?} back");
        }
    }

    #[test]
    fn numbers_stay_numbers() {
        assert_eq!(csv_cell(&Cell::Number(-3.2)), "-3.2");
        assert_eq!(csv_cell(&Cell::Number(1_250_000.0)), "1250000");
        assert_eq!(csv_cell(&Cell::Number(f64::NAN)), "");
        assert_eq!(json_cell(&Cell::Number(1_250_000.0)).to_string(), "1250000");
        assert_eq!(json_cell(&Cell::Number(12.1)).to_string(), "12.1");
        assert_eq!(json_cell(&Cell::Number(f64::INFINITY)), Value::Null);
        assert_eq!(csv_cell(&Cell::Integer(-5)), "-5");
    }

    #[test]
    fn csv_and_json_of_a_table() {
        let t = Table {
            name: "t",
            title: "T",
            description: "",
            fields: vec![
                Field::new("id", Kind::Text, ""),
                Field::new("tags", Kind::List, ""),
                Field::new("note", Kind::Text, ""),
                Field::new("value", Kind::Number, ""),
            ],
            primary_key: vec!["id"],
            foreign_keys: vec![],
            rows: vec![
                vec![
                    Cell::Text("a".into()),
                    Cell::List(vec!["x".into(), "y".into()]),
                    Cell::Text("say \"hi\", twice\nthen =stop".into()),
                    Cell::Null,
                ],
                vec![
                    Cell::Text("b".into()),
                    Cell::List(vec![]),
                    Cell::Text("=1+1".into()),
                    Cell::Number(0.5),
                ],
            ],
        };
        let csv_text = String::from_utf8(csv(&t).unwrap()).unwrap();
        assert_eq!(
            csv_text,
            "\u{feff}id,tags,note,value\r\na,x;y,\"say \"\"hi\"\", twice\nthen =stop\",\r\nb,,'=1+1,0.5\r\n"
        );
        let json_text = String::from_utf8(json(&t)).unwrap();
        assert_eq!(
            json_text,
            "[\n{\"id\":\"a\",\"tags\":[\"x\",\"y\"],\"note\":\"say \\\"hi\\\", twice\\nthen =stop\",\"value\":null},\n{\"id\":\"b\",\"tags\":[],\"note\":\"=1+1\",\"value\":0.5}\n]\n"
        );
        let empty = Table { rows: vec![], ..t };
        assert_eq!(String::from_utf8(json(&empty)).unwrap(), "[\n]\n");
    }

    #[test]
    fn package_names() {
        assert_eq!(
            package_name("https://Observatory.example.org:8080/obs").as_deref(),
            Some("observatory.example.org-8080")
        );
        assert_eq!(
            package_name("http://127.0.0.1:1111").as_deref(),
            Some("127.0.0.1-1111")
        );
        assert_eq!(package_name("https://"), None);
    }
}
