//! CONTENT-MODEL.md, the editors' reference, names every field the loader accepts.
//!
//! The fields are not listed here by hand: a small site is written with an unknown
//! field (`ZZ`) in every table an editor can write, and the loader's own "unknown
//! field" errors list the fields it knows there ("the fields are: ..."). The same
//! is done for the vocabularies of vocabularies.toml and the columns of observation
//! files. Each name must then appear in the reference, in the section of its table:
//! as `` `name` ``, `[name]`, `[[name]]` or a line `name = ...` of an example. So a
//! field added to the loader without being documented fails this test, which names it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use limes::BuildOptions;
use limes::diagnostics::Diagnostic;

/// A key no field of limes is close to, so that the loader lists every field it knows
/// instead of suggesting one.
const ZZ: &str = "zzqqxxzzqqxxzzqqxxzz";

/// The heading of CONTENT-MODEL.md that documents the fields of each table, by the
/// name the loader gives the table in its messages. A table that is not listed here
/// (a new one) is looked for in the whole document.
const SECTIONS: &[(&str, &str)] = &[
    ("observatory.toml", "## Site settings"),
    ("[markdown]", "## Site settings"),
    ("a practice's front matter", "## Practices"),
    ("budget", "## Practices"),
    ("contact", "## Practices"),
    ("a [[results]] entry", "## Practices"),
    ("a [[sources]] entry", "## Practices"),
    ("a partner's front matter", "## Partners"),
    ("a page's front matter", "## Free pages"),
    ("vocabularies.toml", "## Vocabularies"),
    ("content/diagnostics/territories.toml", "### Territories"),
    ("a [[territory]]", "### Territories"),
    ("content/diagnostics/indicators.toml", "### Indicators"),
    ("an [[indicator]]", "### Indicators"),
    ("content/diagnostics/borders.toml", "### Borders"),
    ("a [[border]]", "### Borders"),
    ("observation files (CSV header)", "### Observations"),
];

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A one-language site with every kind of table an editor writes, each holding the
/// unknown field `ZZ`.
fn site_with_unknown_fields(root: &Path) {
    let zz = format!("{ZZ} = 1\n");
    common::copy_dir(&common::repo().join("themes"), &root.join("themes")).unwrap();
    write(
        root,
        "i18n/en.toml",
        &fs::read_to_string(common::repo().join("i18n/en.toml")).unwrap(),
    );
    write(
        root,
        "observatory.toml",
        &format!(
            "title = {{ en = \"T\" }}\nlanguages = [\"en\"]\n{zz}\n[markdown]\nraw_html = \"escape\"\n{zz}"
        ),
    );
    write(
        root,
        "content/vocabularies.toml",
        &format!(
            "[themes.t]\nen = \"T\"\n[target_groups.g]\nen = \"G\"\n[partner_kinds.k]\nen = \"K\"\n[{ZZ}.x]\nen = \"X\"\n"
        ),
    );
    write(
        root,
        "content/diagnostics/territories.toml",
        &format!(
            "{zz}[[territory]]\nid = \"AA1\"\nname = \"A\"\ncountry = \"FR\"\n{zz}[[territory]]\nid = \"BB1\"\nname = \"B\"\ncountry = \"ES\"\n"
        ),
    );
    write(
        root,
        "content/diagnostics/indicators.toml",
        &format!("{zz}[[indicator]]\nid = \"i\"\nname = \"I\"\n{zz}"),
    );
    write(
        root,
        "content/diagnostics/borders.toml",
        &format!("{zz}[[border]]\nid = \"b\"\nname = \"B\"\nsides = [[\"AA1\"], [\"BB1\"]]\n{zz}"),
    );
    write(
        root,
        "content/diagnostics/data.csv",
        "territory,indicator,year,value,note\nAA1,i,2020,1,\n",
    );
    write(
        root,
        "content/diagnostics/bad-header.csv",
        &format!("{ZZ}\nAA1,i,2021,1,\n"),
    );
    write(
        root,
        "content/practices/p/index.en.md",
        &format!(
            "+++\ntitle = \"P\"\nstatus = \"ongoing\"\ncountries = [\"FR\"]\npartners = [\"q\"]\nthemes = [\"t\"]\ntarget_groups = [\"g\"]\n{zz}budget = {{ amount = 1, currency = \"EUR\", {ZZ} = 1 }}\ncontact = {{ name = \"N\", {ZZ} = 1 }}\n\n[[results]]\nlabel = \"L\"\nvalue = 1\n{zz}\n[[sources]]\ntitle = \"S\"\n{zz}+++\nText.\n"
        ),
    );
    write(
        root,
        "content/partners/q/index.en.md",
        &format!("+++\nname = \"Q\"\nkind = \"k\"\ncountry = \"FR\"\n{zz}+++\nText.\n"),
    );
    write(
        root,
        "content/pages/about/index.en.md",
        &format!("+++\ntitle = \"About\"\n{zz}+++\nText.\n"),
    );
}

