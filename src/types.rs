//! The leaf types of the site, validated once where they are read: a language tag, a
//! slug, a calendar date. Everything later takes them as given.

use std::fmt;

use serde::Serialize;

/// A BCP 47 language tag as the site lists it (`en`, `sr-Latn`, `pt-BR`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Lang(String);

impl Lang {
    /// Accepts a language subtag of 2–3 lowercase letters followed by optional script
    /// (4 letters) and region (2 letters or 3 digits) subtags.
    pub fn parse(s: &str) -> Option<Lang> {
        let mut parts = s.split('-');
        let lang = parts.next()?;
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        for p in parts {
            let ok = (p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()))
                || (p.len() == 2 && p.bytes().all(|b| b.is_ascii_uppercase()))
                || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                return None;
            }
        }
        Some(Lang(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The usual spelling of a tag written with `_` or in the wrong case
    /// (`fr_fr` → `fr-FR`, `SR-LATN` → `sr-Latn`), if that makes it valid.
    pub fn normalize(s: &str) -> Option<Lang> {
        let parts: Vec<String> = s
            .split(['-', '_'])
            .enumerate()
            .map(|(i, p)| match (i, p.len()) {
                (0, _) => p.to_lowercase(),
                (_, 4) => p[..1].to_uppercase() + &p[1..].to_lowercase(),
                _ => p.to_uppercase(),
            })
            .collect();
        Lang::parse(&parts.join("-")).filter(|l| l.0 != s)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar date as TOML writes it (`2017-09-01`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Lowercase ASCII letters, digits and single `-` between them.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        assert!(Lang::parse("en").is_some());
        assert!(Lang::parse("sr-Latn").is_some());
        assert!(Lang::parse("pt-BR").is_some());
        assert!(Lang::parse("EN").is_none());
        assert!(Lang::parse("e").is_none());
        assert!(Lang::parse("en_GB").is_none());
    }

    #[test]
    fn slugs() {
        assert!(is_slug("social-activation"));
        assert!(is_slug("a1"));
        assert!(!is_slug("Social"));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("../x"));
    }
}
