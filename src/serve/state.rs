//! What the preview serves and tells the open pages: the last good build, held in
//! memory ([`Snapshot`]), and the state of the latest build ([`Status`]): its
//! generation, and its problems when it failed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use axum::body::Bytes;
use serde::Serialize;
use tokio::sync::watch;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::incremental::Update;
use crate::model::Site;
use crate::output::{Body, OutputFile};

/// One file of the site as the preview serves it.
#[derive(Clone, Debug)]
pub enum Content {
    /// Made by limes, held in memory.
    Bytes(Bytes),
    /// A static file of the site or its theme, read from where it is on each request
    /// (only from where the build found it: see `real`).
    File {
        /// Where the build found it.
        path: PathBuf,
        /// Its length and modification time when the build saw it.
        stamp: Option<(u64, SystemTime)>,
        /// Its real path (every symbolic link resolved) when the build saw it. The
        /// preview serves the file only while its real path is still this one, and
        /// only if it is inside the site folder (see [`Live::serves`]).
        real: Option<PathBuf>,
    },
}

impl Content {
    fn of(body: Body) -> Self {
        match body {
            Body::Bytes(b) => Content::Bytes(Bytes::from(b)),
            Body::Copy(path) => {
                let stamp = std::fs::metadata(&path)
                    .ok()
                    .and_then(|m| Some((m.len(), m.modified().ok()?)));
                let real = path.canonicalize().ok();
                Content::File { path, stamp, real }
            }
        }
    }

    fn same(&self, other: &Content) -> bool {
        match (self, other) {
            (Content::Bytes(a), Content::Bytes(b)) => a == b,
            (
                Content::File {
                    path: a,
                    stamp: sa,
                    real: ra,
                },
                Content::File {
                    path: b,
                    stamp: sb,
                    real: rb,
                },
            ) => a == b && sa.is_some() && sa == sb && ra == rb,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub content: Content,
    /// The generation of the build whose bytes these are: the first build that made
    /// them as they are.
    pub since: u64,
}

/// A successful build: every file by its path relative to the site root
/// (`en/practices/x/index.html`), and the generation that made it.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub generation: u64,
    pub files: HashMap<String, Entry>,
    /// The last generation in which a file every page may use (a stylesheet, a
    /// script, an image or a font) changed, appeared or went.
    pub assets: u64,
    /// The pages of records (practices, partners, free pages) in every language:
    /// their `<main>` is the record as limes renders it, which no script of the theme
    /// fills, so an open one can take a new `<main>` in place of a reload.
    pub record_pages: Arc<std::collections::HashSet<String>>,
}

impl Snapshot {
    /// The snapshot of build `generation` made of `files` (every file of the site),
    /// keeping from `previous` when each unchanged file was made. Also gives how many
    /// files changed.
    pub fn next(previous: &Snapshot, generation: u64, files: Vec<OutputFile>) -> (Self, usize) {
        let kept: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let removed: Vec<String> = previous
            .files
            .keys()
            .filter(|k| !kept.contains(k.as_str()))
            .cloned()
            .collect();
        Self::apply(previous, generation, files, &removed)
    }

