//! Interface strings (`i18n/<lang>.toml`) and the language-dependent helpers the
//! renderers use: text fallback, sorting and number display.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;

use crate::config::{Config, Lang};
use crate::diagnostics::{Diagnostic, Source, closest};
use crate::load::toml::{Value, parse};

/// The interface strings of one language.
#[derive(Clone, Debug, Default)]
pub struct LangStrings {
    pub strings: BTreeMap<String, String>,
    /// Country names by ISO 3166-1 alpha-2 code, from the `[countries]` table.
    pub countries: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default)]
pub struct Strings {
    pub by_lang: BTreeMap<Lang, LangStrings>,
}

impl Strings {
    /// Reads `i18n/<lang>.toml` for every language of the site. A key that one file has
    /// and another lacks is an error naming both (a warning if `allow_missing`).
    pub fn load(root: &Path, config: &Config, allow_missing: bool) -> (Strings, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut out = Strings::default();
        let mut sources = BTreeMap::new();
        let mut spans: BTreeMap<(Lang, &str, String), std::ops::Range<usize>> = BTreeMap::new();
        for lang in &config.languages {
            let rel = format!("i18n/{lang}.toml");
            let text = match std::fs::read_to_string(root.join(&rel)) {
                Ok(t) => t,
                Err(_) => {
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
            let table = match parse(&src, &src.text, 0) {
                Ok(t) => t,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
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
                for (table, ours, theirs) in [
                    ("", &ls.strings, &reference.strings),
                    ("countries", &ls.countries, &reference.countries),
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
                        .keys()
                        .filter(|k| !ours.contains_key(*k))
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
                    for key in ours.keys().filter(|k| !theirs.contains_key(*k)) {
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
        let mut out = BTreeMap::new();
        for l in config.chain(lang).into_iter().rev() {
            if let Some(ls) = self.by_lang.get(l) {
                out.extend(ls.strings.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        out
    }

    /// A country's name in the reader's language or its fallback chain.
    pub fn country(&self, config: &Config, lang: &Lang, code: &str) -> Option<&str> {
        config
            .chain(lang)
            .into_iter()
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

    /// Does any language name this country?
    pub fn knows_country(&self, code: &str) -> bool {
        self.by_lang
            .values()
            .any(|l| l.countries.contains_key(code))
    }
}

/// Orders two texts for a listing in `lang`. Case-insensitive for now; the language's
/// own collation arrives with the locale-data layer.
pub fn compare(_lang: &Lang, a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// A number with a fixed count of decimals, for display in `lang`.
pub fn format_decimal(_lang: &Lang, value: f64, decimals: u8) -> String {
    format!("{value:.prec$}", prec = decimals as usize)
}

/// A whole or fractional number without trailing zeros.
pub fn format_number(lang: &Lang, value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let s = format_decimal(lang, value, 2);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Text direction of a language: right-to-left for the scripts written that way.
pub fn direction(lang: &Lang) -> &'static str {
    let code = lang.as_str();
    let primary = code.split('-').next().unwrap_or(code);
    let rtl_script = code.split('-').any(|s| {
        matches!(
            s,
            "Arab" | "Hebr" | "Thaa" | "Syrc" | "Nkoo" | "Adlm" | "Rohg"
        )
    });
    let latin_script = code.split('-').any(|s| matches!(s, "Latn" | "Cyrl"));
    let rtl_lang = matches!(
        primary,
        "ar" | "he" | "fa" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug" | "syr"
    );
    if rtl_script || (rtl_lang && !latin_script) {
        "rtl"
    } else {
        "ltr"
    }
}
