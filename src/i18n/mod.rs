//! Interface strings (`i18n/<lang>.toml`, with CLDR plural forms) and the locale data
//! of every language ([`Locale`]: plurals, numbers, dates, collation), which the
//! renderers use for everything they show.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use icu_locale::{LocaleDirectionality, LocaleExpander};
use icu_locale_core::LanguageIdentifier;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Source, closest};
use crate::spanned::{Value, parse};
use crate::types::Lang;

pub mod locale;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_come_from_the_script() {
        let dir = |c: &str| direction(&Lang::parse(c).unwrap());
        assert_eq!(dir("ar"), "rtl");
        assert_eq!(dir("he"), "rtl");
        assert_eq!(dir("fa"), "rtl");
        assert_eq!(dir("en"), "ltr");
        assert_eq!(dir("sr-Latn"), "ltr");
        assert_eq!(dir("sr-Cyrl"), "ltr");
        assert_eq!(dir("ur-Latn"), "ltr");
    }
}
pub use locale::Locale;

/// The interface strings of one language.
#[derive(Clone, Debug, Default)]
pub struct LangStrings {
    pub strings: BTreeMap<String, String>,
    /// Strings with a form per CLDR plural category (`{ one = "...", other = "..." }`).
    pub plurals: BTreeMap<String, BTreeMap<String, String>>,
    /// Country names by ISO 3166-1 alpha-2 code, from the `[countries]` table.
    pub countries: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default)]
pub struct Strings {
    pub by_lang: BTreeMap<Lang, LangStrings>,
    /// Locale data of every site language.
    pub locales: BTreeMap<Lang, Arc<Locale>>,
}

