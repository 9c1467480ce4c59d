//! limes: a static site generator for multilingual cross-border good-practice
//! observatories.
//!
//! The pipeline, in a few lines ([`build`]): read the settings, load every file of
//! `content/` ([`load`]), resolve them into one typed site graph ([`model::Site`]),
//! render every page of every language from it ([`render`]), and write the output
//! plan into a staging folder that replaces the output at the end ([`output`]).

pub mod check;
pub mod config;
pub mod diagnostics;
pub mod geo;
pub mod i18n;
pub mod incremental;
pub mod input;
pub mod load;
pub mod markdown;
pub mod model;
pub mod open_data;
pub mod output;
pub mod progress;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod spanned;
pub mod static_check;
pub mod status;
pub mod text;
pub mod types;
pub mod view;

use std::path::{Path, PathBuf};
use std::time::Instant;

use config::Config;
use diagnostics::{Diagnostic, Diagnostics};
use minijinja::Environment;
use model::Site;
use output::{OutputFile, Plan, WriteError};
use progress::{Phase, Progress, Silent, Timer};
use types::Lang;

/// What a build is asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` of observatory.toml.
    pub base_url: Option<String>,
    /// Missing interface strings are warnings (filled from the fallback chain).
    pub allow_missing_strings: bool,
    /// Replace a non-empty output folder even if limes did not write it.
    pub force: bool,
    /// Publish the translations that say `draft = true` (`limes serve`); by default
    /// they are checked but left out of the site.
    pub drafts: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    /// HTML pages written, all languages together.
    pub pages: usize,
    /// HTML pages of each language, in the site's order of languages; the pages that
    /// belong to none (the language chooser, 404.html) are `pages` less their sum.
    pub pages_by_language: Vec<(Lang, usize)>,
    /// Every file written, pages included.
    pub files: usize,
    pub warnings: Diagnostics,
    pub millis: u128,
    /// Leftovers of interrupted builds that were removed first.
    pub cleaned: Vec<PathBuf>,
    /// Nothing the build reads had changed since the build that wrote the output, nor
    /// had the output: nothing was rendered or written.
    pub unchanged: bool,
}

/// Why a build failed, and whether the output is still the previous one.
#[derive(Debug)]
pub struct BuildError {
    pub diagnostics: Diagnostics,
    /// False only when writing failed half-way through replacing the output (the
    /// diagnostics say where the previous output is).
    pub output_untouched: bool,
}

impl From<Diagnostics> for BuildError {
    fn from(diagnostics: Diagnostics) -> Self {
        BuildError {
            diagnostics,
            output_untouched: true,
        }
    }
}

/// Loads and resolves the site under `opts.root`: everything but rendering.
pub fn load_site(opts: &BuildOptions) -> Result<(Site, Diagnostics), Diagnostics> {
    load(opts, None, &Silent).map(|(site, _, diags)| (site, diags))
}

/// The output folder a build of `opts` writes: `--out`, else `<root>/<output_dir>`.
pub fn output_folder(opts: &BuildOptions, config: &Config) -> PathBuf {
    opts.out
        .clone()
        .unwrap_or_else(|| opts.root.join(&config.output_dir))
}

/// [`load_site`], and when `target` is given, the check of the output folder (its
/// problems are reported with the content's; the checked folder goes in `target`): a
/// build, which then has no use for the record files once the graph is checked, so the
/// graph takes their bodies and `site.sources.records` is left empty.
fn load(
    opts: &BuildOptions,
    target: Option<&mut Option<PathBuf>>,
    progress: &dyn Progress,
) -> Result<(Site, Environment<'static>, Diagnostics), Diagnostics> {
    let root = &opts.root;
    let keep_sources = target.is_none();
    let timer = Timer::start(progress, Phase::Load, None);
    let (mut config, mut diags) = load::read_config(root).map_err(|d| Diagnostics(d).sorted())?;
    if let Some(url) = &opts.base_url {
        match config::check_base_url(url) {
            Ok(url) => config.base_url = url,
            Err(problem) => diags.push(
                Diagnostic::file("--base-url", format!("`{url}` {problem}")).help(
                    "give the address the site is published at, like --base-url https://example.org/ or, under a path, --base-url https://example.org/observatory/",
                ),
            ),
        }
    }
    if let Some(target) = target {
        let out = output_folder(opts, &config);
        let own = root.join(&config.output_dir);
        match output::check_target(root, &out, &own, opts.force) {
            Ok(dir) => *target = Some(dir),
            Err(d) => diags.push(d),
        }
    }
    let (strings, ds) = load::read_strings(root, &config, opts.allow_missing_strings);
    diags.extend(ds);
    let (loaded, ds) = load::load_content(root, &config);
    diags.extend(ds);
    timer.end(files_read(&config, &loaded));
    let timer = Timer::start(progress, Phase::Resolve, None);
    let Some(site) = model::resolve(
        root,
        config,
        strings,
        loaded,
        opts.drafts,
        keep_sources,
        &mut diags,
    ) else {
        return Err(Diagnostics(diags).sorted());
    };
    let env = render::prepare(&site).map_err(|ds| diags.extend(ds));
    timer.end(site.practices.len() + site.partners.len() + site.pages.len());
    let all = Diagnostics(diags).sorted();
    match env {
        Ok(env) if !all.has_errors() => Ok((site, env, all)),
        _ => Err(all),
    }
}

