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
use std::path::Path;

use minijinja::Environment;

use crate::diagnostics::Diagnostics;
use crate::input::{RecordFile, RecordKind};
use crate::model::Site;
use crate::output::{Body, OutputFile};
use crate::search::analysed::Analysed;
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
        /// Whether the whole site was read and resolved again (else only the
        /// changed files were read).
        read: bool,
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

/// The last good build: its site graph and what rendering it needed, kept so that an
/// edit of a body renders only what shows that body.
struct Last {
    site: Site,
    env: Environment<'static>,
    shared: render::Shared,
    warnings: Diagnostics,
    search: SearchPaths,
    /// Every language's practices as its search index analysed them.
    analysed: BTreeMap<Lang, Analysed>,
    /// The languages whose search index is to be made again, each with the practices
    /// (by index) to analyse again: left for [`Rebuilder::finish_search`].
    due: BTreeMap<Lang, BTreeSet<usize>>,
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
        let (update, warnings) = self.rebuild_pages(changed)?;
        let (search, gone) = self.finish_search();
        let update = match update {
            Update::Full(files) => Update::Full(files),
            Update::Delta {
                mut files,
                mut removed,
                records,
                read,
            } => {
                files.extend(search);
                removed.extend(gone);
                Update::Delta {
                    files,
                    removed,
                    records,
                    read,
                }
            }
        };
        Ok((update, warnings))
    }

    /// [`Rebuilder::rebuild`], but when a scoped change also changes search indexes,
    /// they are left for [`Rebuilder::finish_search`] (the pages first: `limes serve`
    /// shows the edited page, then makes the index). Until then the files of
    /// [`Rebuilder::search_due`] are out of date.
    pub fn rebuild_pages(
        &mut self,
        changed: &BTreeSet<String>,
    ) -> Result<(Update, Diagnostics), Diagnostics> {
        self.pending.extend(changed.iter().cloned());
        let result = match self.bodies_only() {
            Some(result) => result,
            None => self.load_and_render(),
        };
        if result.is_ok() {
            self.pending.clear();
        }
        result
    }

    /// The quick way, when every changed file is a record file of the last good build
    /// whose front matter is as it was, byte for byte (or a file that is gone and that
    /// the build never read, like an editor's test file): the new bodies are checked
    /// as a build checks them and put in the last site graph in place of the old, and
    /// what shows them is rendered again, nothing being read or resolved again.
    /// `None` when the change is not of that kind.
    fn bodies_only(&mut self) -> Option<Result<(Update, Diagnostics), Diagnostics>> {
        let last = self.last.as_mut()?;
        if self.pending.contains("*") {
            return None;
        }
        let root = self.opts.root.as_path();
        let mut fresh: Vec<(usize, RecordFile)> = Vec::new();
        for path in &self.pending {
            let at = last
                .site
                .sources
                .records
                .iter()
                .position(|r| r.src.rel == *path);
            match at {
                Some(i) => {
                    let file = crate::load::reread_body(root, &last.site.sources.records[i])?;
                    fresh.push((i, file));
                }
                None if never_read(root, &last.site, path) => {}
                None => return None,
            }
        }
        // The problems a build finds in a body.
        let problems: Vec<_> = fresh
            .iter()
            .flat_map(|(_, f)| crate::model::check_body(&last.site, f, self.opts.drafts))
            .collect();
        if !problems.is_empty() {
            let mut all = last.warnings.clone();
            all.extend(problems);
            return Some(Err(all.sorted()));
        }
        for (i, file) in &mut fresh {
            swap_body(&mut last.site, *i, file);
        }
        let result = last.render_bodies(&fresh);
        if result.is_err() {
            // The old bodies back: the last good build stays as it was.
            for (i, file) in &mut fresh {
                swap_body(&mut last.site, *i, file);
            }
        }
        Some(result)
    }

    /// The whole site read and resolved again; rendered again in full unless only
    /// bodies of records changed (see [`scope`]).
    fn load_and_render(&mut self) -> Result<(Update, Diagnostics), Diagnostics> {
        let (site, env, mut warnings) = crate::load(&self.opts, None, &crate::progress::Silent)?;
        let scoped = self
            .last
            .as_ref()
            .and_then(|last| scope(&last.site, &site, &self.pending));
        if let (Some(scope), Some(last)) = (scoped, self.last.as_mut()) {
            last.site = site;
            last.env = env;
            last.shared = render::Shared::new(&last.site, view::Views::new(&last.site));
            last.warnings = warnings;
            return last.render_scope(&scope, true);
        }
        // Each practice's analysis for the search index is kept when what it reads
        // is as before (see `Analysed::update`).
        let mut analysed: BTreeMap<Lang, Analysed> = self
            .last
            .as_mut()
            .map(|last| std::mem::take(&mut last.analysed))
            .unwrap_or_default();
        analysed.retain(|lang, _| site.config.languages.contains(lang));
        let search = |views: &view::Views, sink: crate::SearchSink| {
            sink(None, vec![search::script_file(&site, &views.routes)]);
            for (lang, view) in &views.langs {
                let a = analysed.entry(lang.clone()).or_default();
                let files = search::lang_files(&site, &views.routes, lang, view, a, None);
                sink(Some(lang.clone()), files);
            }
        };
        let (files, search, shared) =
            match crate::render_parts(&site, &env, &crate::progress::Silent, search) {
                Ok(parts) => parts,
                Err(ds) => {
                    // Analyses of another site than the last good one: the next update
                    // checks each against its fingerprint.
                    if let Some(last) = &mut self.last {
                        analysed.values_mut().for_each(Analysed::distrust);
                        last.analysed = analysed;
                    }
                    warnings.extend(ds.0);
                    return Err(warnings.sorted());
                }
            };
        self.last = Some(Last {
            site,
            env,
            shared,
            warnings: warnings.clone(),
            search,
            analysed,
            due: BTreeMap::new(),
        });
        Ok((Update::Full(files), warnings))
    }
}