impl Strings {
    /// Reads `i18n/<lang>.toml` for every language of the site. A key that one file has
    /// and another lacks is an error naming both (a warning if `allow_missing`).
    /// Checks the interface strings of every language: `files` holds the text of each
    /// `i18n/<lang>.toml`, or `None` when the file is missing.
    pub fn parse(
        config: &Config,
        mut files: BTreeMap<Lang, Option<String>>,
        allow_missing: bool,
    ) -> (Strings, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut out = Strings::default();
        let mut sources = BTreeMap::new();
        let mut spans: BTreeMap<(Lang, &str, String), std::ops::Range<usize>> = BTreeMap::new();
        for lang in &config.languages {
            out.locales.insert(
                lang.clone(),
                Arc::new(Locale::new(lang, config.date_locale.get(lang))),
            );
        }
        for lang in &config.languages {
            let rel = format!("i18n/{lang}.toml");
            let text = match files.remove(lang).flatten() {
                Some(t) => t,
                None => {
                    diags.push(
                        Diagnostic::file(
                            rel.clone(),
                            format!("the interface strings of `{lang}` are missing"),
                        )
                        .help(format!(
                            "create {rel}, starting from a copy of i18n/{}.toml",
                            config.default_language
                        )),
                    );
                    continue;
                }
            };
            let src = Source::new(rel.clone(), text);
            let Some(table) = parse(&src, &src.text, 0, &mut diags) else {
                continue;
            };
            let mut ls = LangStrings::default();
            for e in &table.entries {
                match (&e.key[..], &e.node.value) {
                    (_, Value::Str(s)) => {
                        ls.strings.insert(e.key.clone(), s.clone());
                        spans.insert((lang.clone(), "", e.key.clone()), e.key_span.clone());
                    }
                    ("countries", Value::Table(t)) => {
                        for c in &t.entries {
                            match &c.node.value {
                                Value::Str(s) => {
                                    ls.countries.insert(c.key.clone(), s.clone());
                                    spans.insert(
                                        (lang.clone(), "countries", c.key.clone()),
                                        c.key_span.clone(),
                                    );
                                }
                                other => diags.push(
                                    src.error(
                                        c.node.span.clone(),
                                        format!(
                                            "country name `{}` must be a string, found {}",
                                            c.key,
                                            other.type_name()
                                        ),
                                    )
                                    .help(format!("write it like: {} = \"...\"", c.key)),
                                ),
                            }
                        }
                    }
                    (_, Value::Table(t)) => {
                        let forms = plural_forms(
                            &src,
                            lang,
                            &out.locales[lang],
                            &e.key,
                            e.key_span.clone(),
                            t,
                            &mut diags,
                        );
                        ls.plurals.insert(e.key.clone(), forms);
                        spans.insert((lang.clone(), "", e.key.clone()), e.key_span.clone());
                    }
                    (_, other) => diags.push(
                        src.error(
                            e.node.span.clone(),
                            format!(
                                "interface string `{}` must be a string, found {}",
                                e.key,
                                other.type_name()
                            ),
                        )
                        .help(format!("write it like: {} = \"...\"", e.key)),
                    ),
                }
            }
            sources.insert(lang.clone(), src);
            out.by_lang.insert(lang.clone(), ls);
        }

        // The default language's file is the reference: every other file has exactly its
        // keys. A key only another file has is most likely a typo there.
        if let Some(reference) = out.by_lang.get(&config.default_language) {
            let ref_file = format!("i18n/{}.toml", config.default_language);
            for (lang, ls) in &out.by_lang {
                if lang == &config.default_language {
                    continue;
                }
                let file = format!("i18n/{lang}.toml");
                let keys = |l: &LangStrings| -> BTreeSet<String> {
                    l.strings.keys().chain(l.plurals.keys()).cloned().collect()
                };
                let country_keys =
                    |l: &LangStrings| -> BTreeSet<String> { l.countries.keys().cloned().collect() };
                for (table, ours, theirs) in [
                    ("", keys(ls), keys(reference)),
                    ("countries", country_keys(ls), country_keys(reference)),
                ] {
                    let place = if table.is_empty() {
                        String::new()
                    } else {
                        " under [countries]".to_string()
                    };
                    let what = |key: &str| {
                        if table.is_empty() {
                            format!("interface string `{key}`")
                        } else {
                            format!("country name `{key}`")
                        }
                    };
                    let missing: Vec<&str> = theirs
                        .iter()
                        .filter(|k| !ours.contains(*k))
                        .map(String::as_str)
                        .collect();
                    for key in &missing {
                        let mut d = Diagnostic::file(
                            file.clone(),
                            format!("missing {} for `{lang}`", what(key)),
                        )
                        .help(format!(
                            "add {key} = \"...\"{place}, translating it from {ref_file}"
                        ));
                        if allow_missing {
                            d = d.warning();
                        }
                        diags.push(d);
                    }
                    for key in ours.iter().filter(|k| !theirs.contains(*k)) {
                        let src = &sources[lang];
                        let span = spans
                            .get(&(lang.clone(), table, key.clone()))
                            .cloned()
                            .unwrap_or(0..0);
                        let d = src.error(span, format!("{} is not in {ref_file}", what(key)));
                        diags.push(match closest(key, missing.iter().copied()) {
                            Some(c) => d.help(format!("did you mean `{c}`?")),
                            None => d.help(format!(
                                "remove it, or add it to {ref_file} and to every other language"
                            )),
                        });
                    }
                }
            }
        }
        (out, diags)
    }

    /// The strings a template of `lang` sees: its own, and for any missing one (only
    /// with --allow-missing-strings) the fallback chain's.
    pub fn table(&self, config: &Config, lang: &Lang) -> BTreeMap<String, String> {
        self.merged(config, lang, |ls| &ls.strings)
    }