    /// The snapshot of build `generation`: `previous` with `files` put in and
    /// `removed` taken out. Also gives how many files changed.
    pub fn apply(
        previous: &Snapshot,
        generation: u64,
        files: Vec<OutputFile>,
        removed: &[String],
    ) -> (Self, usize) {
        let mut out = previous.files.clone();
        let mut changed = 0;
        let mut assets = previous.assets;
        for path in removed {
            if out.remove(path).is_some() {
                changed += 1;
                if is_asset(path) {
                    assets = generation;
                }
            }
        }
        for f in files {
            let content = Content::of(f.body);
            match out.get_mut(&f.path) {
                Some(old) if old.content.same(&content) => {}
                Some(old) => {
                    changed += 1;
                    if is_asset(&f.path) {
                        assets = generation;
                    }
                    *old = Entry {
                        content,
                        since: generation,
                    };
                }
                None => {
                    changed += 1;
                    if is_asset(&f.path) {
                        assets = generation;
                    }
                    out.insert(
                        f.path,
                        Entry {
                            content,
                            since: generation,
                        },
                    );
                }
            }
        }
        (
            Snapshot {
                generation,
                files: out,
                assets,
                record_pages: previous.record_pages.clone(),
            },
            changed,
        )
    }
}

/// The files of the pages of every record in every language.
fn record_pages(site: &Site) -> std::collections::HashSet<String> {
    use crate::routes::{Route, Routes};
    let urls = Routes::new(&site.config);
    let mut out = std::collections::HashSet::new();
    for lang in &site.config.languages {
        let slugs = site
            .practices
            .iter()
            .map(|p| Route::Practice(&p.slug))
            .chain(site.partners.iter().map(|p| Route::Partner(&p.slug)))
            .chain(site.pages.iter().map(|p| Route::Page(&p.slug)));
        out.extend(slugs.map(|route| urls.file(lang, route)));
    }
    out
}

/// A file that pages use as they are shown, as opposed to the pages themselves and
/// the data their scripts fetch when asked.
fn is_asset(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    !matches!(ext, "html" | "json" | "xml" | "csv" | "txt")
}

/// One problem as the open pages show it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub severity: &'static str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Self {
        Problem {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            file: d.file.clone(),
            line: d.line,
            column: d.col,
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

/// The words of the error overlay in one language.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Labels {
    pub title: String,
    pub note: String,
    pub help: String,
}

/// The interface strings of the overlay, their keys in `i18n/<lang>.toml`, and the
/// English said when a site has not translated them.
pub const LABEL_KEYS: [(&str, &str); 3] = [
    (
        "preview_errors_title",
        "The site does not build: this page is its last good version",
    ),
    (
        "preview_errors_note",
        "Fix these problems and save: the page reloads by itself.",
    ),
    ("preview_help", "help"),
];

impl Labels {
    /// The overlay's words of every language of `site`, from its interface strings.
    pub fn of(site: &Site) -> BTreeMap<String, Labels> {
        site.config
            .languages
            .iter()
            .map(|lang| {
                let table = site.strings.table(&site.config, lang);
                let get = |(key, english): (&str, &str)| {
                    table
                        .get(key)
                        .cloned()
                        .unwrap_or_else(|| english.to_string())
                };
                let [title, note, help] = LABEL_KEYS;
                (
                    lang.to_string(),
                    Labels {
                        title: get(title),
                        note: get(note),
                        help: get(help),
                    },
                )
            })
            .collect()
    }

    pub fn english() -> BTreeMap<String, Labels> {
        let [title, note, help] = LABEL_KEYS.map(|(_, e)| e.to_string());
        BTreeMap::from([("en".to_string(), Labels { title, note, help })])
    }
}

/// What every open page is told after each build.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Status {
    /// The generation of the site being served (0: none built yet).
    pub generation: u64,
    /// See [`Snapshot::assets`].
    pub assets: u64,
    /// The errors of the latest build, when it failed (the last good site is still
    /// served); empty when it succeeded.
    pub errors: Vec<Problem>,
    /// The overlay's words, by language.
    pub labels: BTreeMap<String, Labels>,
}

/// The preview's state, shared by the builder and the server.
pub struct Live {
    /// The real path of the site folder, when its static files may be served.
    root: Option<PathBuf>,
    snapshot: RwLock<Arc<Snapshot>>,
    status: watch::Sender<Arc<Status>>,
    /// The files of the search indexes being made again after the pages were
    /// updated (empty when none is): a request for one of them waits for the new.
    held: watch::Sender<Arc<BTreeSet<String>>>,
}

/// What one rebuild did, for the terminal.
#[derive(Debug)]
pub enum Outcome {
    /// The build succeeded; this many files changed. `scoped`: the records whose
    /// bodies alone were rendered again, when the change could be scoped.
    Built {
        changed: usize,
        warnings: Diagnostics,
        scoped: Option<Vec<String>>,
    },
    Failed(Diagnostics),
    /// The search indexes left after a scoped build were made; this many files
    /// changed.
    Search {
        changed: usize,
    },
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    /// The state of a preview of the site folder `root`: its static files are served
    /// from inside it only.
    pub fn of_site(root: &std::path::Path) -> Self {
        Live {
            root: Some(root.canonicalize().unwrap_or_else(|_| root.to_path_buf())),
            ..Self::new()
        }
    }

    /// Whether a static file found by the build at the real path `real` may be served
    /// now that its path resolves to `now`: only from where the build found it (a file
    /// made a link to another place since is not served: the build that would see it
    /// is not the one served), and only from inside the site folder, whatever links
    /// led there (the build refuses links out of `content/`; none is followed out of
    /// the site here either).
    pub fn serves(&self, real: Option<&std::path::Path>, now: &std::path::Path) -> bool {
        match (&self.root, real) {
            (Some(root), Some(real)) => real == now && now.starts_with(root),
            _ => false,
        }
    }

