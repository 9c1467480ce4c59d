//! `limes new practice|partner|page <slug>` writes a new record as a draft, with every
//! field of its kind explained in comments, its required fields holding placeholders
//! that pass the checks (so that the site builds at once), the optional ones commented
//! out with an example. `limes new translation <kind>/<slug> --lang xx` starts a
//! translation: the text fields of the record's source translation, to translate in
//! place, without the facts (they come from the other translations).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{Diagnostics, Source, closest_lang};
use crate::input::RecordKind;
use crate::load::{self, kind_word, slug_help};
use crate::routes::RESERVED;
use crate::spanned::{self, Table, Value};
use crate::text;
use crate::types::{Lang, Slug};

use super::{Created, Failure, Texts, toml_string, write_new};

/// Creates `content/<kind>/<slug>/index.<lang>.md` in the site at `root`, in `lang` or
/// the site's default language.
pub fn record(
    root: &Path,
    kind: RecordKind,
    slug: &str,
    lang: Option<&str>,
) -> Result<Created, Failure> {
    let config = settings(root)?;
    let Some(slug) = Slug::parse(slug) else {
        return Err(Failure::refused(
            format!("`{slug}` is not a valid slug"),
            slug_help(slug),
        ));
    };
    let lang = language(&config, lang)?;
    let what = kind_word(kind);
    if let Some(existing) = existing(root, &config, kind, &slug).first() {
        return Err(Failure::refused(
            format!("the {what} `{slug}` already exists: {existing}"),
            format!(
                "choose another slug; to translate the {what}, run: limes new translation {}/{slug} --lang <language>",
                kind.folder()
            ),
        ));
    }
    if kind == RecordKind::Page && RESERVED.contains(&slug.as_str()) {
        return Err(Failure::refused(
            format!("the page slug `{slug}` is an address limes uses itself"),
            format!(
                "choose another slug; reserved slugs are: {}",
                RESERVED.join(", ")
            ),
        ));
    }
    let ids = SiteIds::read(root);
    let texts = Texts::new(Some(root), lang.as_str());
    let text = match kind {
        RecordKind::Practice => practice(
            &texts,
            &slug,
            &ids,
            &placeholder_country(root, &config, &ids),
        ),
        RecordKind::Partner => {
            let Some(kind_id) = ids.partner_kinds.first() else {
                return Err(Failure::refused(
                    "content/vocabularies.toml defines no partner kind, and a partner needs one",
                    "add one first, for example a table [partner_kinds.ngo] with a line en = \"Non-governmental organisation\" (a label per language)",
                ));
            };
            partner(
                &texts,
                &slug,
                &ids,
                kind_id,
                &placeholder_country(root, &config, &ids),
            )
        }
        RecordKind::Page => page(&texts, &slug),
    };
    let rel = format!("content/{}/{slug}/index.{lang}.md", kind.folder());
    let path = shown(root, &rel);
    write_new(&root.join(&rel), text.as_bytes())?;
    Ok(Created {
        path,
        notes: vec![format!(
            "Created a draft {what}: fill it in, preview it with `limes serve`, then delete the line `draft = true` to publish it."
        )],
    })
}

