//! The address scheme of the site: every page and file a build writes has a [`Route`],
//! and [`Routes`] turns a route into its address in a language and its output file.
//! The only place that knows how addresses are spelled; everything else asks it.

use crate::config::Config;
use crate::types::Lang;

/// A facet of the practices: each term of it has a listing page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    Theme,
    TargetGroup,
    Country,
    Border,
    Status,
}

impl Facet {
    pub const ALL: [Facet; 5] = [
        Facet::Theme,
        Facet::TargetGroup,
        Facet::Country,
        Facet::Border,
        Facet::Status,
    ];

    /// The address segment, the same in every language.
    pub fn segment(self) -> &'static str {
        match self {
            Facet::Theme => "themes",
            Facet::TargetGroup => "target-groups",
            Facet::Country => "countries",
            Facet::Border => "borders",
            Facet::Status => "status",
        }
    }

    /// The name of the search filter (`?theme=employment`).
    pub fn param(self) -> &'static str {
        match self {
            Facet::Theme => "theme",
            Facet::TargetGroup => "target_group",
            Facet::Country => "country",
            Facet::Border => "border",
            Facet::Status => "status",
        }
    }

    /// The interface string naming the facet.
    pub fn label_key(self) -> &'static str {
        match self {
            Facet::Theme => "themes",
            Facet::TargetGroup => "target_groups",
            Facet::Country => "countries_label",
            Facet::Border => "borders",
            Facet::Status => "status",
        }
    }
}