impl Rebuilder {
    /// The files of the search indexes left to make again (see
    /// [`Rebuilder::rebuild_pages`]): empty when none is.
    pub fn search_due(&self) -> BTreeSet<String> {
        let Some(last) = &self.last else {
            return BTreeSet::new();
        };
        last.due
            .keys()
            .filter_map(|lang| last.search.get(&Some(lang.clone())))
            .flatten()
            .cloned()
            .collect()
    }

    /// Makes the search indexes left to make again, from the last good build: their
    /// new files and the paths of the files they no longer have.
    pub fn finish_search(&mut self) -> (Vec<OutputFile>, Vec<String>) {
        let Some(last) = &mut self.last else {
            return (Vec::new(), Vec::new());
        };
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut removed = Vec::new();
        for (lang, practices) in std::mem::take(&mut last.due) {
            let (Some(view), Some(analysed)) =
                (last.shared.langs.get(&lang), last.analysed.get_mut(&lang))
            else {
                continue;
            };
            let built = search::lang_files(
                &last.site,
                &last.shared.urls,
                &lang,
                view,
                analysed,
                Some(&practices),
            );
            let paths: BTreeSet<String> = built.iter().map(|(p, _)| p.clone()).collect();
            let before = last.search.entry(Some(lang)).or_default();
            removed.extend(before.difference(&paths).cloned());
            *before = paths;
            files.extend(built);
        }
        (bytes_files(files), removed)
    }
}

/// Made files as the output's files.
fn bytes_files(files: Vec<(String, Vec<u8>)>) -> Vec<OutputFile> {
    files
        .into_iter()
        .map(|(path, bytes)| OutputFile {
            path,
            body: Body::Bytes(bytes),
        })
        .collect()
}

impl Last {
    /// Renders again what shows the bodies of `fresh`, just put in the site graph.
    fn render_bodies(
        &mut self,
        fresh: &[(usize, RecordFile)],
    ) -> Result<(Update, Diagnostics), Diagnostics> {
        let mut scope = Scope {
            records: BTreeSet::new(),
            search: BTreeSet::new(),
            practices: BTreeSet::new(),
        };
        for (_, file) in fresh {
            if let Some(i) = scope.add(&self.site, file.kind, &file.slug, &file.lang) {
                scope.practices.insert(i);
            }
        }
        self.render_scope(&scope, false)
    }