/// Starts the translation into `lang` of `record` (`practices/<slug>`, `partners/<slug>`
/// or `pages/<slug>`) from its source translation: the default language's, else the
/// first in the order of `languages`.
pub fn translation(root: &Path, record: &str, lang: &str) -> Result<Created, Failure> {
    let config = settings(root)?;
    let (kind, slug) = record_name(record)?;
    let lang = language(&config, Some(lang))?;
    let what = kind_word(kind);
    let files = existing(root, &config, kind, &slug);
    let translations: Vec<&Existing> = files.iter().filter(|f| f.lang.is_some()).collect();
    let Some(source) = translations.first() else {
        return Err(Failure::refused(
            format!("there is no {what} `{slug}` to translate"),
            format!(
                "check the slug in content/{}/, or start the {what} with: limes new {what} {slug}",
                kind.folder()
            ),
        ));
    };
    if let Some(done) = translations.iter().find(|f| f.lang.as_ref() == Some(&lang)) {
        return Err(Failure::refused(
            format!("the {what} `{slug}` already exists in `{lang}`: {done}"),
            "edit that file; `limes status` lists the translations that are missing or older than their source",
        ));
    }
    let src = read_source(root, &source.rel)?;
    let (front, body) =
        load::split_front_matter(&src).map_err(|d| Failure::Site(Diagnostics(vec![d])))?;
    let mut problems = Vec::new();
    let table = spanned::parse(&src, &src.text[front.clone()], front.start, &mut problems);
    let (Some(table), true) = (table, problems.is_empty()) else {
        return Err(Failure::Site(Diagnostics(problems)));
    };
    let texts = Texts::new(Some(root), lang.as_str());
    let mut doc = Doc::new(&texts);
    doc.line("+++");
    doc.raw(&format!(
        "# {}\n",
        texts.get("new_translation").replace("{file}", &source.rel)
    ));
    doc.comment("new_translation_facts");
    doc.comment("new_draft");
    doc.line("draft = true");
    doc.line("");
    let from = Original {
        src: &src,
        table: &table,
    };
    match kind {
        RecordKind::Practice => {
            from.text(&mut doc, "title", "new_practice_title");
            from.text(&mut doc, "summary", "new_practice_summary");
            for (key, comment) in [
                ("programme", "new_practice_programme"),
                ("website", "new_practice_website"),
                ("contact", "new_practice_contact"),
            ] {
                from.other(&mut doc, key, comment);
            }
            from.tables(&mut doc, "results", "new_practice_results", false);
            from.tables(&mut doc, "sources", "new_practice_sources", true);
        }
        RecordKind::Partner => {
            from.text(&mut doc, "name", "new_partner_name");
            from.text(&mut doc, "short_name", "new_partner_short_name");
            from.other(&mut doc, "city", "new_partner_city");
            from.other(&mut doc, "website", "new_partner_website");
        }
        RecordKind::Page => {
            from.text(&mut doc, "title", "new_page_title");
            from.text(&mut doc, "summary", "new_page_summary");
            from.other(&mut doc, "updated", "new_page_updated");
        }
    }
    doc.line("+++");
    doc.raw(&src.text[body]);
    let rel = format!("content/{}/{slug}/index.{lang}.md", kind.folder());
    write_new(&root.join(&rel), doc.out.as_bytes())?;
    let mut notes = vec![format!(
        "Started the `{lang}` translation of the {what} `{slug}` from {}: translate its text, then delete the line `draft = true` to publish it.",
        source.rel
    )];
    let source_lang = source.lang.as_ref().map(Lang::as_str).unwrap_or_default();
    if !source.rel.ends_with(&format!("/index.{source_lang}.md")) {
        notes.push(format!(
            "{} is written as a single file: move it to content/{}/{slug}/index.{source_lang}.md to keep the files of the {what} together.",
            source.rel,
            kind.folder(),
        ));
    }
    Ok(Created {
        path: shown(root, &rel),
        notes,
    })
}

/// The site's settings: its languages. Problems other than unreadable languages are
/// left to the build.
fn settings(root: &Path) -> Result<Config, Failure> {
    load::read_config(root)
        .map(|(config, _)| config)
        .map_err(|d| Failure::Site(Diagnostics(d).sorted()))
}

/// `lang` if the site has it, else the default language when none is asked for.
fn language(config: &Config, lang: Option<&str>) -> Result<Lang, Failure> {
    let Some(code) = lang else {
        return Ok(config.default_language.clone());
    };
    if let Some(l) = config.languages.iter().find(|l| l.as_str() == code) {
        return Ok(l.clone());
    }
    let codes: Vec<&str> = config.languages.iter().map(Lang::as_str).collect();
    let list = codes.join(", ");
    let help = match closest_lang(code, codes.iter().copied()) {
        Some(c) => format!("did you mean `{c}`? the site's languages are {list}"),
        None => format!(
            "the site's languages are {list}; to add `{code}`, list it in `languages` in observatory.toml and write i18n/{code}.toml"
        ),
    };
    Err(Failure::refused(
        format!("`{code}` is not one of the site's languages"),
        help,
    ))
}