    /// One table of every language in `lang`'s chain, the nearer language winning.
    fn merged<T: Clone>(
        &self,
        config: &Config,
        lang: &Lang,
        table: impl Fn(&LangStrings) -> &BTreeMap<String, T>,
    ) -> BTreeMap<String, T> {
        let mut out = BTreeMap::new();
        for ls in config
            .chain(lang)
            .iter()
            .rev()
            .filter_map(|l| self.by_lang.get(l))
        {
            out.extend(table(ls).iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out
    }

    /// A country's name in the reader's language or its fallback chain.
    pub fn country(&self, config: &Config, lang: &Lang, code: &str) -> Option<&str> {
        config
            .chain(lang)
            .iter()
            .find_map(|l| self.by_lang.get(l)?.countries.get(code).map(String::as_str))
    }

    /// The language's own name (`language_name`), or its code.
    pub fn language_name<'a>(&'a self, lang: &'a Lang) -> &'a str {
        self.by_lang
            .get(lang)
            .and_then(|l| l.strings.get("language_name"))
            .map(String::as_str)
            .unwrap_or(lang.as_str())
    }

    /// The name of `named` as a sentence in `reader`'s language says it ("in
    /// Croatian", "en anglais"): CLDR's name in the reader's language (of the whole
    /// tag, else of its primary language), else the language's own name
    /// (`language_name`), else its code. The language switcher and the chooser use
    /// the own name instead ([`Strings::language_name`]).
    pub fn language_in(&self, reader: &Lang, named: &Lang) -> String {
        self.locales
            .get(reader)
            .and_then(|l| l.language_name(named))
            .unwrap_or_else(|| self.language_name(named).to_string())
    }

    /// Plural strings a template of `lang` sees, with the fallback chain's for any
    /// missing one (only with --allow-missing-strings).
    pub fn plural_table(
        &self,
        config: &Config,
        lang: &Lang,
    ) -> BTreeMap<String, BTreeMap<String, String>> {
        self.merged(config, lang, |ls| &ls.plurals)
    }

    /// The locale data of a site language.
    pub fn locale(&self, lang: &Lang) -> &Locale {
        &self.locales[lang]
    }

    /// Does any language name this country?
    pub fn knows_country(&self, code: &str) -> bool {
        self.by_lang
            .values()
            .any(|l| l.countries.contains_key(code))
    }
}

/// Reads a plural string: every category the language has (by CLDR) must be there,
/// and no other.
fn plural_forms(
    src: &Source,
    lang: &Lang,
    locale: &Locale,
    key: &str,
    key_span: Range<usize>,
    table: &crate::spanned::Table,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let needed = locale.categories();
    let mut forms = BTreeMap::new();
    for e in &table.entries {
        match &e.node.value {
            Value::Str(s) if needed.contains(&e.key.as_str()) => {
                forms.insert(e.key.clone(), s.clone());
            }
            Value::Str(_) if locale::CATEGORY_NAMES.contains(&e.key.as_str()) => diags.push(
                src.error(
                    e.key_span.clone(),
                    format!("`{lang}` has no plural form `{}`", e.key),
                )
                .help(format!(
                    "the plural forms of `{lang}` are {}; remove `{}`",
                    needed.join(", "),
                    e.key
                )),
            ),
            Value::Str(_) => diags.push(
                src.error(
                    e.key_span.clone(),
                    format!("`{}` is not a plural form", e.key),
                )
                .help(format!(
                    "the plural forms of `{lang}` are {} (CLDR names)",
                    needed.join(", ")
                )),
            ),
            other => diags.push(
                src.error(
                    e.node.span.clone(),
                    format!(
                        "plural form `{key}.{}` must be a string, found {}",
                        e.key,
                        other.type_name()
                    ),
                )
                .help(format!("write it like: {} = \"{{n}} ...\"", e.key)),
            ),
        }
    }
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|c| table.get(c).is_none())
        .collect();
    if !missing.is_empty() {
        diags.push(
            src.error(
                key_span,
                format!(
                    "`{key}` lacks the plural form{} {} of `{lang}`",
                    if missing.len() > 1 { "s" } else { "" },
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .help(format!(
                "`{lang}` has the plural forms {} (CLDR): add {}",
                needed.join(", "),
                missing
                    .iter()
                    .map(|m| format!("{m} = \"...\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    forms
}

/// Text direction of a language, from CLDR: right-to-left when the language's
/// (likely) script is written that way (`ar`, `he`, `fa`; not `ur-Latn`).
pub fn direction(lang: &Lang) -> &'static str {
    const DIRECTIONS: LocaleDirectionality<LocaleExpander> = LocaleDirectionality::new_common();
    match lang.as_str().parse::<LanguageIdentifier>() {
        Ok(id) if DIRECTIONS.is_right_to_left(&id) => "rtl",
        _ => "ltr",
    }
}
