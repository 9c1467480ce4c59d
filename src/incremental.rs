//! Rebuilding after a change, doing only what the change needs, for `limes serve`.
//!
//! Every rebuild reads and resolves the whole site again (so every error is found, as
//! a build finds it). What is rendered then depends on what changed since the last
//! good build:
//!
//! - When the only files that changed are Markdown files of records, and the records
//!   they belong to differ from the last good build in their bodies only (the text
//!   below the front matter), the change is **scoped**: the only renderers that read a
//!   body are the record's own pages (in every language, for the languages that fall
//!   back to it) and, for a practice, the search index of the languages that show the
//!   changed translation. Those are rendered again; every other file is the same as
//!   before, by construction ([`Update::Delta`]).
//! - Anything else — a front matter field, a record added, renamed or removed, a
//!   template, an interface string, settings, vocabularies, statistics, a static file,
//!   or a change the watcher could not name — is rendered in full ([`Update::Full`]).
//!
//! Never stale: a scoped rebuild gives the same bytes as a full build, which
//! tests/incremental.rs checks over long random series of edits, additions, renames
//! and deletions. Changes seen while the site did not build are kept and scoped
//! against the last good build when it builds again.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostics;
use crate::input::RecordKind;
use crate::model::Site;
use crate::output::{Body, OutputFile};
use crate::types::Lang;
use crate::{BuildOptions, SearchPaths, render, search, view};

/// What a rebuild changed in the site.
#[derive(Debug)]
pub enum Update {
    /// Every file of the site (the others are gone).
    Full(Vec<OutputFile>),
    /// These files are new or changed, these are gone; all others are as they were.
    Delta {
        files: Vec<OutputFile>,
        removed: Vec<String>,
        /// The records whose bodies changed, as `practices/<slug>`.
        records: Vec<String>,
    },
}

/// The last good build, and the changes seen since.
pub struct Rebuilder {
    opts: BuildOptions,
    last: Option<Last>,
    /// Paths changed since the last good build (relative to the site root; `*`:
    /// unknown).
    pending: BTreeSet<String>,
}

struct Last {
    site: Site,
    search: SearchPaths,
}

impl Rebuilder {
    pub fn new(opts: BuildOptions) -> Self {
        Rebuilder {
            opts,
            last: None,
            pending: BTreeSet::new(),
        }
    }

    /// The site of the last good build.
    pub fn site(&self) -> Option<&Site> {
        self.last.as_ref().map(|l| &l.site)
    }

    /// Builds again after `changed` (paths relative to the site root, as the watcher
    /// gives them; `*` when unknown): the update to the files of the last good build
    /// and the warnings, or every problem (the last good build stays the base of the
    /// next rebuild).
    pub fn rebuild(
        &mut self,
        changed: &BTreeSet<String>,
    ) -> Result<(Update, Diagnostics), Diagnostics> {
        self.pending.extend(changed.iter().cloned());
        let (site, env, mut warnings) = crate::load(&self.opts, None, &crate::progress::Silent)?;
        let scoped = self
            .last
            .as_ref()
            .and_then(|last| scope(&last.site, &site, &self.pending));
        let update = match scoped {
            Some(scope) => {
                let last = self.last.as_mut().expect("scoped against the last build");
                let views = view::Views::new(&site);
                let search = search::files(&site, &views, Some(&scope.search));
                let shared = render::Shared::new(&site, views);
                let pages = render::record_pages(&site, &env, &shared, &scope.records)?;
                let mut files = Vec::new();
                let mut removed = Vec::new();
                for (lang, built) in search.into_iter().filter(|(l, _)| l.is_some()) {
                    let paths: BTreeSet<String> = built.iter().map(|(p, _)| p.clone()).collect();
                    let before = last.search.entry(lang).or_default();
                    removed.extend(before.difference(&paths).cloned());
                    *before = paths;
                    files.extend(built);
                }
                files.extend(pages);
                let records = scope
                    .records
                    .iter()
                    .map(|(kind, slug)| format!("{}/{slug}", kind.folder()))
                    .collect();
                last.site = site;
                Update::Delta {
                    files: files
                        .into_iter()
                        .map(|(path, bytes)| OutputFile {
                            path,
                            body: Body::Bytes(bytes),
                        })
                        .collect(),
                    removed,
                    records,
                }
            }
            None => {
                let (files, search) =
                    match crate::render_parts(&site, &env, &crate::progress::Silent) {
                        Ok(parts) => parts,
                        Err(ds) => {
                            warnings.extend(ds.0);
                            return Err(warnings.sorted());
                        }
                    };
                self.last = Some(Last { site, search });
                Update::Full(files)
            }
        };
        self.pending.clear();
        Ok((update, warnings))
    }
}

