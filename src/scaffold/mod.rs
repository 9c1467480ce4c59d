//! `limes new` and `limes init`: the commands that write source files for editors
//! (never the output): a new record or translation in a site ([`new`]), a whole new
//! observatory ([`init`]). Every file is created, never replaced; the comments of the
//! files are in the file's language, from the `new_*` keys of the interface strings.

pub mod init;
pub mod new;

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use crate::diagnostics::Diagnostics;

/// The files limes carries for `limes init`: the default theme and the interface
/// strings of every language it ships (listed by `build.rs`).
mod shipped {
    include!(concat!(env!("OUT_DIR"), "/shipped.rs"));
}

/// The languages limes ships interface strings for, in code order.
pub fn shipped_languages() -> Vec<&'static str> {
    shipped::I18N.iter().map(|(lang, _)| *lang).collect()
}

/// The text of `i18n/<lang>.toml` as limes ships it.
fn shipped_strings(lang: &str) -> Option<&'static str> {
    shipped::I18N
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, text)| *text)
}

/// The interface string `key` of `lang` as limes ships it: what a site's own strings
/// fall back to for strings newer than the site's files (the maps' texts).
pub fn shipped_string(lang: &str, key: &str) -> Option<String> {
    use std::sync::OnceLock;
    static TABLES: OnceLock<BTreeMap<&'static str, toml::Table>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        shipped::I18N
            .iter()
            .filter_map(|(l, text)| Some((*l, toml::from_str::<toml::Table>(text).ok()?)))
            .collect()
    });
    tables.get(lang)?.get(key)?.as_str().map(str::to_string)
}

/// Why `new` or `init` wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// The site's settings cannot be read (or a file to translate from cannot be).
    Site(Diagnostics),
    /// What was asked cannot be done; `usage` for a mistake in the command itself
    /// (exit 2), else exit 1.
    Refused {
        message: String,
        help: String,
        usage: bool,
    },
}

impl Failure {
    fn refused(message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure::Refused {
            message: message.into(),
            help: help.into(),
            usage: false,
        }
    }

    fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure::Refused {
            message: message.into(),
            help: help.into(),
            usage: true,
        }
    }

    fn write(path: &Path, e: io::Error) -> Self {
        Failure::refused(
            format!("cannot write {}: {e}", path.display()),
            "check that the folder exists and is writable",
        )
    }

    /// 2 for a usage error, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Refused { usage: true, .. } => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Site(diags) => write!(f, "{diags}"),
            Failure::Refused { message, help, .. } => {
                writeln!(f, "error: {message}")?;
                writeln!(f, "  = help: {help}")
            }
        }
    }
}

/// What was written.
#[derive(Debug)]
pub struct Created {
    /// The new file (`new`) or folder (`init`), as given on the command line.
    pub path: std::path::PathBuf,
    /// What to tell the editor next.
    pub notes: Vec<String>,
}

/// The texts of new files in one language: the site's own `i18n/<lang>.toml` first,
/// then the one limes ships for that language, then limes's English.
pub(crate) struct Texts {
    layers: Vec<BTreeMap<String, String>>,
}

impl Texts {
    pub(crate) fn new(root: Option<&Path>, lang: &str) -> Texts {
        let strings = |text: &str| -> BTreeMap<String, String> {
            crate::spanned::from_str_or_none::<toml::Table>(text)
                .map(|t| {
                    t.into_iter()
                        .filter_map(|(k, v)| match v {
                            toml::Value::String(s) => Some((k, s.replace(['\r', '\n'], " "))),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut layers = Vec::new();
        if let Some(root) = root
            && let Ok(text) = fs::read_to_string(root.join("i18n").join(format!("{lang}.toml")))
        {
            layers.push(strings(&crate::text::normalise_newlines(text)));
        }
        layers.extend(shipped_strings(lang).map(strings));
        layers.extend(shipped_strings("en").map(strings));
        Texts { layers }
    }

    /// The text of `key` (the key itself if no file has it: never in a limes that
    /// passes its tests, which check every key it uses).
    pub(crate) fn get(&self, key: &str) -> String {
        self.layers
            .iter()
            .find_map(|l| l.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

/// A TOML string holding `s`.
pub(crate) fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Creates `path` with `bytes`, and the folders it needs; never replaces a file.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Failure::write(parent, e))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Failure::write(path, e))?;
    file.write_all(bytes).map_err(|e| Failure::write(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limes_ships_the_default_theme_and_every_language_of_the_repository() {
        let theme: Vec<&str> = shipped::THEME.iter().map(|(p, _)| *p).collect();
        assert!(theme.contains(&"templates/base.html"), "{theme:?}");
        assert!(theme.contains(&"static/css/site.css"), "{theme:?}");
        assert_eq!(
            shipped_languages(),
            [
                "ca", "en", "es", "fr", "hr", "it", "pt", "ro", "sl", "sq", "sr-Latn"
            ]
        );
    }

    #[test]
    fn texts_fall_back_to_the_shipped_language_then_english() {
        let fr = Texts::new(None, "fr");
        assert_eq!(fr.get("new_heading_context"), "Contexte");
        let ar = Texts::new(None, "ar");
        assert_eq!(ar.get("new_heading_context"), "Context");
        assert_eq!(ar.get("no_such_key"), "no_such_key");
    }

    #[test]
    fn toml_strings_are_quoted_and_escaped() {
        assert_eq!(toml_string("a"), "\"a\"");
        let quoted = toml_string("say \"hi\"\\");
        let back: toml::Table = toml::from_str(&format!("x = {quoted}")).unwrap();
        assert_eq!(back["x"].as_str(), Some("say \"hi\"\\"));
    }
}
