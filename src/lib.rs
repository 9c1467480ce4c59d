//! limes: a static site generator for multilingual cross-border good-practice
//! observatories.
//!
//! The pipeline, in a few lines ([`build`]): read the settings, load every file of
//! `content/` ([`load`]), resolve them into one typed site graph ([`model::Site`]),
//! render every page of every language from it ([`render`]), and write the output
//! plan into a staging folder that replaces the output at the end ([`output`]).

pub mod config;
pub mod diagnostics;
pub mod i18n;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod status;

use std::path::{Path, PathBuf};
use std::time::Instant;

use config::Config;
use diagnostics::{Diagnostic, Diagnostics};
use model::Site;

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
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    pub millis: u128,
}

/// Loads and resolves the site under `opts.root`: everything but rendering.
pub fn load_site(opts: &BuildOptions) -> Result<(Site, Diagnostics), Diagnostics> {
    let root = &opts.root;
    let (mut config, mut diags) = Config::load(root).map_err(|d| Diagnostics(d).sorted())?;
    if let Some(url) = &opts.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let (strings, ds) = i18n::Strings::load(root, &config, opts.allow_missing_strings);
    diags.extend(ds);
    let (loaded, ds) = load::load_content(root, &config);
    diags.extend(ds);
    let site = model::resolve(root, config, strings, loaded, &mut diags);
    let all = Diagnostics(diags).sorted();
    match site {
        Some(site) if !all.has_errors() => Ok((site, all)),
        _ => Err(all),
    }
}

/// Builds the whole site. On error nothing is written and the previous output stays.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let (site, warnings) = load_site(opts)?;
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("public"));
    let plan = render::render_site(&site).map_err(|d| Diagnostics(d).sorted())?;
    let pages = plan.iter().filter(|f| f.path.ends_with(".html")).count();
    output::write_site(&out, &plan).map_err(|e| {
        Diagnostics(vec![Diagnostic::file(display(&out), format!("cannot write the site: {e}")).help("check that the output folder's parent exists and is writable; the previous output was left as it was")])
    })?;
    Ok(BuildReport {
        out,
        pages,
        files: plan.len(),
        warnings,
        millis: started.elapsed().as_millis(),
    })
}

fn display(p: &Path) -> String {
    p.to_string_lossy().to_string()
}
