//! Rendering: pure functions from the site graph and a language to output files.
//! Builds the template environment once, lists every page of every language, renders
//! them in parallel and adds the sitemap (with hreflang alternates), the Atom feed of
//! each language, robots.txt and static files. Templates see only plain serialisable
//! context (documented in themes/default/README.md).

mod chart;
mod context;
mod feed;
mod map;
mod pages;
mod sitemap;

use std::collections::BTreeMap;

use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error as TemplateError, ErrorKind, State, UndefinedBehavior};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Source};
use crate::input::StaticFile;
use crate::model::{Indicator, Page, Partner, Practice, Site, Territory};
use crate::output::Plan;
use crate::progress::Progress;
use crate::types::Lang;

pub use crate::routes::{Facet, Route, Routes};
pub use context::Shared;

/// Practices per listing page before the list is split into pages.
pub const PER_PAGE: usize = 50;

/// One HTML page to render.
#[derive(Clone, Debug)]
pub(crate) enum Job<'a> {
    Chooser,
    NotFound,
    /// The 404 page of one language.
    LangNotFound(&'a Lang),
    Home(&'a Lang),
    Practice(&'a Lang, &'a Practice),
    Partner(&'a Lang, &'a Partner),
    Page(&'a Lang, &'a Page),
    Practices(&'a Lang),
    Partners(&'a Lang),
    /// The index of one facet (`themes`, `target-groups`, `countries`, `borders`, `status`).
    Facet(&'a Lang, Facet),
    /// The practices of one term of a facet.
    Term(&'a Lang, Facet, String),
    Territories(&'a Lang),
    Territory(&'a Lang, &'a Territory),
    Indicators(&'a Lang),
    Indicator(&'a Lang, &'a Indicator),
    Compare(&'a Lang),
    Search(&'a Lang),
}

/// A page rendered: its file and its entry in the sitemap.
pub(crate) struct Rendered {
    /// Relative to the output root.
    pub path: String,
    pub bytes: Vec<u8>,
    /// `None` keeps the page out of the sitemap.
    pub sitemap: Option<SitemapUrl>,
    /// Set when this is one entry of a file shared by several pages' jobs (the
    /// comparison's buckets of practices): `bytes` is the entry's JSON, `path` the
    /// shared file, this its key in it.
    pub entry: Option<String>,
}

/// One `<url>` of the sitemap: the page's absolute address and its hreflang
/// alternates, `(hreflang, absolute href)`, the same list as the page's
/// `<link rel="alternate" hreflang>` (the languages its content exists in, then
/// `x-default`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SitemapUrl {
    pub loc: String,
    pub alternates: Vec<(String, String)>,
}

/// Builds the template environment from the theme's templates as loaded (the site's
/// own over the theme's), each compiled once: a template that does not compile is a
/// diagnostic at its file and line.
pub fn environment(site: &Site) -> Result<Environment<'static>, Vec<Diagnostic>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    // A block tag alone on its line leaves no blank line behind.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    // HTML escaping of what templates print, as minijinja's but for `/`, which needs
    // none in text or a quoted attribute (`&#x2f;` made every address five bytes per
    // slash longer).
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() => {
            out.write_str(&html_escape(s)).map_err(TemplateError::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env.add_filter("fill", fill);
    // `t.practice_count | count(12)`: the plural form of the count in the page's
    // language (CLDR rules), with `{n}` replaced by the number in its format.
    let locales = site.strings.locales.clone();
    env.add_filter(
        "count",
        move |state: &State, forms: Value, n: i64| -> Result<String, TemplateError> {
            let lang = state
                .lookup("site")
                .and_then(|s| s.get_attr("lang").ok())
                .and_then(|l| l.as_str().and_then(Lang::parse));
            let locale = lang.and_then(|l| locales.get(&l)).ok_or_else(|| {
                TemplateError::new(ErrorKind::InvalidOperation, "count needs site.lang")
            })?;
            let n_abs = n.unsigned_abs();
            let form = match forms.as_str() {
                Some(s) => s.to_string(),
                None => {
                    let pick = |c: &str| {
                        forms
                            .get_attr(c)
                            .ok()
                            .filter(|v| !v.is_undefined())
                            .and_then(|v| v.as_str().map(str::to_string))
                    };
                    pick(locale.plural(n_abs))
                        .or_else(|| pick("other"))
                        .ok_or_else(|| {
                            TemplateError::new(
                                ErrorKind::InvalidOperation,
                                "count needs a plural string from t",
                            )
                        })?
                }
            };
            Ok(form.replace("{n}", &locale.number(n as f64)))
        },
    );
    let mut diags = Vec::new();
    for (name, template) in &site.theme.templates {
        if let Err(e) = env.add_template_owned(name.clone(), template.text.clone()) {
            diags.push(template_diagnostic(site, &e));
        }
    }
    if diags.is_empty() {
        Ok(env)
    } else {
        Err(diags)
    }
}

/// Text or a quoted attribute value for HTML: `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) fn html_escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `"Page {page} of {pages}" | fill(page=1, pages=3)`: puts values into a string's
/// `{name}` places, in one pass (a value's own braces are left alone). When a value is markup (a link
/// list, `<time>`: a `{% set %}` block or a macro's output), the string and the other
/// values are escaped and the markup put in as it is, so that the punctuation around
/// it stays in the string ("{label}\u{a0}: {value}").
fn fill(s: String, kwargs: Kwargs) -> Result<Value, TemplateError> {
    let mut values = BTreeMap::new();
    for key in kwargs.args() {
        let v: Value = kwargs.get(key)?;
        values.insert(key.to_string(), v);
    }
    kwargs.assert_all_used()?;
    let html = values.values().any(Value::is_safe);
    let text = |t: &str| match html {
        true => html_escape(t).into_owned(),
        false => t.to_string(),
    };
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&text(&rest[..open]));
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, values.get(&after[..close])?)))
        {
            Some((close, v)) => {
                let shown = v.to_string();
                out.push_str(&if v.is_safe() { shown } else { text(&shown) });
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(&text(rest));
    Ok(match html {
        true => Value::from_safe_string(out),
        false => Value::from(out),
    })
}

/// Turns a template error into a diagnostic at the template file and line.
fn template_diagnostic(site: &Site, err: &TemplateError) -> Diagnostic {
    let name = err.name().unwrap_or("?");
    let mut msg = err.kind().to_string();
    if let Some(detail) = err.detail() {
        msg = format!("{msg}: {detail}");
    }
    let msg = format!("template error: {msg}");
    let d = match site.theme.templates.get(name) {
        Some(t) => {
            let src = Source::new(t.rel.clone(), t.text.clone());
            match (err.range(), err.line()) {
                (Some(range), _) => src.error(range, msg),
                (None, Some(line)) => src.error_at_line(line, msg),
                (None, None) => Diagnostic::file(t.rel.clone(), msg),
            }
        }
        None => Diagnostic::file(
            format!("themes/{}/templates/{name}", site.config.theme),
            msg,
        ),
    };
    d.help("fix the template; templates see the context documented in themes/default/README.md")
}

/// What must hold before anything is rendered, shared by every command that loads a
/// site: the interface strings the code reads exist in every language, and every
/// template compiles. Gives the template environment.
pub fn prepare(site: &Site) -> Result<Environment<'static>, Vec<Diagnostic>> {
    let keys = check_code_keys(site);
    match environment(site) {
        Ok(env) if keys.is_empty() => Ok(env),
        Ok(_) => Err(keys),
        Err(mut diags) => {
            diags.extend(keys);
            Err(diags)
        }
    }
}

/// Every HTML page of every language, rendered in parallel into `plan`. Returns the
/// sitemap's entries.
/// How many page jobs [`pages`] runs (a job may write several files: the pages of a
/// long listing, the data its page's script reads).
pub fn page_count(site: &Site) -> usize {
    jobs(site).len()
}

/// Renders every page of every language in parallel, telling `progress` of each job
/// done; returns the sitemap's entries.
pub fn pages(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    plan: &Plan,
    progress: &dyn Progress,
) -> Vec<SitemapUrl> {
    plan.add(
        shared.urls.file(
            &site.config.default_language,
            Route::Asset(&pages::compare_script_path()),
        ),
        pages::compare_script().to_vec(),
    );
    // Each page goes into the plan as soon as it is rendered (streaming, onto disk);
    // only the sitemap's entries and the entries of shared files are kept.
    type Kept = (Vec<SitemapUrl>, Vec<(String, String, Vec<u8>)>);
    let results: Vec<Result<Kept, Diagnostic>> = jobs(site)
        .par_iter()
        .map(|job| {
            let rendered =
                pages::render(site, env, shared, job).map_err(|e| template_diagnostic(site, &e));
            progress.advance(1);
            let mut kept: Kept = (Vec::new(), Vec::new());
            for p in rendered? {
                kept.0.extend(p.sitemap);
                match p.entry {
                    Some(key) => kept.1.push((p.path, key, p.bytes)),
                    None => plan.add(p.path, p.bytes),
                }
            }
            Ok(kept)
        })
        .collect();
    let mut sitemap = Vec::new();
    let mut diags = Vec::new();
    let mut shared_files: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
    for r in results {
        match r {
            Ok((urls, entries)) => {
                sitemap.extend(urls);
                for (path, key, bytes) in entries {
                    shared_files.entry(path).or_default().insert(key, bytes);
                }
            }
            Err(d) => diags.push(d),
        }
    }
    // A JSON object of the entries, by key.
    for (path, entries) in shared_files {
        let mut bytes = b"{".to_vec();
        for (i, (key, json)) in entries.iter().enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            bytes.extend(serde_json::to_vec(key).unwrap_or_default());
            bytes.push(b':');
            bytes.extend(json);
        }
        bytes.push(b'}');
        plan.add(path, bytes);
    }
    plan.report(diags);
    sitemap
}

/// The pages of the given records in every language (their files and bytes), as
/// [`pages`] renders them, without what they add to files shared with other pages
/// (the comparison's data, which does not read bodies).
pub fn record_pages(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    records: &std::collections::BTreeSet<(crate::input::RecordKind, String)>,
) -> Result<Vec<(String, Vec<u8>)>, crate::diagnostics::Diagnostics> {
    use crate::input::RecordKind;
    let wanted = |job: &Job| match job {
        Job::Practice(_, p) => records.contains(&(RecordKind::Practice, p.slug.to_string())),
        Job::Partner(_, p) => records.contains(&(RecordKind::Partner, p.slug.to_string())),
        Job::Page(_, p) => records.contains(&(RecordKind::Page, p.slug.to_string())),
        _ => false,
    };
    let jobs: Vec<Job> = jobs(site).into_iter().filter(wanted).collect();
    let results: Vec<Result<Vec<Rendered>, Diagnostic>> = jobs
        .par_iter()
        .map(|job| pages::render(site, env, shared, job).map_err(|e| template_diagnostic(site, &e)))
        .collect();
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(pages) => out.extend(
                pages
                    .into_iter()
                    .filter(|p| p.entry.is_none())
                    .map(|p| (p.path, p.bytes)),
            ),
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(crate::diagnostics::Diagnostics(diags).sorted())
    }
}

/// The file name of limes's comparison script: it gives what is added to a page
/// later (a new `<main>` in the preview, search results) its toggles.
pub fn compare_script_name() -> String {
    let path = pages::compare_script_path();
    path.rsplit('/').next().unwrap_or(&path).to_string()
}

/// `/sitemap.xml`: every original page with its language alternates; when they are
/// too many for one file, the index of `/sitemap-<n>.xml` parts (see [`sitemap::each_file`]).
pub fn sitemap(site: &Site, shared: &Shared, mut urls: Vec<SitemapUrl>, plan: &Plan) {
    urls.sort();
    let (routes, lang) = (&shared.urls, &site.config.default_language);
    let part_url = |n| routes.absolute(&routes.url(lang, Route::SitemapPart(n)));
    let (max_urls, max_bytes) = (sitemap::MAX_URLS, sitemap::MAX_BYTES);
    sitemap::each_file(&urls, part_url, max_urls, max_bytes, |n, xml| {
        let route = match n {
            0 => Route::Sitemap,
            n => Route::SitemapPart(n),
        };
        plan.add(routes.file(lang, route), xml.into_bytes());
    });
}

/// `/<lang>/feed.xml` for every language.
pub fn feeds(site: &Site, shared: &Shared, plan: &Plan) {
    for lang in &site.config.languages {
        let (path, bytes) = feed::feed(site, shared, lang);
        plan.add(path, bytes);
    }
}

/// `/robots.txt`, pointing at the sitemap.
pub fn robots(site: &Site, shared: &Shared, plan: &Plan) {
    let (urls, lang) = (&shared.urls, &site.config.default_language);
    let sitemap = urls.absolute(&urls.url(lang, Route::Sitemap));
    plan.add(
        urls.file(lang, Route::Robots),
        format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n").into_bytes(),
    );
}

/// Interface strings the renderers read themselves (templates' own keys are checked
/// as they render): page titles, breadcrumbs and the labels of facts.
const CODE_KEYS: &[&str] = &[
    "language_name",
    "home",
    "practices",
    "partners",
    "territories",
    "indicators",
    "chart_description",
    "ranking_description",
    "not_available",
    "indicator",
    "summary",
    "period",
    "period_since",
    "period_until",
    "list_separator",
    "part_separator",
    "aside",
    "date_range",
    "year_range",
    "border",
    "programme",
    "budget",
    "results",
    "transferability",
    "compare",
    "compare_toggle",
    "compare_toggle_named",
    "compare_link",
    "compare_removed",
    "compare_full",
    "compare_over",
    "compare_one_more",
    "compare_added",
    "compare_cleared",
    "compare_practices_title",
    "compare_territories_title",
    "compare_remove",
    "compare_remove_short",
    "compare_differs",
    "compare_download",
    "compare_unknown",
    "compare_field",
    "compare_common_year",
    "compare_no_common_year",
    "compare_choose_territories",
    "compare_to_listings",
    "compare_removed_territory",
    "compare_added_territory",
    "all_practices",
    "choose_language",
    "not_found_title",
    "themes",
    "target_groups",
    "countries_label",
    "borders",
    "status",
    "status_planned",
    "status_ongoing",
    "status_completed",
    "transferability_low",
    "transferability_medium",
    "transferability_high",
];

/// Every language must give the strings the code uses, so that no title or label is
/// left silently empty.
fn check_code_keys(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for lang in &site.config.languages {
        let table = site.strings.table(&site.config, lang);
        for key in CODE_KEYS.iter().filter(|k| !table.contains_key(**k)) {
            diags.push(
                Diagnostic::file(format!("i18n/{lang}.toml"), format!("missing interface string `{key}` for `{lang}`, which limes needs for every page"))
                    .help(format!("add {key} = \"...\" (see i18n/en.toml of the limes repository for its meaning)")),
            );
        }
    }
    diags
}

/// The pages, in a stable order.
fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::Chooser, Job::NotFound];
    for l in &site.config.languages {
        jobs.extend([
            Job::Home(l),
            Job::LangNotFound(l),
            Job::Practices(l),
            Job::Partners(l),
            Job::Territories(l),
            Job::Search(l),
        ]);
        jobs.extend(site.practices.iter().map(|p| Job::Practice(l, p)));
        jobs.extend(site.partners.iter().map(|p| Job::Partner(l, p)));
        jobs.extend(site.pages.iter().map(|p| Job::Page(l, p)));
        jobs.extend(site.territories.iter().map(|t| Job::Territory(l, t)));
        jobs.push(Job::Indicators(l));
        jobs.push(Job::Compare(l));
        jobs.extend(site.indicators.iter().map(|i| Job::Indicator(l, i)));
        for facet in Facet::ALL {
            jobs.push(Job::Facet(l, facet));
            for term in crate::view::facet_terms(site, facet) {
                jobs.push(Job::Term(l, facet, term));
            }
        }
    }
    jobs
}

/// Text or an attribute value for XML: the five markup characters escaped, and the
/// characters XML 1.0 does not allow (C0 controls other than tab and line ends,
/// U+FFFE, U+FFFF) left out, so that the document stays well-formed whatever the
/// content holds.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The theme's `static/` then the site's `content/static/`, published at the root of
/// the site; the site's file wins over the theme's of the same name, but no static file
/// may take the place of a generated one (the plan reports it). Added last.
pub fn statics(site: &Site, plan: &Plan) {
    let mut statics: BTreeMap<&str, &StaticFile> = BTreeMap::new();
    for s in site.theme.statics.iter().chain(&site.statics) {
        statics.insert(&s.to, s);
    }
    for (to, s) in statics {
        plan.copy(to, s.from.clone(), s.rel.clone());
    }
}
