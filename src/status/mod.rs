//! `limes status`: the translation status of a site for its editors. Owns the report
//! (per record kind and language: how many records exist, which are missing, which
//! translations are older than their source), the last-change time of each record file
//! (from git history when the site is in a git work tree, else from file modification
//! times) and the report's text and JSON forms. Reads the resolved [`Site`]; renders
//! and writes nothing.
//!
//! The **source** of a record is its translation in the site's default language if it
//! has one, else its first translation in the order of the site's `languages`. A
//! translation is **outdated** when its file's last change is strictly older than the
//! source file's last change.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

mod times;

use self::times::ChangeTimes;
use crate::BuildOptions;
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::model::Site;
use crate::types::Lang;

/// How the report is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables and lists for people
    Text,
    /// One JSON object for scripts
    Json,
}

/// Where the last-change times come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DatesFrom {
    /// The newest commit touching each file; uncommitted files count as changed now.
    #[serde(rename = "git")]
    Git,
    /// The files' modification times.
    #[serde(rename = "file-times")]
    FileTimes,
}

impl DatesFrom {
    fn describe(self) -> &'static str {
        match self {
            DatesFrom::Git => "dates from git history",
            DatesFrom::FileTimes => "dates from file modification times",
        }
    }
}

/// The whole report. Serializes to the `--format json` object.
#[derive(Clone, Debug, Serialize)]
pub struct StatusReport {
    pub dates_from: DatesFrom,
    /// The site's languages, in its order.
    #[serde(serialize_with = "lang_codes")]
    pub languages: Vec<Language>,
    pub kinds: Kinds,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Language {
    pub code: Lang,
    /// The language's own name (`language_name` of its interface file), or its code.
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Kinds {
    pub practices: KindStatus,
    pub partners: KindStatus,
    pub pages: KindStatus,
}

impl Kinds {
    fn iter(&self) -> [(&'static str, &KindStatus); 3] {
        [
            ("practices", &self.practices),
            ("partners", &self.partners),
            ("pages", &self.pages),
        ]
    }
}

/// One record kind: how many records there are and, per language in the site's order,
/// what exists.
#[derive(Clone, Debug, Serialize)]
pub struct KindStatus {
    pub total: usize,
    #[serde(serialize_with = "ordered_map")]
    pub by_language: Vec<(Lang, LangStatus)>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct LangStatus {
    pub present: usize,
    /// Slugs of the records without a translation in this language, sorted.
    pub missing: Vec<String>,
    /// Translations older than their source, by slug.
    pub outdated: Vec<Outdated>,
}

/// A translation older than its source. Times are seconds since the Unix epoch,
/// printed in JSON as RFC 3339 UTC timestamps; files are relative to the site root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outdated {
    pub slug: String,
    pub source_language: Lang,
    #[serde(serialize_with = "timestamp")]
    pub changed: i64,
    #[serde(serialize_with = "timestamp")]
    pub source_changed: i64,
    pub file: String,
    pub source_file: String,
}

/// One record reduced to what the report needs: its slug and its file per language.
struct Record<'a> {
    slug: &'a str,
    files: BTreeMap<&'a Lang, &'a str>,
}

/// Loads and resolves the site under `root` (nothing is rendered or written) and
/// returns its status in `format` with the warnings of loading, or the diagnostics
/// that stop the site from loading. Missing interface strings are warnings here: they
/// are translation status too, not a reason to refuse a report.
pub fn run(root: &Path, format: Format) -> Result<(String, Diagnostics), Diagnostics> {
    let (site, warnings) = crate::load_site(&BuildOptions {
        root: root.to_path_buf(),
        allow_missing_strings: true,
        ..BuildOptions::default()
    })?;
    let report = collect(&site);
    let text = match format {
        Format::Text => report.to_text(),
        Format::Json => report.to_json(),
    };
    Ok((text, warnings))
}

/// Collects the status of `site`, reading last-change times from git when the site
/// folder is in a git work tree with committed content, else from the file system.
pub fn collect(site: &Site) -> StatusReport {
    let times = ChangeTimes::read(&site.root);
    let languages = site
        .config
        .languages
        .iter()
        .map(|l| Language {
            code: l.clone(),
            name: site.strings.language_name(l).to_string(),
        })
        .collect();
    compute(site, languages, times.from, |file| times.changed(file))
}

/// Builds the report from the site's records with the given last-change times (seconds
/// since the Unix epoch; `None` when unknown, which never makes a translation outdated).
fn compute(
    site: &Site,
    languages: Vec<Language>,
    dates_from: DatesFrom,
    changed: impl Fn(&str) -> Option<i64>,
) -> StatusReport {
    let practices: Vec<Record> = site
        .practices
        .iter()
        .map(|p| record(&p.slug, &p.texts, |t| &t.file))
        .collect();
    let partners: Vec<Record> = site
        .partners
        .iter()
        .map(|p| record(&p.slug, &p.texts, |t| &t.file))
        .collect();
    let pages: Vec<Record> = site
        .pages
        .iter()
        .map(|p| record(&p.slug, &p.texts, |t| &t.file))
        .collect();
    StatusReport {
        dates_from,
        languages,
        kinds: Kinds {
            practices: kind_status(&site.config, &practices, &changed),
            partners: kind_status(&site.config, &partners, &changed),
            pages: kind_status(&site.config, &pages, &changed),
        },
    }
}

fn record<'a, T>(
    slug: &'a str,
    texts: &'a BTreeMap<Lang, T>,
    file: fn(&T) -> &String,
) -> Record<'a> {
    Record {
        slug,
        files: texts.iter().map(|(l, t)| (l, file(t).as_str())).collect(),
    }
}