/// `practices/<slug>` (also with `content/` before it or `/` after it).
fn record_name(record: &str) -> Result<(RecordKind, Slug), Failure> {
    let name = record.trim_end_matches('/');
    let name = name.strip_prefix("content/").unwrap_or(name);
    let help = "name the record as practices/<slug>, partners/<slug> or pages/<slug>";
    let Some((folder, slug)) = name.split_once('/') else {
        return Err(Failure::usage(
            format!("`{record}` does not name a record"),
            help,
        ));
    };
    let Some(kind) = RecordKind::ALL.into_iter().find(|k| k.folder() == folder) else {
        return Err(Failure::usage(
            format!("`{folder}` is not a kind of record"),
            help,
        ));
    };
    match Slug::parse(slug) {
        Some(slug) => Ok((kind, slug)),
        None => Err(Failure::refused(
            format!("`{slug}` is not a valid slug"),
            slug_help(slug),
        )),
    }
}

/// A file of a record, or another file in its folder.
struct Existing {
    rel: String,
    /// The language of a record file; `None` for anything else in the record's folder.
    lang: Option<Lang>,
}

impl std::fmt::Display for Existing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rel)
    }
}

/// The files of the record `slug` of `kind` (both spellings), in the order of the
/// site's languages with the default first, then anything else in its folder.
fn existing(root: &Path, config: &Config, kind: RecordKind, slug: &Slug) -> Vec<Existing> {
    let folder = format!("content/{}", kind.folder());
    let mut out = Vec::new();
    let mut order: Vec<&Lang> = vec![&config.default_language];
    order.extend(
        config
            .languages
            .iter()
            .filter(|l| **l != config.default_language),
    );
    for lang in order {
        for rel in [
            format!("{folder}/{slug}/index.{lang}.md"),
            format!("{folder}/{slug}.{lang}.md"),
        ] {
            if root.join(&rel).is_file() {
                out.push(Existing {
                    rel,
                    lang: Some(lang.clone()),
                });
            }
        }
    }
    let known: BTreeSet<String> = out.iter().map(|e| e.rel.clone()).collect();
    if let Ok(entries) = fs::read_dir(root.join(&folder).join(slug.as_str())) {
        let mut others: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !load::is_ignored(n))
            .map(|n| format!("{folder}/{slug}/{n}"))
            .filter(|rel| !known.contains(rel))
            .collect();
        others.sort();
        out.extend(others.into_iter().map(|rel| Existing { rel, lang: None }));
    }
    out
}

fn read_source(root: &Path, rel: &str) -> Result<Source, Failure> {
    let bytes = fs::read(root.join(rel)).map_err(|e| {
        Failure::refused(
            format!("cannot read {rel}: {e}"),
            "the translation starts from this file: check that it is readable UTF-8 text",
        )
    })?;
    // Read as a build reads it: any line endings, no control characters.
    match text::decode(rel, bytes) {
        Ok((src, problems)) if problems.is_empty() => Ok(src),
        Ok((_, problems)) => Err(Failure::Site(Diagnostics(problems))),
        Err(d) => Err(Failure::Site(Diagnostics(vec![d]))),
    }
}

/// The path to show for `rel` in the site at `root`, as the editor gave the root.
fn shown(root: &Path, rel: &str) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from(rel)
    } else {
        root.join(rel)
    }
}

