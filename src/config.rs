//! `observatory.toml`: the site's languages, fallback chains, theme, base URL and
//! Markdown policy. Read once per build, before any content.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Source, closest_lang};
use crate::spanned::{Fields, Spanned, parse};
use crate::types::{Lang, is_slug};

/// What happens to raw HTML written inside Markdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawHtml {
    Escape,
    Sanitize,
    Trust,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub title: BTreeMap<Lang, String>,
    pub description: BTreeMap<Lang, String>,
    pub base_url: String,
    pub default_language: Lang,
    pub languages: Vec<Lang>,
    pub theme: String,
    /// Per language, the languages to try when a record is missing in it.
    pub fallback: BTreeMap<Lang, Vec<Lang>>,
    pub fallback_default: Vec<Lang>,
    pub raw_html: RawHtml,
    /// Per language, the locale its dates are formatted in when not the language's
    /// own (`date_locale = { en = "en-GB" }`): a regional variant of the language.
    pub date_locale: BTreeMap<Lang, Lang>,
    /// The output folder inside the site folder (`public`): the one place inside the
    /// site a build may write, and the default of `--out`.
    pub output_dir: String,
    /// Per language, its whole fallback order (see [`Config::chain`]); computed once.
    chains: BTreeMap<Lang, Vec<Lang>>,
}

pub const CONFIG_FILE: &str = "observatory.toml";
pub const DEFAULT_OUTPUT_DIR: &str = "public";

/// The folders and files of a site that limes reads: an output folder may not be, hold
/// or lie inside one of them.
pub const SITE_INPUTS: &[&str] = &["content", "themes", "templates", "i18n", CONFIG_FILE];

/// Why `dir` cannot be the output folder inside the site, if it cannot: it must be a
/// relative path of plain names, apart from every input of the site.
fn check_output_dir(dir: &str) -> Result<(), String> {
    let parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
    if dir.is_empty()
        || dir.contains('\\')
        || parts
            .iter()
            .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains('\0'))
    {
        return Err(
            "is not a folder inside the site (write a relative path of plain names)".into(),
        );
    }
    if SITE_INPUTS.contains(&parts[0]) {
        return Err(format!("would overwrite the site's own {}", parts[0]));
    }
    Ok(())
}

impl Config {
    /// Checks the text of `observatory.toml` (`src`); `has_theme` says whether a theme
    /// of that name is installed. Returns the settings with the problems found in them
    /// (the build fails if there are any), or only the problems when the site's
    /// languages cannot be known.
    pub fn parse(
        src: Source,
        has_theme: impl Fn(&str) -> bool,
    ) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let Some(table) = parse(&src, &src.text, 0, &mut diags) else {
            return Err(diags);
        };
        let mut f = Fields::new(&src, &table, "observatory.toml");

        let languages: Vec<Spanned<String>> =
            match f.opt_str_list("languages", "[\"en\", \"fr\"]", &mut diags) {
                Some(l) => l,
                None => {
                    if table.get("languages").is_none() {
                        diags.push(
                            src.error(0..0, "observatory.toml does not list the site's languages")
                                .help("add a line like: languages = [\"en\", \"fr\"]"),
                        );
                    }
                    Vec::new()
                }
            };
        let mut langs: Vec<Lang> = Vec::new();
        for l in &languages {
            match Lang::parse(&l.value) {
                Some(lang) if langs.contains(&lang) => diags.push(
                    src.error(
                        l.span.clone(),
                        format!("language `{}` is listed twice", l.value),
                    )
                    .help("list each language once"),
                ),
                Some(lang) => langs.push(lang),
                None => {
                    let d = src.error(
                        l.span.clone(),
                        format!("`{}` is not a BCP 47 language code", l.value),
                    );
                    diags.push(match Lang::normalize(&l.value) {
                        Some(n) => d.help(format!("did you mean `{n}`? BCP 47 codes are written like \"en\", \"sr-Latn\", \"pt-BR\"")),
                        None => d.help("use codes like \"en\", \"sl\", \"sr-Latn\", \"pt-BR\""),
                    });
                }
            }
        }
        if languages.is_empty() && table.get("languages").is_some() {
            diags.push(
                src.error(
                    table.get("languages").unwrap().node.span.clone(),
                    "the site needs at least one language",
                )
                .help("write it like: languages = [\"en\"]"),
            );
        }