fn kind_status(
    config: &Config,
    records: &[Record],
    changed: &impl Fn(&str) -> Option<i64>,
) -> KindStatus {
    status_of(
        &config.default_language,
        &config.languages,
        records,
        changed,
    )
}

/// The status of one kind's records in `languages` (the site's, in its order).
fn status_of(
    default_language: &Lang,
    languages: &[Lang],
    records: &[Record],
    changed: &impl Fn(&str) -> Option<i64>,
) -> KindStatus {
    let mut by_language: Vec<(Lang, LangStatus)> = languages
        .iter()
        .map(|l| (l.clone(), LangStatus::default()))
        .collect();
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by_key(|r| r.slug);
    for record in sorted {
        let Some((source_lang, source_file)) = source(default_language, languages, record) else {
            continue;
        };
        let source_changed = changed(source_file);
        for (lang, status) in &mut by_language {
            let Some(&file) = record.files.get(lang) else {
                status.missing.push(record.slug.to_string());
                continue;
            };
            status.present += 1;
            if lang == source_lang {
                continue;
            }
            if let (Some(at), Some(source_at)) = (changed(file), source_changed)
                && at < source_at
            {
                status.outdated.push(Outdated {
                    slug: record.slug.to_string(),
                    source_language: source_lang.clone(),
                    changed: at,
                    source_changed: source_at,
                    file: file.to_string(),
                    source_file: source_file.to_string(),
                });
            }
        }
    }
    KindStatus {
        total: records.len(),
        by_language,
    }
}

/// The record's source translation: the default language's, else the first in the
/// site's language order.
fn source<'a>(
    default_language: &Lang,
    languages: &[Lang],
    record: &Record<'a>,
) -> Option<(&'a Lang, &'a str)> {
    std::iter::once(default_language)
        .chain(languages)
        .find_map(|l| record.files.get_key_value(l).map(|(l, f)| (*l, *f)))
}

impl StatusReport {
    /// The report as one JSON object (keys in a fixed order, languages in the site's
    /// order), ending with a newline.
    pub fn to_json(&self) -> String {
        // Cannot fail: every map key is a string and every value plain data.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string());
        s.push('\n');
        s
    }