/// Renders every file of the site into an output plan: each line one renderer.
pub fn render(site: &Site, env: &Environment<'static>) -> Result<Vec<OutputFile>, Diagnostics> {
    render_with(site, env, &Silent)
}

/// [`render`], telling `progress` of each phase.
pub fn render_with(
    site: &Site,
    env: &Environment<'static>,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, Diagnostics> {
    render_parts(site, env, progress, |views, sink| {
        search::files(site, views, None, sink)
    })
    .map(|(files, _, _)| files)
}

/// Where the search index's files go as each language's are made: the language (the
/// script's under `None`) and its files by path. One language's files are held at a time.
pub(crate) type SearchSink<'a> = &'a mut dyn FnMut(Option<Lang>, Vec<(String, Vec<u8>)>);

/// [`render_with`], with the search index made by `search` from the views (the one
/// renderer that reads every practice's body, so the one that an edit of a body
/// changes beyond the record's own pages; see [`incremental`]): the files, the paths
/// of the search index's files by language, and the values the pages were rendered
/// with.
pub(crate) fn render_parts(
    site: &Site,
    env: &Environment<'static>,
    progress: &dyn Progress,
    search: impl FnOnce(&view::Views, SearchSink),
) -> Result<(Vec<OutputFile>, SearchPaths, render::Shared), Diagnostics> {
    let plan = Plan::default();
    let (search_paths, shared) = render_into(site, env, progress, search, &plan);
    let files = plan.finish().map_err(|d| Diagnostics(d).sorted())?;
    Ok((files, search_paths, shared))
}

/// Renders every file of the site into `plan` (in memory, or streaming into the
/// staging folder): the paths of the search index's files by language, and the values
/// the pages were rendered with.
fn render_into(
    site: &Site,
    env: &Environment<'static>,
    progress: &dyn Progress,
    search: impl FnOnce(&view::Views, SearchSink),
    plan: &Plan,
) -> (SearchPaths, render::Shared) {
    let timer = Timer::start(progress, Phase::Views, None);
    let views = view::Views::new(site);
    timer.end(site.config.languages.len());
    let timer = Timer::start(progress, Phase::Search, None);
    let mut search_paths = SearchPaths::new();
    search(&views, &mut |lang, files| {
        let paths = search_paths.entry(lang).or_default();
        for (path, bytes) in files {
            paths.insert(path.clone());
            plan.add(path, bytes);
        }
    });
    let files = plan.len();
    timer.end(files);
    let timer = Timer::start(progress, Phase::OpenData, None);
    open_data::publish(site, &views, plan);
    let before = plan.len();
    timer.end(before - files);
    let timer = Timer::start(
        progress,
        Phase::Render,
        Some(render::page_count(site) as u64),
    );
    let shared = render::Shared::new(site, views);
    let sitemap = render::pages(site, env, &shared, plan, progress);
    render::sitemap(site, &shared, sitemap, plan);
    render::feeds(site, &shared, plan);
    render::robots(site, &shared, plan);
    render::statics(site, plan);
    timer.end(plan.len() - before);
    (search_paths, shared)
}

/// The paths of the search index's files, by language (the script's under `None`).
pub(crate) type SearchPaths =
    std::collections::BTreeMap<Option<types::Lang>, std::collections::BTreeSet<String>>;

/// Loads, checks and renders the site under `opts.root` in memory, writing nothing:
/// the site graph, the files a build would write and the warnings, or every problem.
/// The output folder is neither checked nor created.
pub fn render_site(
    opts: &BuildOptions,
) -> Result<(Site, Vec<OutputFile>, Diagnostics), Diagnostics> {
    let (site, env, mut diags) = load(opts, None, &Silent)?;
    match render(&site, &env) {
        Ok(files) => Ok((site, files, diags)),
        Err(ds) => {
            diags.extend(ds.0);
            Err(diags.sorted())
        }
    }
}

/// Builds the whole site. On error nothing is written and the previous output stays,
/// unless replacing it broke half-way ([`BuildError::output_untouched`]).
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(opts, &Silent)
}