        let check_lang = |s: &Spanned<String>, diags: &mut Vec<Diagnostic>| -> Option<Lang> {
            match Lang::parse(&s.value) {
                Some(l) if langs.contains(&l) => Some(l),
                _ => {
                    let mut d = src.error(
                        s.span.clone(),
                        format!("`{}` is not one of the site's languages", s.value),
                    );
                    d = match closest_lang(&s.value, langs.iter().map(Lang::as_str)) {
                        Some(c) if !langs.is_empty() => d.help(format!(
                            "did you mean `{c}`? the languages are listed in `languages`"
                        )),
                        _ => d.help(format!(
                            "the site's languages are {}; add `{}` to `languages` to publish it",
                            join(&langs),
                            s.value
                        )),
                    };
                    diags.push(d);
                    None
                }
            }
        };

        let default_language = match f.opt_str("default_language", &mut diags) {
            Some(s) => check_lang(&s, &mut diags),
            None => langs.first().cloned(),
        };

        let first = default_language
            .clone()
            .map(|l| l.as_str().to_string())
            .unwrap_or_else(|| "en".into());
        let lang_map =
            |key: &str, f: &mut Fields, diags: &mut Vec<Diagnostic>| -> BTreeMap<Lang, String> {
                let mut out = BTreeMap::new();
                for (l, text) in f.opt_lang_map(key, &first, diags).unwrap_or_default() {
                    let s = Spanned {
                        value: l,
                        span: text.span.clone(),
                    };
                    if let Some(lang) = check_lang(&s, diags) {
                        out.insert(lang, text.value);
                    }
                }
                out
            };
        let title = lang_map("title", &mut f, &mut diags);
        let description = lang_map("description", &mut f, &mut diags);
        if title.is_empty() && table.get("title").is_none() {
            diags.push(
                src.error(0..0, "observatory.toml has no `title`")
                    .help(format!(
                        "add a line like: title = {{ {first} = \"My observatory\" }}"
                    )),
            );
        }

        let base_url = match f.opt_str("base_url", &mut diags) {
            Some(s) => match check_base_url(&s.value) {
                Ok(v) => v,
                Err(problem) => {
                    diags.push(
                        src.error(
                            s.span.clone(),
                            format!("base_url `{}` {problem}", s.value),
                        )
                        .help("write it like: base_url = \"https://observatory.example.org\", or with the path the site is published under: \"https://example.org/observatory/\""),
                    );
                    // A placeholder, so that later steps still report their problems.
                    "http://127.0.0.1:1111".to_string()
                }
            },
            None => "http://127.0.0.1:1111".to_string(),
        };

        let theme = match f.opt_str("theme", &mut diags) {
            Some(s) => {
                if !is_slug(&s.value) {
                    diags.push(
                        src.error(
                            s.span.clone(),
                            format!("theme name `{}` is not a folder name", s.value),
                        )
                        .help("use lowercase letters, digits and `-`, like \"default\""),
                    );
                } else if !has_theme(&s.value) {
                    diags.push(
                        src.error(s.span.clone(), format!("there is no theme `{}`", s.value))
                            .help(format!(
                                "the theme's templates must be in themes/{}/templates/",
                                s.value
                            )),
                    );
                }
                s.value
            }
            None => "default".to_string(),
        };

        let output_dir = match f.opt_str("output_dir", &mut diags) {
            Some(s) => {
                if let Err(why) = check_output_dir(&s.value) {
                    diags.push(
                        src.error(s.span.clone(), format!("output_dir `{}` {why}", s.value))
                            .help("name a folder of its own inside the site, like \"public\" or \"dist\"; to build elsewhere, pass --out DIR"),
                    );
                }
                s.value
            }
            None => DEFAULT_OUTPUT_DIR.to_string(),
        };