    /// The report for people: one table per record kind, then the missing and the
    /// outdated translations.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let k = &self.kinds;
        let _ = writeln!(
            out,
            "{}, {}, {} in {}; {}",
            count(k.practices.total, "practice", "practices"),
            count(k.partners.total, "partner", "partners"),
            count(k.pages.total, "page", "pages"),
            count(self.languages.len(), "language", "languages"),
            self.dates_from.describe()
        );

        let name_width = self
            .languages
            .iter()
            .map(|l| l.code.as_str().chars().count() + 1 + l.name.chars().count())
            .max()
            .unwrap_or(0)
            .max("language".len());
        for (kind, status) in k.iter() {
            let _ = writeln!(out, "\n{} ({})", capitalize(kind), status.total);
            let _ = writeln!(
                out,
                "  {:<name_width$}  {:>9}  {:>7}  {:>8}",
                "language", "present", "missing", "outdated"
            );
            for (lang, s) in &status.by_language {
                let present = format!("{}/{}", s.present, status.total);
                let _ = writeln!(
                    out,
                    "  {:<name_width$}  {:>9}  {:>7}  {:>8}",
                    self.label(lang),
                    present,
                    s.missing.len(),
                    s.outdated.len()
                );
            }
        }

        let any_missing = k
            .iter()
            .iter()
            .any(|(_, st)| st.by_language.iter().any(|(_, s)| !s.missing.is_empty()));
        if any_missing {
            let _ = writeln!(out, "\nMissing translations:");
        } else {
            let _ = writeln!(out, "\nMissing translations: none");
        }
        for (kind, status) in k.iter() {
            let missing: Vec<_> = status
                .by_language
                .iter()
                .filter(|(_, s)| !s.missing.is_empty())
                .collect();
            if !missing.is_empty() {
                let _ = writeln!(out, "  {kind}");
            }
            for (lang, s) in missing {
                let _ = writeln!(
                    out,
                    "    {} ({}): {}",
                    self.label(lang),
                    s.missing.len(),
                    s.missing.join(", ")
                );
            }
        }

        let any_outdated = k
            .iter()
            .iter()
            .any(|(_, st)| st.by_language.iter().any(|(_, s)| !s.outdated.is_empty()));
        let _ = writeln!(
            out,
            "\nOutdated translations (older than their source: the default language's \
             translation, else the first in the site's language order):{}",
            if any_outdated { "" } else { " none" }
        );
        for (kind, status) in k.iter() {
            if status
                .by_language
                .iter()
                .all(|(_, s)| s.outdated.is_empty())
            {
                continue;
            }
            let _ = writeln!(out, "  {kind}");
            for (lang, s) in &status.by_language {
                for o in &s.outdated {
                    let (changed, source_changed) = dates(o.changed, o.source_changed);
                    let _ = writeln!(
                        out,
                        "    {} ({lang}): changed {changed}, source {} changed {source_changed}",
                        o.slug, o.source_language
                    );
                }
            }
        }
        out
    }

    fn label(&self, lang: &Lang) -> String {
        match self.languages.iter().find(|l| &l.code == lang) {
            Some(l) if l.name != l.code.as_str() => format!("{} {}", l.code, l.name),
            _ => lang.to_string(),
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Two change times as YYYY-MM-DD (UTC), with the time of day when they fall on the
/// same day (so that an outdated translation never looks as recent as its source).
fn dates(a: i64, b: i64) -> (String, String) {
    let (da, db) = (utc(a), utc(b));
    if da.0 == db.0 {
        (
            format!("{} {} UTC", da.0, da.1),
            format!("{} {} UTC", db.0, db.1),
        )
    } else {
        (da.0, db.0)
    }
}

/// Seconds since the Unix epoch as (`YYYY-MM-DD`, `HH:MM:SS`) in UTC.
fn utc(secs: i64) -> (String, String) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60),
    )
}

