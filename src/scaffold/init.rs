//! `limes init <dir> [--languages en,fr]`: a new observatory that builds at once —
//! observatory.toml, the default theme and the interface strings limes carries in its
//! binary, a vocabulary and one example practice in the default language (the first
//! listed), whose texts come from the `new_example_*` interface strings.

use std::fs;
use std::path::Path;

use super::{Created, Failure, Texts, shipped, shipped_languages, toml_string, write_new};

/// The slug of the example practice (its folder is named in its own text).
const EXAMPLE: &str = "example";

/// Makes a new observatory in `dir`, which must be new or empty, in `languages`
/// (comma-separated codes of languages limes ships, the default first).
pub fn init(dir: &Path, languages: &str) -> Result<Created, Failure> {
    let langs = languages_asked(languages)?;
    if dir.exists() {
        let empty = fs::read_dir(dir).map(|mut d| d.next().is_none());
        match empty {
            Ok(true) => {}
            Ok(false) => {
                return Err(Failure::refused(
                    format!("{} is not empty", dir.display()),
                    "limes init makes a new observatory in a new or empty folder: choose another one",
                ));
            }
            Err(e) => {
                return Err(Failure::refused(
                    format!("{} is not a folder limes can use: {e}", dir.display()),
                    "limes init makes a new observatory in a new or empty folder: choose another one",
                ));
            }
        }
    }
    let default = langs[0];
    let texts: Vec<(&str, Texts)> = langs.iter().map(|l| (*l, Texts::new(None, l))).collect();
    let label = |key: &str| -> String {
        let items: Vec<String> = texts
            .iter()
            .map(|(l, t)| format!("{l} = {}", toml_string(&t.get(key))))
            .collect();
        items.join("\n")
    };
    let title: Vec<String> = texts
        .iter()
        .map(|(l, t)| format!("{l} = {}", toml_string(&t.get("new_example_site_title"))))
        .collect();
    let list: Vec<String> = langs.iter().map(|l| toml_string(l)).collect();

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    files.push((
        "observatory.toml".into(),
        format!(
            "# The settings of the observatory: see the limes README.\n\
             title = {{ {} }}\n\
             # Where the site is published: change it before publishing.\n\
             base_url = \"https://observatory.example.org\"\n\
             # The site's languages; each has its interface strings in i18n/<language>.toml.\n\
             default_language = {}\n\
             languages = [{}]\n\
             theme = \"default\"\n\
             # When a record is missing in a reader's language: the languages to show it in.\n\
             fallback = {{ default = [{}] }}\n\
             \n\
             [markdown]\n\
             # Raw HTML in Markdown: escape (shown as text), sanitize (a safe subset) or trust.\n\
             raw_html = \"escape\"\n",
            title.join(", "),
            toml_string(default),
            list.join(", "),
            toml_string(default),
        )
        .into_bytes(),
    ));
    for lang in &langs {
        if let Some(text) = super::shipped_strings(lang) {
            files.push((format!("i18n/{lang}.toml"), text.as_bytes().to_vec()));
        }
    }
    for (rel, bytes) in shipped::THEME {
        files.push((format!("themes/default/{rel}"), bytes.to_vec()));
    }
    files.push((
        "content/vocabularies.toml".into(),
        format!(
            "# The terms records use, with their label in each language.\n\
             \n\
             [themes.social-inclusion]\n{}\n\
             \n\
             [target_groups.people-at-risk-of-poverty]\n{}\n\
             \n\
             [partner_kinds.ngo]\n{}\n",
            label("new_example_theme"),
            label("new_example_target_group"),
            label("new_example_partner_kind"),
        )
        .into_bytes(),
    ));
    let t = &texts[0].1;
    files.push((
        format!("content/practices/{EXAMPLE}/index.{default}.md"),
        format!(
            "+++\n\
             title = {}\n\
             summary = {}\n\
             status = \"ongoing\"\n\
             start = 2025-01-01\n\
             countries = [\"FR\", \"ES\"]\n\
             themes = [\"social-inclusion\"]\n\
             target_groups = [\"people-at-risk-of-poverty\"]\n\
             +++\n\
             {}\n",
            toml_string(&t.get("new_example_title")),
            toml_string(&t.get("new_example_summary")),
            t.get("new_example_body"),
        )
        .into_bytes(),
    ));
    files.push((".gitignore".into(), b"/public/\n".to_vec()));

    for (rel, bytes) in &files {
        write_new(&dir.join(rel), bytes)?;
    }
    Ok(Created {
        path: dir.to_path_buf(),
        notes: vec![format!(
            "Created an observatory in {} ({}). Preview it with: limes serve --root {}; add a practice with: limes new practice <slug> --root {}",
            dir.display(),
            langs.join(", "),
            dir.display(),
            dir.display(),
        )],
    })
}

/// The codes of `--languages`, each one limes ships, each once.
fn languages_asked(languages: &str) -> Result<Vec<&'static str>, Failure> {
    let shipped = shipped_languages();
    let list = shipped.join(", ");
    let mut out: Vec<&'static str> = Vec::new();
    for code in languages.split(',').map(str::trim) {
        if code.is_empty() {
            return Err(Failure::usage(
                format!("`{languages}` is not a list of languages"),
                format!(
                    "write the codes separated by commas, the default first, like --languages en,fr; limes ships {list}"
                ),
            ));
        }
        let Some(lang) = shipped.iter().find(|l| **l == code) else {
            let help = match shipped.iter().find(|l| l.eq_ignore_ascii_case(code)) {
                Some(l) => {
                    format!("did you mean `{l}`? limes ships the interface strings of {list}")
                }
                None => format!(
                    "limes ships the interface strings of {list}; start with those, then add `{code}` to `languages` in observatory.toml with an i18n/{code}.toml translated from i18n/en.toml"
                ),
            };
            return Err(Failure::usage(
                format!("limes has no interface strings for `{code}`"),
                help,
            ));
        };
        if out.contains(lang) {
            return Err(Failure::usage(
                format!("`{code}` is listed twice"),
                "list each language once, the default first",
            ));
        }
        out.push(lang);
    }
    Ok(out)
}
