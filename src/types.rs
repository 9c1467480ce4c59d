//! The leaf types of the site, validated once where they are read: a language tag, a
//! slug, a calendar date. Everything later takes them as given.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

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

/// A name checked once where it is read, then used as a string everywhere: it derefs
/// to `str`, and maps keyed by it are looked up with a `&str`.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The name if it is well-formed.
            pub fn parse(s: &str) -> Option<$name> {
                let check: fn(&str) -> bool = $check;
                check(s).then(|| $name(s.to_string()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
    };
}

name_type!(
    /// The slug of a practice, partner, page or border: lowercase ASCII letters,
    /// digits and single `-` between them (see [`is_slug`]).
    Slug,
    is_slug
);

name_type!(
    /// A territory id as the statistics write it (`FRJ15`, `AL-10`): ASCII letters,
    /// digits and `-`, not starting with `-`. Addresses use its lowercase form.
    TerritoryId,
    |s| !s.is_empty()
        && !s.starts_with('-')
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
);

name_type!(
    /// An indicator id, written like a slug.
    IndicatorId,
    is_slug
);

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
    fn names() {
        assert_eq!(Slug::parse("a-1").unwrap().as_str(), "a-1");
        assert!(Slug::parse("A").is_none());
        assert!(TerritoryId::parse("FRJ15").is_some());
        assert!(TerritoryId::parse("AL-10").is_some());
        assert!(TerritoryId::parse("-x").is_none());
        assert!(TerritoryId::parse("a b").is_none());
        let map: std::collections::BTreeMap<Slug, u8> =
            [(Slug::parse("x").unwrap(), 1)].into_iter().collect();
        assert_eq!(map.get("x"), Some(&1));
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
