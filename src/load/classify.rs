//! Which file of `content/` is what: a record (its kind, slug and language, from its
//! path), a data file, a static file, or a mistake with the fix to suggest.

use crate::config::Config;
use crate::diagnostics::{closest, closest_lang};
use crate::input::RecordKind;
use crate::types::{Lang, Slug, is_slug};

pub(super) enum Class {
    Descend,
    Skip,
    Record(RecordKind, Slug, Lang),
    Data(String),
    Static(String),
    Bad(String, String),
}

const CONTENT_HELP: &str =
    "content/ holds practices/, partners/, pages/, diagnostics/, static/ and vocabularies.toml";

pub(super) fn classify(parts: &[&str], is_dir: bool, config: &Config) -> Class {
    let kind_of = |s: &str| RecordKind::ALL.into_iter().find(|k| k.folder() == s);
    match parts {
        [] => Class::Descend,
        ["static", rest @ ..] => {
            if is_dir || rest.is_empty() {
                Class::Descend
            } else {
                Class::Static(rest.join("/"))
            }
        }
        ["vocabularies.toml"] if !is_dir => Class::Data("vocabularies.toml".into()),
        ["diagnostics"] if is_dir => Class::Descend,
        ["diagnostics", name] if !is_dir => match *name {
            "territories.toml" | "indicators.toml" | "borders.toml" => {
                Class::Data(name.to_string())
            }
            n if n.ends_with(".csv") || n.ends_with(".geojson") => Class::Data(n.to_string()),
            n => {
                let help = match closest(n, ["territories.toml", "indicators.toml", "borders.toml"]) {
                    Some(c) => format!("did you mean `{c}`? content/diagnostics/ holds territories.toml, indicators.toml, borders.toml, *.csv observations, *.geojson shapes and a background.geojson"),
                    None => "content/diagnostics/ holds territories.toml, indicators.toml, borders.toml, *.csv observations, *.geojson shapes and a background.geojson".into(),
                };
                Class::Bad(
                    format!("unexpected file `{n}` in content/diagnostics/"),
                    help,
                )
            }
        },
        [folder] if is_dir && kind_of(folder).is_some() => Class::Descend,
        [folder, name] if kind_of(folder).is_some() => {
            let kind = kind_of(folder).unwrap();
            if is_dir {
                if is_slug(name) {
                    Class::Descend
                } else {
                    Class::Bad(format!("`{name}` is not a valid slug"), slug_help(name))
                }
            } else {
                record_file(kind, name, None, config)
            }
        }
        [folder, slug, name] if kind_of(folder).is_some() && !is_dir => {
            record_file(kind_of(folder).unwrap(), name, Some(slug), config)
        }
        [folder, ..] if kind_of(folder).is_some() => Class::Bad(
            "unexpected folder inside a record folder".into(),
            format!(
                "a record is content/{folder}/<slug>/index.<lang>.md; put images and PDFs in content/static/"
            ),
        ),
        [other, ..] => {
            let what = if is_dir { "folder" } else { "file" };
            let known = [
                "practices",
                "partners",
                "pages",
                "diagnostics",
                "static",
                "vocabularies.toml",
            ];
            let help = match closest(other, known) {
                Some(c) => format!("did you mean `{c}`? {CONTENT_HELP}"),
                None => CONTENT_HELP.into(),
            };
            if is_dir || parts.len() == 1 {
                Class::Bad(format!("unexpected {what} `{other}` in content/"), help)
            } else {
                Class::Skip
            }
        }
    }
}

/// What a slug may contain, with the slug `name` could become: the help of every
/// message about a bad slug (the loader's, `limes new`'s).
pub(crate) fn slug_help(name: &str) -> String {
    let suggestion: String = crate::text::without_accents(name)
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if suggestion.is_empty() {
        "slugs use lowercase ASCII letters, digits and single `-` between them".into()
    } else {
        format!(
            "slugs use lowercase ASCII letters, digits and single `-` between them, for example `{suggestion}`"
        )
    }
}

/// `index.<lang>.md` inside a slug folder, or `<slug>.<lang>.md` directly.
fn record_file(kind: RecordKind, name: &str, folder_slug: Option<&str>, config: &Config) -> Class {
    let folder = kind.folder();
    let expected = format!(
        "name it content/{folder}/<slug>/index.<lang>.md or content/{folder}/<slug>.<lang>.md"
    );
    let Some(stem) = name.strip_suffix(".md") else {
        let place = match folder_slug {
            Some(slug) => format!("content/{folder}/{slug}/"),
            None => format!("content/{folder}/"),
        };
        return Class::Bad(
            format!("unexpected file `{name}` in {place}"),
            format!(
                "put images and PDFs in content/static/ (content/static/{name} is published as /{name}); a record is {}",
                expected.trim_start_matches("name it ")
            ),
        );
    };
    let langs: Vec<&str> = config.languages.iter().map(Lang::as_str).collect();
    let Some((base, lang)) = stem.rsplit_once('.') else {
        if folder_slug.is_some() && stem != "index" {
            return Class::Bad(
                format!("unexpected file `{name}` in a record folder"),
                "a record folder holds only index.<lang>.md files, one per language".into(),
            );
        }
        let suggestions: Vec<String> = langs.iter().map(|l| format!("{stem}.{l}.md")).collect();
        return Class::Bad(
            format!("`{name}` does not say its language"),
            format!("rename it {}", suggestions.join(" or ")),
        );
    };
    let slug = match folder_slug {
        Some(_) if base != "index" => {
            return Class::Bad(
                format!("unexpected file `{name}` in a record folder"),
                format!("the file must be called index.{lang}.md"),
            );
        }
        Some(s) => s,
        None => base,
    };
    let Some(slug) = Slug::parse(slug) else {
        return Class::Bad(format!("`{slug}` is not a valid slug"), slug_help(slug));
    };
    match Lang::parse(lang).filter(|l| config.languages.contains(l)) {
        Some(l) => Class::Record(kind, slug, l),
        None => {
            let help = match closest_lang(lang, langs.iter().copied()) {
                Some(c) => format!(
                    "did you mean `{c}`? the site's languages are {}",
                    langs.join(", ")
                ),
                None => format!(
                    "the site's languages are {}; add `{lang}` to `languages` in observatory.toml to publish it",
                    langs.join(", ")
                ),
            };
            Class::Bad(format!("`{lang}` is not one of the site's languages"), help)
        }
    }
}