        let mut fallback = BTreeMap::new();
        let mut fallback_default = Vec::new();
        if let Some(t) = f.opt_table(
            "fallback",
            "{ hr = [\"sl\", \"en\"], default = [\"en\"] }",
            &mut diags,
        ) {
            let mut ff = Fields::new(&src, t, "fallback");
            for e in &t.entries {
                let list = ff
                    .opt_str_list(&e.key, "[\"en\"]", &mut diags)
                    .unwrap_or_default();
                let chain: Vec<Lang> = list
                    .iter()
                    .filter_map(|s| check_lang(s, &mut diags))
                    .collect();
                if e.key == "default" {
                    fallback_default = chain;
                } else if let Some(l) = check_lang(
                    &Spanned {
                        value: e.key.clone(),
                        span: e.key_span.clone(),
                    },
                    &mut diags,
                ) {
                    fallback.insert(l, chain);
                }
            }
            ff.finish(&mut diags);
        }

        let mut date_locale = BTreeMap::new();
        if let Some(t) = f.opt_table("date_locale", "{ en = \"en-GB\" }", &mut diags) {
            let mut df = Fields::new(&src, t, "date_locale");
            for e in &t.entries {
                let Some(v) = df.opt_str(&e.key, &mut diags) else {
                    continue;
                };
                let lang = check_lang(
                    &Spanned {
                        value: e.key.clone(),
                        span: e.key_span.clone(),
                    },
                    &mut diags,
                );
                let example = "en = \"en-GB\"";
                match (lang, Lang::parse(&v.value)) {
                    (_, None) => {
                        let d = src.error(
                            v.span.clone(),
                            format!("`{}` is not a BCP 47 locale code", v.value),
                        );
                        diags.push(match Lang::normalize(&v.value) {
                            Some(n) => d.help(format!("did you mean `{n}`? a date locale is the language with a region, like {example} or en = \"en-150\" (English as written in Europe)")),
                            None => d.help(format!("a date locale is the language with a region, like {example} or en = \"en-150\" (English as written in Europe)")),
                        });
                    }
                    (Some(lang), Some(loc)) => {
                        let base = |l: &str| l.split('-').next().unwrap_or("").to_string();
                        if base(loc.as_str()) != base(lang.as_str()) {
                            diags.push(
                                src.error(
                                    v.span.clone(),
                                    format!(
                                        "the date locale of `{lang}` is `{loc}`, which is not a variant of `{lang}`"
                                    ),
                                )
                                .help(format!("a date locale formats the dates of a language as one region writes them: it starts with the language's code, like {example}")),
                            );
                        } else {
                            date_locale.insert(lang, loc);
                        }
                    }
                    (None, Some(_)) => {}
                }
            }
            df.finish(&mut diags);
        }

        let mut raw_html = RawHtml::Escape;
        if let Some(t) = f.opt_table("markdown", "{ raw_html = \"escape\" }", &mut diags) {
            let mut mf = Fields::new(&src, t, "[markdown]");
            if let Some(s) = mf.opt_str("raw_html", &mut diags) {
                raw_html = match s.value.as_str() {
                    "escape" => RawHtml::Escape,
                    "sanitize" => RawHtml::Sanitize,
                    "trust" => RawHtml::Trust,
                    other => {
                        diags.push(
                            src.error(s.span.clone(), format!("unknown raw_html policy `{other}`"))
                                .help("use \"escape\" (the default), \"sanitize\" or \"trust\""),
                        );
                        RawHtml::Escape
                    }
                };
            }
            mf.finish(&mut diags);
        }
        f.finish(&mut diags);

