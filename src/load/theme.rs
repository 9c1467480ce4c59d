//! Reading the theme: its templates (the site's own `templates/` over the theme's
//! `themes/<theme>/templates/`) and its static files, so that rendering never touches
//! the disk and a live preview can see every one of them as an input.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::input::{StaticFile, Template, Theme};

use super::{Names, inside_site, is_ignored, link_out, rel_path};
use crate::text;

/// Reads every template and lists every static file of the site's theme.
pub fn load_theme(root: &Path, config: &Config) -> (Theme, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let theme_dir = root.join("themes").join(&config.theme);
    let mut templates = BTreeMap::new();
    // The theme's first, then the site's, which replace those of the same name.
    for dir in [theme_dir.join("templates"), root.join("templates")] {
        for (name, path) in files_under(&dir, &mut diags, root) {
            let rel = rel_path(root, &path);
            // Read as every text file of the site is: UTF-8, any line endings, no
            // control characters (a page holding one is not valid HTML).
            match std::fs::read(&path).map(|bytes| text::decode(&rel, bytes)) {
                Ok(Ok((src, found))) => {
                    diags.extend(found);
                    templates.insert(
                        name,
                        Template {
                            text: src.text,
                            rel,
                        },
                    );
                }
                Ok(Err(d)) => diags.push(d),
                Err(e) => diags.push(Diagnostic::file(rel, format!("cannot read template: {e}"))),
            }
        }
    }
    let statics = files_under(&theme_dir.join("static"), &mut diags, root)
        .into_iter()
        .map(|(to, from)| StaticFile {
            rel: rel_path(root, &from),
            from,
            to,
        })
        .collect();
    (Theme { templates, statics }, diags)
}

/// The files under `dir` (none if it does not exist) as (name relative to `dir` with
/// `/` separators, in NFC, and path), in name order; hidden files and editor backups
/// are skipped; a name that is not UTF-8 or that differs from another of its folder
/// only in letter case or Unicode form is an error.
fn files_under(
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
    root: &Path,
) -> Vec<(String, std::path::PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    // Nothing from outside the site, as in content/: the folder, or a folder above
    // it in the site (the theme's), may be a link out of it.
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if !inside_site(dir, &canonical_root) {
        let mut within: Vec<&Path> = dir.ancestors().filter(|a| a.starts_with(root)).collect();
        within.reverse();
        let link = within.into_iter().find(|a| a.is_symlink()).unwrap_or(dir);
        let problem = link_out(rel_path(root, link));
        // The theme's templates and static files under one link: said once.
        if !diags
            .iter()
            .any(|d| d.file == problem.file && d.message == problem.message)
        {
            diags.push(problem);
        }
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut names = Names::default();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
                diags.push(Diagnostic::file(rel, format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.depth() > 0 && is_ignored(&entry.file_name().to_string_lossy()) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() && !inside_site(entry.path(), &canonical_root) {
            diags.push(link_out(rel_path(root, entry.path())));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.depth() > 0
            && let Some(d) = names.check(
                root,
                entry.path(),
                entry.file_name(),
                &rel_path(root, entry.path()),
            )
        {
            diags.push(d);
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            // Published and named in NFC, whatever form the disk keeps.
            let name = text::nfc(&rel_path(dir, entry.path())).into_owned();
            out.push((name, entry.path().to_path_buf()));
        }
    }
    out
}