/// A record: its kind and slug.
type RecordId = (RecordKind, String);

/// What a scoped rebuild renders again.
struct Scope {
    records: BTreeSet<RecordId>,
    /// The languages whose search index shows a changed text.
    search: BTreeSet<Lang>,
}

/// The records whose bodies alone changed between `old` and `new`, when the changed
/// paths are all files of those records and nothing else of them changed, and the
/// languages whose search index shows one of those files; `None` when the change
/// cannot be scoped.
fn scope(old: &Site, new: &Site, changed: &BTreeSet<String>) -> Option<Scope> {
    if changed.is_empty() || changed.contains("*") {
        return None;
    }
    let (old_files, new_files) = (record_files(old), record_files(new));
    let mut records = BTreeSet::new();
    let mut search = BTreeSet::new();
    for path in changed {
        match (old_files.get(path.as_str()), new_files.get(path.as_str())) {
            (Some(a), Some(b)) if a == b => {
                let ((kind, slug), lang) = a;
                // Only practices are searched.
                if *kind == RecordKind::Practice {
                    let p = new.practice(slug)?;
                    search.extend(search::languages_showing(new, &p.texts, lang));
                }
                records.insert(a.0.clone());
            }
            _ => return None,
        }
    }
    if old.practices.len() != new.practices.len()
        || old.partners.len() != new.partners.len()
        || old.pages.len() != new.pages.len()
    {
        return None;
    }
    for (kind, slug) in &records {
        let same = match kind {
            RecordKind::Practice => same_but_bodies(old.practice(slug), new.practice(slug), |p| {
                p.texts.values_mut().for_each(|t| t.body.clear())
            }),
            RecordKind::Partner => same_but_bodies(old.partner(slug), new.partner(slug), |p| {
                p.texts.values_mut().for_each(|t| t.body.clear())
            }),
            RecordKind::Page => same_but_bodies(page(old, slug), page(new, slug), |p| {
                p.texts.values_mut().for_each(|t| t.body.clear())
            }),
        };
        if !same {
            return None;
        }
    }
    Some(Scope { records, search })
}

fn page<'a>(site: &'a Site, slug: &str) -> Option<&'a crate::model::Page> {
    site.index.page.get(slug).map(|&i| &site.pages[i])
}

/// Whether two versions of a record are the same once `strip` has removed their
/// bodies (compared by their full debug form: every field counts).
fn same_but_bodies<T: Clone + std::fmt::Debug>(
    old: Option<&T>,
    new: Option<&T>,
    strip: impl Fn(&mut T),
) -> bool {
    let (Some(old), Some(new)) = (old, new) else {
        return false;
    };
    let (mut old, mut new) = (old.clone(), new.clone());
    strip(&mut old);
    strip(&mut new);
    format!("{old:?}") == format!("{new:?}")
}

/// Every Markdown file of a record, relative to the site root: its record and
/// language.
fn record_files(site: &Site) -> BTreeMap<&str, (RecordId, Lang)> {
    let mut out = BTreeMap::new();
    for p in &site.practices {
        for (lang, t) in &p.texts {
            let id = (RecordKind::Practice, p.slug.to_string());
            out.insert(t.file.as_str(), (id, lang.clone()));
        }
    }
    for p in &site.partners {
        for (lang, t) in &p.texts {
            let id = (RecordKind::Partner, p.slug.to_string());
            out.insert(t.file.as_str(), (id, lang.clone()));
        }
    }
    for p in &site.pages {
        for (lang, t) in &p.texts {
            let id = (RecordKind::Page, p.slug.to_string());
            out.insert(t.file.as_str(), (id, lang.clone()));
        }
    }
    out
}