/// [`build`], telling `progress` of each phase as it goes.
pub fn build_with(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    // Printed before anything is read: a file saved during the build makes the next
    // build see a change.
    let inputs = output::fresh::inputs(
        &opts.root,
        &format!(
            "base_url={:?} drafts={} allow_missing_strings={}",
            opts.base_url, opts.drafts, opts.allow_missing_strings
        ),
    );
    let mut target = None;
    let (site, env, mut warnings) = load(opts, Some(&mut target), progress)?;
    let out = output_folder(opts, &site.config);
    let dir = target.unwrap_or_else(|| out.clone());
    let shown = display(&out);
    let cannot_write = |e: std::io::Error| {
        let (message, help) = output::explain(&e, &dir);
        BuildError::from(Diagnostics(vec![
            Diagnostic::file(&shown, message).help(help),
        ]))
    };
    // Held until the new site is in place: another build into the same folder waits
    // here, then finds the output as this one left it.
    let lock = output::Lock::take(&dir, progress).map_err(cannot_write)?;
    // Nothing to write when nothing changed; what an interrupted build left beside the
    // output goes all the same (else the build does all its work, which removes it).
    if let Some(record) = inputs.and_then(|print| up_to_date(&dir, print))
        && let Ok(cleaned) = lock.remove_leftovers()
    {
        return Ok(BuildReport {
            out,
            pages: record.pages,
            pages_by_language: site
                .config
                .languages
                .iter()
                .map(|l| {
                    let n = record
                        .pages_by_language
                        .iter()
                        .find(|(c, _)| c == l.as_str());
                    (l.clone(), n.map_or(0, |(_, n)| *n))
                })
                .collect(),
            files: record.files,
            warnings,
            millis: started.elapsed().as_millis(),
            cleaned,
            unchanged: true,
        });
    }
    // Each file goes into the staging folder as it is rendered; a failure drops the
    // staging folder and leaves the output as it was.
    let staging = output::Staging::begin(lock, opts.force).map_err(|e| match e {
        WriteError::Untouched(e) | WriteError::Displaced { error: e, .. } => cannot_write(e),
    })?;
    let plan = Plan::streaming(&staging);
    render_into(
        &site,
        &env,
        progress,
        |views, sink| search::files(&site, views, None, sink),
        &plan,
    );
    let paths = plan.finish_written().map_err(|f| match f {
        output::Failed::Site(d) => BuildError::from(Diagnostics(d).sorted()),
        output::Failed::Io(_, e) => cannot_write(e),
    })?;
    let pages_by_language = pages_by_language(&site.config.languages, &paths);
    let pages = paths.iter().filter(|(p, _)| p.ends_with(".html")).count();
    let timer = Timer::start(progress, Phase::Write, None);
    if let Some(inputs) = inputs {
        staging
            .seal(&paths, |output| output::fresh::Record {
                inputs,
                output,
                pages,
                pages_by_language: pages_by_language
                    .iter()
                    .map(|(l, n)| (l.to_string(), *n))
                    .collect(),
                files: paths.len(),
            })
            .map_err(cannot_write)?;
    }
    let written = staging.finish().map_err(|e| match e {
        WriteError::Untouched(e) => cannot_write(e),
        WriteError::Displaced { old, error } => BuildError {
            diagnostics: Diagnostics(vec![
                Diagnostic::file(&shown, format!("the new site could not be put in place ({error}), nor the previous output put back"))
                    .help(format!("the previous output is now {}: rename it to {} to restore it", old.display(), dir.display())),
            ]),
            output_untouched: false,
        },
    })?;
    timer.end(paths.len());
    if let Some((old, e)) = written.old_left {
        warnings.push(
            Diagnostic::file(
                &shown,
                format!(
                    "the new site is in place, but the previous output could not be removed ({e})"
                ),
            )
            .help(format!(
                "it is left in {}; the next build removes it",
                old.display()
            ))
            .warning(),
        );
    }
    Ok(BuildReport {
        out,
        pages,
        pages_by_language,
        files: paths.len(),
        warnings,
        millis: started.elapsed().as_millis(),
        cleaned: written.cleaned,
        unchanged: false,
    })
}

/// The record of the output folder `dir` when it was built from inputs that print as
/// `inputs` and its files are still those that build wrote.
fn up_to_date(dir: &Path, inputs: output::fresh::Print) -> Option<output::fresh::Record> {
    let record = output::fresh::Record::read(dir)?;
    (record.inputs == inputs && output::fresh::output(dir) == Some(record.output)).then_some(record)
}

/// How many files `load` read: settings, interface strings, records, data files,
/// templates and static files.
fn files_read(config: &Config, loaded: &input::Loaded) -> usize {
    let data = [
        &loaded.vocabularies,
        &loaded.territories,
        &loaded.indicators,
        &loaded.borders,
    ];
    1 + config.languages.len()
        + loaded.records.len()
        + data.iter().filter(|d| d.is_some()).count()
        + loaded.observations.len()
        + loaded.statics.len()
        + loaded.theme.templates.len()
        + loaded.theme.statics.len()
}

/// The HTML pages of each language: those under `<lang>/`.
fn pages_by_language(languages: &[Lang], paths: &[(String, u64)]) -> Vec<(Lang, usize)> {
    let mut counts = vec![0; languages.len()];
    for (path, _) in paths.iter().filter(|(p, _)| p.ends_with(".html")) {
        let first = path.split('/').next().unwrap_or("");
        if let Some(i) = languages.iter().position(|l| l.as_str() == first) {
            counts[i] += 1;
        }
    }
    languages.iter().cloned().zip(counts).collect()
}

fn display(p: &Path) -> String {
    p.to_string_lossy().to_string()
}