/// A page or file of the site. Pages under `/<lang>/` have an address in every
/// language; the others ([`Route::Chooser`], [`Route::NotFound`], [`Route::Sitemap`],
/// [`Route::SitemapPart`],
/// [`Route::Robots`], [`Route::Asset`], [`Route::Data`]) have one address whatever the
/// language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route<'a> {
    /// `/`: the language chooser.
    Chooser,
    /// `/404.html`: the 404 page of every language.
    NotFound,
    /// `/<lang>/404.html`: the 404 page of one language.
    LangNotFound,
    /// `/sitemap.xml`: the sitemap, or the index of its parts when it is too large for
    /// one file.
    Sitemap,
    /// `/sitemap-<n>.xml` (from 1): one part of a sitemap too large for one file.
    SitemapPart(usize),
    Robots,
    /// A file published at the root, like `css/site.css`.
    Asset(&'a str),
    /// A file of the open data, `/data/<name>` (`practices.csv`, `datapackage.json`):
    /// the same for every language, since the records carry all their languages.
    /// `data` is four letters, so no language code (two or three) can take its place.
    Data(&'a str),
    Home,
    Practices,
    Partners,
    Territories,
    Practice(&'a str),
    Partner(&'a str),
    /// A free page, at `/<lang>/<slug>/`.
    Page(&'a str),
    Territory(&'a str),
    /// `/<lang>/indicators/`: every indicator.
    Indicators,
    /// `/<lang>/indicators/<id>/`: one indicator, every territory ranked.
    Indicator(&'a str),
    /// `/<lang>/compare/`: practices or territories side by side (the choice is in
    /// the query string).
    Compare,
    /// A file the comparison reads, `/<lang>/compare/<name>` (`p/<slug>.json`).
    CompareFile(&'a str),
    /// The index of a facet's terms.
    Facet(Facet),
    /// The practices of one term of a facet.
    Term(Facet, &'a str),
    Feed,
    /// `/<lang>/search/`: the search page.
    Search,
    /// A file of the search index of a language, `/<lang>/search/<name>`.
    SearchFile(&'a str),
}

/// Names under `/<lang>/` that the site's own routes use, or will: a free page, which
/// lives at `/<lang>/<slug>/`, cannot take one.
pub const RESERVED: &[&str] = &[
    "practices",
    "partners",
    "themes",
    "target-groups",
    "countries",
    "borders",
    "territories",
    "indicators",
    "status",
    "search",
    "compare",
    "data",
    "page",
    "static",
    "feed.xml",
    "404.html",
];

impl<'a> Route<'a> {
    /// The route an `@/kind/id` link in a body names, if `kind` is one.
    pub fn internal(kind: &str, id: &'a str) -> Option<Route<'a>> {
        Some(match kind {
            "practices" => Route::Practice(id),
            "partners" => Route::Partner(id),
            "pages" => Route::Page(id),
            "territories" => Route::Territory(id),
            "indicators" => Route::Indicator(id),
            "borders" => Route::Term(Facet::Border, id),
            _ => return None,
        })
    }

    /// Whether the route has an address per language.
    pub fn has_language(&self) -> bool {
        !matches!(
            self,
            Route::Chooser
                | Route::NotFound
                | Route::Sitemap
                | Route::SitemapPart(_)
                | Route::Robots
                | Route::Asset(_)
                | Route::Data(_)
        )
    }

    /// The address after the base path (and `/<lang>/` for pages of a language).
    fn path(&self) -> String {
        match *self {
            Route::Chooser | Route::Home => String::new(),
            Route::NotFound | Route::LangNotFound => "404.html".into(),
            Route::Sitemap => "sitemap.xml".into(),
            Route::SitemapPart(n) => format!("sitemap-{n}.xml"),
            Route::Robots => "robots.txt".into(),
            Route::Asset(p) => p.into(),
            Route::Data(name) => format!("data/{name}"),
            Route::Practices => "practices/".into(),
            Route::Partners => "partners/".into(),
            Route::Territories => "territories/".into(),
            Route::Practice(s) => format!("practices/{s}/"),
            Route::Partner(s) => format!("partners/{s}/"),
            Route::Page(s) => format!("{s}/"),
            // Territory ids and country codes may be written in capitals; addresses
            // are lowercase.
            Route::Territory(id) => format!("territories/{}/", id.to_lowercase()),
            Route::Indicators => "indicators/".into(),
            Route::Indicator(id) => format!("indicators/{id}/"),
            Route::Compare => "compare/".into(),
            Route::CompareFile(name) => format!("compare/{name}"),
            Route::Facet(f) => format!("{}/", f.segment()),
            Route::Term(Facet::Country, cc) => format!("countries/{}/", cc.to_lowercase()),
            Route::Term(f, term) => format!("{}/{term}/", f.segment()),
            Route::Feed => "feed.xml".into(),
            Route::Search => "search/".into(),
            Route::SearchFile(name) => format!("search/{name}"),
        }
    }
}

/// Addresses of the site, with the base path of `base_url` in front.
#[derive(Clone, Debug)]
pub struct Routes {
    base: String,
    origin: String,
}

impl Routes {
    pub fn new(config: &Config) -> Self {
        Routes {
            base: config.base_path().to_string(),
            origin: config.origin().to_string(),
        }
    }

    /// The address of `route` in `lang` (ignored by routes without a language), from
    /// the root of the host: `/obs/fr/practices/x/`.
    pub fn url(&self, lang: &Lang, route: Route) -> String {
        if route.has_language() {
            format!("{}/{lang}/{}", self.base, route.path())
        } else {
            format!("{}/{}", self.base, route.path())
        }
    }

    /// The address of page `n` (from 1) of a listing split into pages.
    pub fn page(&self, lang: &Lang, route: Route, n: usize) -> String {
        let first = self.url(lang, route);
        if n <= 1 {
            first
        } else {
            format!("{first}page/{n}/")
        }
    }

    /// The absolute form of an address, for sitemaps, feeds and alternates.
    pub fn absolute(&self, url: &str) -> String {
        format!("{}{url}", self.origin)
    }

    /// The output file of an address: `/obs/en/x/` → `en/x/index.html`.
    pub fn file_of(&self, url: &str) -> String {
        let rel = url
            .strip_prefix(&self.base)
            .unwrap_or(url)
            .trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
    }

    /// The output file of `route` in `lang`.
    pub fn file(&self, lang: &Lang, route: Route) -> String {
        self.file_of(&self.url(lang, route))
    }
}

/// `s` with its `%XX` escapes decoded, or `None` when an escape is malformed or the
/// bytes are not UTF-8 (addresses and fragments as a browser sends them).
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(base: &str) -> Routes {
        Routes {
            base: base.into(),
            origin: "https://x.org".into(),
        }
    }

    #[test]
    fn addresses_and_files() {
        let r = routes("/obs");
        let fr = Lang::parse("fr").unwrap();
        assert_eq!(r.url(&fr, Route::Practice("a")), "/obs/fr/practices/a/");
        assert_eq!(
            r.file(&fr, Route::Practice("a")),
            "fr/practices/a/index.html"
        );
        assert_eq!(
            r.url(&fr, Route::Territory("FRJ15")),
            "/obs/fr/territories/frj15/"
        );
        assert_eq!(
            r.url(&fr, Route::Term(Facet::Country, "SI")),
            "/obs/fr/countries/si/"
        );
        assert_eq!(r.url(&fr, Route::Chooser), "/obs/");
        assert_eq!(r.file(&fr, Route::Chooser), "index.html");
        assert_eq!(r.file(&fr, Route::Feed), "fr/feed.xml");
        assert_eq!(r.file(&fr, Route::Sitemap), "sitemap.xml");
        assert_eq!(r.file(&fr, Route::SitemapPart(2)), "sitemap-2.xml");
        assert_eq!(r.url(&fr, Route::SitemapPart(12)), "/obs/sitemap-12.xml");
        assert_eq!(r.page(&fr, Route::Practices, 1), "/obs/fr/practices/");
        assert_eq!(
            r.page(&fr, Route::Practices, 3),
            "/obs/fr/practices/page/3/"
        );
        assert_eq!(
            r.absolute(&r.url(&fr, Route::Home)),
            "https://x.org/obs/fr/"
        );
        assert_eq!(routes("").url(&fr, Route::Home), "/fr/");
    }

    #[test]
    fn open_data_is_outside_every_language() {
        let r = routes("/obs");
        let fr = Lang::parse("fr").unwrap();
        let csv = Route::Data("practices.csv");
        assert_eq!(r.url(&fr, csv), "/obs/data/practices.csv");
        assert_eq!(r.file(&fr, csv), "data/practices.csv");
        assert_eq!(
            r.url(&fr, csv),
            r.url(&Lang::parse("en").unwrap(), csv),
            "one address whatever the language"
        );
        // The folder sits beside the language folders: no language can be called so.
        assert!(Lang::parse("data").is_none());
    }
}