/// The fields the loader knows, by the name of their table, read from its messages.
fn accepted_fields(diags: &[Diagnostic]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let unknown = format!("unknown field `{ZZ}` in ");
    for d in diags {
        let help = d.help.as_deref().unwrap_or("");
        if let Some(table) = d.message.strip_prefix(&unknown) {
            let list = help.strip_prefix("the fields are: ").unwrap_or_else(|| {
                panic!(
                    "{}: the loader did not list the fields of {table}: {help}",
                    d.file
                )
            });
            let fields = out.entry(table.to_string()).or_default();
            fields.extend(list.split(", ").map(str::to_string));
        } else if d.message == format!("unknown vocabulary `{ZZ}`") {
            let list = help
                .strip_prefix("the vocabularies are ")
                .unwrap_or_else(|| panic!("the vocabularies are not listed: {help}"));
            out.entry("vocabularies.toml".into())
                .or_default()
                .extend(list.replace(" and ", ", ").split(", ").map(str::to_string));
        } else if d.file.ends_with("bad-header.csv") {
            let header = help
                .strip_prefix("write it exactly: ")
                .unwrap_or_else(|| panic!("the CSV header is not given: {help}"));
            out.entry("observation files (CSV header)".into())
                .or_default()
                .extend(header.split(',').map(str::to_string));
        }
    }
    for fields in out.values_mut() {
        fields.sort();
        fields.dedup();
    }
    out
}

/// The lines of the section under `heading` (a line starting with it), up to the next
/// heading of the same or a higher level; headings inside code blocks do not count.
fn section<'a>(doc: &'a str, heading: &str) -> Option<Vec<&'a str>> {
    let level = heading.chars().take_while(|c| *c == '#').count();
    let mut lines = doc.lines();
    lines.by_ref().find(|l| l.starts_with(heading))?;
    let mut out = Vec::new();
    let mut in_code = false;
    for line in lines {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if !in_code {
            let hashes = line.chars().take_while(|c| *c == '#').count();
            if hashes > 0 && hashes <= level && line[hashes..].starts_with(' ') {
                break;
            }
        }
        out.push(line);
    }
    Some(out)
}

fn documents(lines: &[&str], field: &str) -> bool {
    let quoted = [
        format!("`{field}`"),
        format!("`{field} ="),
        format!("`[{field}]`"),
        format!("`[{field}."),
        format!("`[[{field}]]`"),
    ];
    lines
        .iter()
        .any(|l| quoted.iter().any(|q| l.contains(q.as_str())))
}

#[test]
fn the_reference_names_every_field_the_loader_accepts() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site_with_unknown_fields(&root);
    let diags = match limes::load_site(&BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    }) {
        Ok((_, d)) | Err(d) => d.0,
    };
    let accepted = accepted_fields(&diags);
    // Shown with `cargo test --test reference -- --nocapture`.
    println!("fields the loader accepts, by table: {accepted:#?}");
    let all: Vec<String> = diags.iter().map(|d| format!("{d:?}")).collect();
    for (table, _) in SECTIONS {
        assert!(
            accepted.contains_key(*table),
            "the loader did not report the unknown field of {table}, so its fields could \
             not be collected; the test site in tests/reference.rs needs updating. \
             Problems reported:\n{}",
            all.join("\n")
        );
    }

    let doc = fs::read_to_string(common::repo().join("CONTENT-MODEL.md"))
        .expect("CONTENT-MODEL.md at the top of the repository");
    let whole: Vec<&str> = doc.lines().collect();
    let mut missing = Vec::new();
    for (table, fields) in &accepted {
        let heading = SECTIONS.iter().find(|(t, _)| t == table).map(|(_, h)| *h);
        let lines = match heading {
            Some(h) => {
                section(&doc, h).unwrap_or_else(|| panic!("CONTENT-MODEL.md has no section `{h}`"))
            }
            None => whole.clone(),
        };
        for field in fields {
            if !documents(&lines, field) {
                missing.push(format!(
                    "field `{field}` of {table}: describe it in CONTENT-MODEL.md{}",
                    heading
                        .map(|h| format!(", section `{h}`, written as `{field}`"))
                        .unwrap_or_default()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "CONTENT-MODEL.md does not describe {} field(s) that limes accepts:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn the_readme_links_the_reference() {
    let readme = fs::read_to_string(common::repo().join("README.md")).unwrap();
    assert!(
        readme.contains("(CONTENT-MODEL.md)"),
        "README.md should link CONTENT-MODEL.md"
    );
    assert!(
        !readme.contains("content-model.md"),
        "README.md names content-model.md, which is not in the repository: link CONTENT-MODEL.md"
    );
}