/// "cafe-social" → "Cafe social": a title to start from.
fn humanise(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Ids the site defines, to give examples the build accepts. Read leniently: a file
/// that is missing or wrong gives none (the build reports it).
#[derive(Default)]
struct SiteIds {
    themes: Vec<String>,
    target_groups: Vec<String>,
    partner_kinds: Vec<String>,
    territories: Vec<String>,
    /// The country of each territory, in the file's order.
    countries: Vec<String>,
    borders: Vec<String>,
    partners: Vec<String>,
}

impl SiteIds {
    fn read(root: &Path) -> SiteIds {
        let read = |rel: &str| -> toml::Table {
            fs::read_to_string(root.join(rel))
                .ok()
                .and_then(|t| spanned::from_str_or_none(&text::normalise_newlines(t)))
                .unwrap_or_default()
        };
        let vocab = read("content/vocabularies.toml");
        let terms = |table: &str| -> Vec<String> {
            vocab
                .get(table)
                .and_then(toml::Value::as_table)
                .map(|t| t.keys().cloned().collect())
                .unwrap_or_default()
        };
        let entries = |rel: &str, key: &str, field: &str| -> Vec<String> {
            read(rel)
                .get(key)
                .and_then(toml::Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i.get(field)?.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut partners: Vec<String> = fs::read_dir(root.join("content/partners"))
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let slug = name.split('.').next().unwrap_or("").to_string();
                        Slug::parse(&slug).map(|_| slug)
                    })
                    .collect()
            })
            .unwrap_or_default();
        partners.sort();
        partners.dedup();
        SiteIds {
            themes: terms("themes"),
            target_groups: terms("target_groups"),
            partner_kinds: terms("partner_kinds"),
            territories: entries("content/diagnostics/territories.toml", "territory", "id"),
            countries: entries(
                "content/diagnostics/territories.toml",
                "territory",
                "country",
            ),
            borders: entries("content/diagnostics/borders.toml", "border", "id"),
            partners,
        }
    }
}

/// The country a new record starts with, one a build accepts: the first territory's,
/// else the first a practice names, else the first the default language's interface
/// strings name.
fn placeholder_country(root: &Path, config: &Config, ids: &SiteIds) -> String {
    if let Some(c) = ids.countries.first() {
        return c.clone();
    }
    if let Some(c) = first_practice_country(root) {
        return c;
    }
    let path = root
        .join("i18n")
        .join(format!("{}.toml", config.default_language));
    fs::read_to_string(path)
        .ok()
        .and_then(|t| spanned::from_str_or_none::<toml::Table>(&text::normalise_newlines(t)))
        .and_then(|t| t.get("countries")?.as_table()?.keys().next().cloned())
        .unwrap_or_else(|| "FR".to_string())
}

/// The first country of the first practice file (in name order) that names one.
fn first_practice_country(root: &Path) -> Option<String> {
    let files = walkdir::WalkDir::new(root.join("content/practices"))
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".md"));
    files.into_iter().find_map(|e| {
        let text = text::normalise_newlines(fs::read_to_string(e.path()).ok()?);
        let src = Source::new("", text);
        let (front, _) = load::split_front_matter(&src).ok()?;
        let table: toml::Table = spanned::from_str_or_none(&src.text[front])?;
        table
            .get("countries")?
            .as_array()?
            .first()?
            .as_str()
            .map(str::to_string)
    })
}

/// A TOML array of the first `n` of `ids`, or of `examples` when there are none.
fn id_list(ids: &[String], n: usize, examples: &[&str]) -> String {
    let items: Vec<String> = if ids.is_empty() {
        examples.iter().map(|s| toml_string(s)).collect()
    } else {
        ids.iter().take(n).map(|s| toml_string(s)).collect()
    };
    format!("[{}]", items.join(", "))
}

/// A key as TOML writes it: bare when it can be.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        key.to_string()
    } else {
        toml_string(key)
    }
}

fn first_id(ids: &[String], example: &str) -> String {
    toml_string(ids.first().map(String::as_str).unwrap_or(example))
}