        // With its languages known, the rest of the site can still be checked, so that
        // one build reports every problem; without them, nothing else can be.
        let config = default_language
            .map(|default_language| Config {
                title,
                description,
                base_url,
                default_language,
                languages: langs,
                theme,
                fallback,
                fallback_default,
                raw_html,
                date_locale,
                output_dir,
                chains: BTreeMap::new(),
            })
            .map(Config::with_chains);
        match config {
            Some(c) if !c.languages.is_empty() => Ok((c, diags)),
            _ => Err(diags),
        }
    }

    fn with_chains(mut self) -> Self {
        self.chains = self
            .languages
            .iter()
            .map(|l| (l.clone(), self.compute_chain(l)))
            .collect();
        self
    }

    fn compute_chain(&self, lang: &Lang) -> Vec<Lang> {
        let mut out: Vec<Lang> = vec![lang.clone()];
        let listed = self.fallback.get(lang).unwrap_or(&self.fallback_default);
        for l in listed
            .iter()
            .chain(std::iter::once(&self.default_language))
            .chain(&self.languages)
        {
            if !out.contains(l) {
                out.push(l.clone());
            }
        }
        out
    }

    /// The languages to try, in order, for a reader of `lang`: the language itself, its
    /// chain (or the default chain), the default language, then every other language.
    pub fn chain(&self, lang: &Lang) -> &[Lang] {
        self.chains
            .get(lang)
            .map(Vec::as_slice)
            .unwrap_or(&self.languages)
    }

    /// The path part of the base URL (`/obs` for `https://x.org/obs`), without a
    /// trailing slash; empty for a site at the root of its host.
    pub fn base_path(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or("");
        rest.find('/').map(|i| &rest[i..]).unwrap_or("")
    }

    /// The scheme and host of the base URL.
    pub fn origin(&self) -> &str {
        let bp = self.base_path().len();
        &self.base_url[..self.base_url.len() - bp]
    }

    /// A text in the reader's language or the first of its fallback chain that has one.
    pub fn pick<'a>(
        &self,
        map: &'a BTreeMap<Lang, String>,
        lang: &Lang,
    ) -> Option<(&'a Lang, &'a String)> {
        self.chain(lang).iter().find_map(|l| map.get_key_value(l))
    }
}

/// A base URL checked and without its trailing `/`: `http(s)://host[:port][/path]`,
/// where the path (the one the site is published under) is plain segments. Otherwise
/// what is wrong with it, to follow the URL in a message (`is not an http(s) address`).
pub fn check_base_url(url: &str) -> Result<String, &'static str> {
    let v = url.trim_end_matches('/');
    let Some(rest) = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
    else {
        return Err("is not an http(s) address");
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() {
        return Err("has no host name");
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("has a space or a control character");
    }
    if v.contains(['?', '#']) {
        return Err(
            "has a query or a fragment (`?`, `#`), which would end up inside every address",
        );
    }
    // A backslash reads as `/` to a browser (`/\host` is another host), `@` in the
    // host part names a user, and quotes and brackets do not belong in an address.
    if v.contains(['"', '<', '>', '\\']) || host.contains('@') {
        return Err("has a character that does not belong in an address");
    }
    // `https://x.org//a` would make every link `//a/...`: an address on another host.
    if path
        .split('/')
        .skip(1)
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err("has an empty, `.` or `..` segment in its path");
    }
    Ok(v.to_string())
}

fn join(langs: &[Lang]) -> String {
    langs
        .iter()
        .map(Lang::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn base_urls_with_and_without_a_path() {
        for (given, kept) in [
            ("https://example.org", "https://example.org"),
            ("https://example.org/", "https://example.org"),
            ("https://example.org/sub/", "https://example.org/sub"),
            ("https://user.github.io/repo", "https://user.github.io/repo"),
            ("http://127.0.0.1:1111", "http://127.0.0.1:1111"),
            ("http://[::1]:8080/a/b/", "http://[::1]:8080/a/b"),
        ] {
            assert_eq!(check_base_url(given).as_deref(), Ok(kept), "{given}");
        }
        for bad in [
            "example.org",
            "ftp://example.org",
            "https://",
            "https:///sub",
            "https://example.org/my site/",
            "https://example.org/sub?x=1",
            "https://example.org/#top",
            "https://example.org//sub/",
            "https://example.org/a/../b",
            "https://example.org/a\\b",
            "https://me@example.org/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad} accepted");
        }
    }
}