    /// A state that serves no file read from the disk (for tests).
    pub fn new() -> Self {
        let (status, _) = watch::channel(Arc::new(Status {
            generation: 0,
            assets: 0,
            errors: Vec::new(),
            labels: Labels::english(),
        }));
        Live {
            root: None,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            status,
            held: watch::channel(Arc::new(BTreeSet::new())).0,
        }
    }

    /// Until [`Live::apply_search`]: the files `paths` are being made again, and a
    /// request for one waits for them (call before the pages that go with them are
    /// applied, so that no page is shown with an index older than itself). An empty
    /// set lets every request go.
    pub fn hold_search(&self, paths: BTreeSet<String>) {
        self.held.send_replace(Arc::new(paths));
    }

    /// Puts the search files made after the pages in the site served (the same
    /// build: its pages and its status stay as they are) and lets the requests that
    /// wait for them go.
    pub fn apply_search(&self, files: Vec<OutputFile>, removed: &[String]) -> usize {
        let previous = self.snapshot();
        let (next, changed) = Snapshot::apply(&previous, previous.generation, files, removed);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        self.held.send_replace(Arc::new(BTreeSet::new()));
        changed
    }

    /// Whether the file `key` is being made again.
    pub fn held(&self, key: &str) -> bool {
        self.held.borrow().contains(key)
    }

    /// Waits while the file `key` is being made again (at most `longest`).
    pub async fn wait_for(&self, key: &str, longest: std::time::Duration) {
        let mut held = self.held.subscribe();
        let free = held.wait_for(|paths| !paths.contains(key));
        let _ = tokio::time::timeout(longest, free).await;
    }

    /// The site being served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn status(&self) -> Arc<Status> {
        self.status.borrow().clone()
    }

    pub fn subscribe(&self) -> watch::Receiver<Arc<Status>> {
        self.status.subscribe()
    }

    /// Takes the result of a rebuild (and the site it built): a success updates the
    /// site served and clears the errors; a failure keeps the last good site and tells
    /// the pages its errors.
    pub fn apply(
        &self,
        result: Result<(Update, Diagnostics), Diagnostics>,
        site: Option<&Site>,
    ) -> Outcome {
        match result {
            Ok((update, warnings)) => {
                // Only the rebuild thread applies builds: the generation after the one
                // served is this build's.
                let previous = self.snapshot();
                let generation = previous.generation + 1;
                let (next, changed, scoped) = match update {
                    Update::Full(files) => {
                        let (mut next, changed) = Snapshot::next(&previous, generation, files);
                        if let Some(site) = site {
                            next.record_pages = Arc::new(record_pages(site));
                        }
                        (next, changed, None)
                    }
                    Update::Delta {
                        files,
                        removed,
                        records,
                        ..
                    } => {
                        let (next, changed) =
                            Snapshot::apply(&previous, generation, files, &removed);
                        (next, changed, Some(records))
                    }
                };
                let labels = site
                    .map(Labels::of)
                    .unwrap_or_else(|| self.status().labels.clone());
                let status = Status {
                    generation: next.generation,
                    assets: next.assets,
                    errors: Vec::new(),
                    labels,
                };
                *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
                self.status.send_replace(Arc::new(status));
                Outcome::Built {
                    changed,
                    warnings,
                    scoped,
                }
            }
            Err(diags) => {
                let old = self.status();
                let status = Status {
                    generation: old.generation,
                    assets: old.assets,
                    errors: diags.errors().map(Problem::from).collect(),
                    labels: old.labels.clone(),
                };
                self.status.send_replace(Arc::new(status));
                Outcome::Failed(diags)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file is served only from the real path the build saw, inside the site.
    #[test]
    fn files_are_served_from_where_the_build_found_them_inside_the_site() {
        let live = Live {
            root: Some(PathBuf::from("/site")),
            ..Live::new()
        };
        let at = |p: &str| PathBuf::from(p);
        assert!(live.serves(
            Some(&at("/site/content/static/a.pdf")),
            &at("/site/content/static/a.pdf")
        ));
        // Made a link to another file since, even inside the site.
        assert!(!live.serves(
            Some(&at("/site/content/static/a.pdf")),
            &at("/site/content/b.md")
        ));
        // Out of the site, even where the build saw it.
        assert!(!live.serves(Some(&at("/elsewhere/a.pdf")), &at("/elsewhere/a.pdf")));
        assert!(!live.serves(Some(&at("/site-other/a.pdf")), &at("/site-other/a.pdf")));
        // A file the build could not resolve, and a state with no site.
        assert!(!live.serves(None, &at("/site/a.pdf")));
        assert!(!Live::new().serves(Some(&at("/site/a.pdf")), &at("/site/a.pdf")));
    }
}