/// A file being written, its comments in one language.
struct Doc<'a> {
    texts: &'a Texts,
    out: String,
}

impl<'a> Doc<'a> {
    fn new(texts: &'a Texts) -> Self {
        Doc {
            texts,
            out: String::new(),
        }
    }
    fn line(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }
    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }
    /// The text of `key` as a comment line.
    fn comment(&mut self, key: &str) {
        let text = self.texts.get(key);
        self.line(&format!("# {text}"));
    }
    /// A field with its value (TOML).
    fn field(&mut self, key: &str, value: &str) {
        self.line(&format!("{key} = {value}"));
    }
    /// A field commented out, every line of it.
    fn optional(&mut self, key: &str, value: &str) {
        self.commented(&format!("{key} = {value}"));
    }
    fn commented(&mut self, text: &str) {
        for line in text.lines() {
            self.line(&format!("# {line}"));
        }
    }
}

/// The head of every new record: it is a draft, and how to read the file.
fn head(d: &mut Doc) {
    d.line("+++");
    d.comment("new_draft");
    d.line("draft = true");
    d.comment("new_placeholders");
    d.comment("new_optional");
    d.line("");
}

fn practice(t: &Texts, slug: &Slug, ids: &SiteIds, country: &str) -> String {
    let mut d = Doc::new(t);
    head(&mut d);
    d.comment("new_practice_title");
    d.field("title", &toml_string(&humanise(slug)));
    d.comment("new_practice_summary");
    d.optional("summary", "\"...\"");
    d.comment("new_practice_status");
    d.field("status", "\"planned\"");
    d.comment("new_practice_start");
    d.optional("start", "2025-01-01");
    d.comment("new_practice_end");
    d.optional("end", "2027-12-31");
    d.comment("new_practice_countries");
    d.field("countries", &format!("[{}]", toml_string(country)));
    d.comment("new_practice_territories");
    d.optional(
        "territories",
        &id_list(&ids.territories, 2, &["FRJ15", "ES512"]),
    );
    d.comment("new_practice_border");
    d.optional("border", &first_id(&ids.borders, "fr-es"));
    d.comment("new_practice_themes");
    d.optional("themes", &id_list(&ids.themes, 2, &["employment"]));
    d.comment("new_practice_target_groups");
    d.optional(
        "target_groups",
        &id_list(&ids.target_groups, 1, &["long-term-unemployed"]),
    );
    d.comment("new_practice_partners");
    d.optional("partners", &id_list(&ids.partners, 2, &["lead-partner"]));
    d.comment("new_practice_programme");
    d.optional("programme", "\"...\"");
    d.comment("new_practice_budget");
    d.optional("budget", "{ amount = 100000, currency = \"EUR\" }");
    d.comment("new_practice_transferability");
    d.optional("transferability", "\"medium\"");
    d.comment("new_practice_website");
    d.optional("website", "\"https://example.org/\"");
    d.comment("new_practice_contact");
    d.optional(
        "contact",
        "{ name = \"...\", email = \"office@example.org\" }",
    );
    d.line("");
    d.comment("new_practice_results");
    d.commented("[[results]]\nlabel = \"...\"\nvalue = 100\nunit = \"...\"");
    d.line("");
    d.comment("new_practice_sources");
    d.commented("[[sources]]\ntitle = \"...\"\nurl = \"https://example.org/\"");
    d.line("+++");
    for heading in [
        "new_heading_context",
        "new_heading_approach",
        "results",
        "transferability",
    ] {
        d.line(&format!("## {}", t.get(heading)));
        d.line("");
    }
    d.out
}