    /// Renders again the pages of the records of `scope` and the search index of its
    /// languages.
    fn render_scope(
        &mut self,
        scope: &Scope,
        read: bool,
    ) -> Result<(Update, Diagnostics), Diagnostics> {
        let pages = render::record_pages(&self.site, &self.env, &self.shared, &scope.records)?;
        for lang in &scope.search {
            self.due
                .entry(lang.clone())
                .or_default()
                .extend(scope.practices.iter().copied());
        }
        let records = scope
            .records
            .iter()
            .map(|(kind, slug)| format!("{}/{slug}", kind.folder()))
            .collect();
        let update = Update::Delta {
            files: bytes_files(pages),
            removed: Vec::new(),
            records,
            read,
        };
        Ok((update, self.warnings.clone()))
    }
}

/// Puts the body of `file` in the site graph in place of that of its record file
/// `i` (whose front matter is the same), and the old one in `file`: twice puts it
/// back.
fn swap_body(site: &mut Site, i: usize, file: &mut RecordFile) {
    std::mem::swap(&mut site.sources.records[i], file);
    let r = &site.sources.records[i];
    let body = r.body().to_string();
    let slug = r.slug.as_str();
    let text = match r.kind {
        RecordKind::Practice => site
            .index
            .practice
            .get(slug)
            .and_then(|&at| site.practices[at].texts.get_mut(&r.lang))
            .map(|t| &mut t.body),
        RecordKind::Partner => site
            .index
            .partner
            .get(slug)
            .and_then(|&at| site.partners[at].texts.get_mut(&r.lang))
            .map(|t| &mut t.body),
        RecordKind::Page => site
            .index
            .page
            .get(slug)
            .and_then(|&at| site.pages[at].texts.get_mut(&r.lang))
            .map(|t| &mut t.body),
    };
    // A draft left out of the site has no text to change.
    if let Some(text) = text {
        *text = body;
    }
}

/// Whether `path` (relative to `root`) is gone and was never read by the build of
/// `site`: a file an editor made and removed at once (some write a test file before
/// saving), which changes nothing. Only under `content/`, where the build reads the
/// records and static files it lists; not its data files.
fn never_read(root: &Path, site: &Site, path: &str) -> bool {
    let Some(rest) = path.strip_prefix("content/") else {
        return false;
    };
    if rest.starts_with("diagnostics") || rest == "vocabularies.toml" {
        return false;
    }
    if root.join(path).symlink_metadata().is_ok() {
        return false;
    }
    let within = format!("{path}/");
    let read = |rel: &str| rel == path || rel.starts_with(&within);
    !site.sources.records.iter().any(|r| read(&r.src.rel))
        && !site.statics.iter().any(|s| read(&s.rel))
}

/// A record: its kind and slug.
type RecordId = (RecordKind, String);

/// What a scoped rebuild renders again.
struct Scope {
    records: BTreeSet<RecordId>,
    /// The languages whose search index shows a changed text.
    search: BTreeSet<Lang>,
    /// The practices (by index) whose text changed.
    practices: BTreeSet<usize>,
}

impl Scope {
    /// Adds the `lang` file of a record (when the site publishes it); for a practice,
    /// gives its index.
    fn add(&mut self, site: &Site, kind: RecordKind, slug: &str, lang: &Lang) -> Option<usize> {
        let published = match kind {
            RecordKind::Practice => site
                .practice(slug)
                .is_some_and(|p| p.texts.contains_key(lang)),
            RecordKind::Partner => site
                .partner(slug)
                .is_some_and(|p| p.texts.contains_key(lang)),
            RecordKind::Page => page(site, slug).is_some_and(|p| p.texts.contains_key(lang)),
        };
        if !published {
            return None;
        }
        self.records.insert((kind, slug.to_string()));
        if kind != RecordKind::Practice {
            return None;
        }
        let i = *site.index.practice.get(slug)?;
        self.search.extend(search::languages_showing(
            site,
            &site.practices[i].texts,
            lang,
        ));
        Some(i)
    }
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
    let mut scope = Scope {
        records: BTreeSet::new(),
        search: BTreeSet::new(),
        practices: BTreeSet::new(),
    };
    for path in changed {
        match (old_files.get(path.as_str()), new_files.get(path.as_str())) {
            (Some(a), Some(b)) if a == b => {
                let ((kind, slug), lang) = a;
                if let Some(i) = scope.add(new, *kind, slug, lang) {
                    scope.practices.insert(i);
                }
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
    for (kind, slug) in &scope.records {
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
    Some(scope)
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