/// Serializes a change time as an RFC 3339 UTC timestamp (`2024-03-01T09:30:00Z`).
fn timestamp<S: Serializer>(secs: &i64, s: S) -> Result<S::Ok, S::Error> {
    let (date, time) = utc(*secs);
    s.serialize_str(&format!("{date}T{time}Z"))
}

fn lang_codes<S: Serializer>(langs: &[Language], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(langs.iter().map(|l| l.code.as_str()))
}

/// A list of pairs as a JSON object, in the list's order.
fn ordered_map<S: Serializer>(pairs: &[(Lang, LangStatus)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k.as_str(), v)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(codes: &[&str]) -> Vec<Lang> {
        codes.iter().map(|c| Lang::parse(c).unwrap()).collect()
    }

    #[test]
    fn the_source_is_the_default_language_else_the_first_in_site_order() {
        let l = langs(&["en", "fr", "it"]);
        let with = |codes: &[usize]| Record {
            slug: "x",
            files: codes.iter().map(|&i| (&l[i], "f")).collect(),
        };
        let en = &l[0];
        assert_eq!(source(en, &l, &with(&[0, 1, 2])).unwrap().0, &l[0]);
        assert_eq!(source(en, &l, &with(&[2, 1])).unwrap().0, &l[1]);
        assert_eq!(source(&l[2], &l, &with(&[0, 1, 2])).unwrap().0, &l[2]);
        assert!(source(en, &l, &with(&[])).is_none());
    }

    #[test]
    fn a_translation_is_outdated_only_when_strictly_older_than_its_source() {
        let l = langs(&["en", "fr", "it"]);
        let records = [
            // No English: French is the source, Italian is older.
            Record {
                slug: "b",
                files: [(&l[1], "b.fr"), (&l[2], "b.it")].into_iter().collect(),
            },
            // Same time as the source: not outdated; unknown time: not outdated.
            Record {
                slug: "a",
                files: [(&l[0], "a.en"), (&l[1], "a.fr"), (&l[2], "a.it")]
                    .into_iter()
                    .collect(),
            },
        ];
        let times: BTreeMap<&str, i64> = [("b.fr", 20), ("b.it", 10), ("a.en", 5), ("a.fr", 5)]
            .into_iter()
            .collect();
        let st = status_of(&l[0], &l, &records, &|f: &str| times.get(f).copied());
        assert_eq!(st.total, 2);
        let by: BTreeMap<&str, &LangStatus> = st
            .by_language
            .iter()
            .map(|(l, s)| (l.as_str(), s))
            .collect();
        assert_eq!(by["en"].present, 1);
        assert_eq!(by["en"].missing, ["b"]);
        assert!(by["fr"].missing.is_empty() && by["fr"].outdated.is_empty());
        assert_eq!(
            by["it"].outdated,
            [Outdated {
                slug: "b".into(),
                source_language: l[1].clone(),
                changed: 10,
                source_changed: 20,
                file: "b.it".into(),
                source_file: "b.fr".into(),
            }]
        );
        // The order of the site's languages is kept.
        let order: Vec<&str> = st.by_language.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(order, ["en", "fr", "it"]);
    }

    #[test]
    fn formats_utc_dates() {
        assert_eq!(utc(0), ("1970-01-01".into(), "00:00:00".into()));
        assert_eq!(utc(1_709_285_400), ("2024-03-01".into(), "09:30:00".into()));
        assert_eq!(utc(951_782_400).0, "2000-02-29");
        assert_eq!(utc(-1), ("1969-12-31".into(), "23:59:59".into()));
    }

    #[test]
    fn same_day_dates_show_the_time() {
        let (a, b) = dates(1_709_285_400, 1_709_289_000);
        assert_eq!(a, "2024-03-01 09:30:00 UTC");
        assert_eq!(b, "2024-03-01 10:30:00 UTC");
        let (a, b) = dates(0, 86_400);
        assert_eq!((a.as_str(), b.as_str()), ("1970-01-01", "1970-01-02"));
    }
}