fn partner(t: &Texts, slug: &Slug, ids: &SiteIds, kind: &str, country: &str) -> String {
    let mut d = Doc::new(t);
    head(&mut d);
    d.comment("new_partner_name");
    d.field("name", &toml_string(&humanise(slug)));
    d.comment("new_partner_short_name");
    d.optional("short_name", "\"...\"");
    d.comment("new_partner_official_name");
    d.optional("official_name", "{ en = \"...\" }");
    d.comment("new_partner_kind");
    d.field("kind", &toml_string(kind));
    d.comment("new_partner_country");
    d.field("country", &toml_string(country));
    d.comment("new_partner_territory");
    d.optional("territory", &first_id(&ids.territories, "FRJ15"));
    d.comment("new_partner_city");
    d.optional("city", "\"...\"");
    d.comment("new_partner_website");
    d.optional("website", "\"https://example.org/\"");
    d.line("+++");
    d.line(&t.get("new_partner_body"));
    d.out
}

fn page(t: &Texts, slug: &Slug) -> String {
    let mut d = Doc::new(t);
    head(&mut d);
    d.comment("new_page_title");
    d.field("title", &toml_string(&humanise(slug)));
    d.comment("new_page_summary");
    d.optional("summary", "\"...\"");
    d.comment("new_page_menu");
    d.optional("menu", "10");
    d.comment("new_page_updated");
    d.optional("updated", "2025-01-01");
    d.line("+++");
    d.line(&t.get("new_page_body"));
    d.out
}

/// The source translation of a record, to copy its text fields from, as written.
struct Original<'a> {
    src: &'a Source,
    table: &'a Table,
}

impl Original<'_> {
    /// The value of `key` exactly as the source writes it.
    fn raw(&self, key: &str) -> Option<&str> {
        let e = self.table.get(key)?;
        self.src.text.get(e.node.span.clone())
    }

    /// A text to translate: copied as it is, to be overwritten.
    fn text(&self, d: &mut Doc, key: &str, comment: &str) {
        if let Some(value) = self.raw(key) {
            d.comment(comment);
            d.field(key, value);
        }
    }

    /// A text the translation may leave to its source: copied commented out.
    fn other(&self, d: &mut Doc, key: &str, comment: &str) {
        if let Some(value) = self.raw(key) {
            d.comment(comment);
            d.comment("new_translation_other");
            d.optional(key, value);
        }
    }

    /// `[[results]]` (labels to translate, values and units kept) or, `commented`,
    /// `[[sources]]` (left to the source unless the translation gives its own).
    fn tables(&self, d: &mut Doc, key: &str, comment: &str, commented: bool) {
        let Some(Value::Array(items)) = self.table.get(key).map(|e| &e.node.value) else {
            return;
        };
        d.line("");
        d.comment(comment);
        d.comment(if commented {
            "new_translation_other"
        } else {
            "new_translation_results"
        });
        for (i, item) in items.iter().enumerate() {
            let Value::Table(t) = &item.value else {
                continue;
            };
            if i > 0 {
                d.line("");
            }
            let mut block = format!("[[{key}]]\n");
            for e in &t.entries {
                if let Some(value) = self.src.text.get(e.node.span.clone()) {
                    block.push_str(&format!("{} = {value}\n", toml_key(&e.key)));
                }
            }
            if commented {
                d.commented(&block);
            } else {
                d.raw(&block);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_start_from_the_slug() {
        assert_eq!(humanise("cafe-social"), "Cafe social");
        assert_eq!(humanise("a"), "A");
        assert_eq!(humanise("2024-plan"), "2024 plan");
    }

    #[test]
    fn every_comment_of_a_new_file_is_an_interface_string_limes_ships() {
        let en = Texts::new(None, "en");
        let ids = SiteIds::default();
        let slug = Slug::parse("x").unwrap();
        for text in [
            practice(&en, &slug, &ids, "FR"),
            partner(&en, &slug, &ids, "ngo", "FR"),
            page(&en, &slug),
        ] {
            for line in text.lines() {
                assert!(!line.contains("new_"), "a key is shown as it is: {line}");
            }
            let (front, _) = text[4..].split_once("+++\n").unwrap();
            let table: toml::Table = toml::from_str(front).unwrap();
            assert_eq!(table["draft"].as_bool(), Some(true));
        }
    }
}
