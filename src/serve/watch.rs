//! Watching the site's files: `observatory.toml`, `content/` (records, diagnostics
//! data, static files), `themes/`, the site's own `templates/` and `i18n/`. Events come in bursts (an editor's save
//! is several, a `git checkout` hundreds): [`Batches`] waits until the files have been
//! quiet for a moment and gives the whole burst as one batch, so that it is one
//! rebuild.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::is_ignored;

/// How long the files must be quiet before a burst is taken as finished.
pub const QUIET: Duration = Duration::from_millis(15);
/// A burst that never stops is still rebuilt this often.
pub const LONGEST: Duration = Duration::from_millis(1000);

/// The folders under the site root whose files make the site (watched with all they
/// hold), and the files at the root that do.
const FOLDERS: [&str; 4] = ["content", "themes", "templates", "i18n"];
const ROOT_FILES: [&str; 1] = ["observatory.toml"];

/// The watcher (stops when dropped) and its bursts of changed paths.
pub struct Batches {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// The site root as the system spells it (some backends report events under the
    /// canonical path whatever path was watched).
    root: PathBuf,
    /// The folders of [`FOLDERS`] being watched (one made later is watched then).
    watched: BTreeSet<&'static str>,
    /// Changes already taken from the watcher by [`Batches::waiting`]: the start of
    /// the next burst.
    ahead: RefCell<BTreeSet<String>>,
}

impl Batches {
    /// Watches the site under `root`.
    pub fn new(root: &Path) -> notify::Result<Self> {
        let root = root.canonicalize().map_err(notify::Error::io)?;
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        let mut batches = Batches {
            watcher,
            events,
            root,
            watched: BTreeSet::new(),
            ahead: RefCell::new(BTreeSet::new()),
        };
        batches.watch_folders();
        Ok(batches)
    }

    /// Watches each folder of the site that exists and is not watched yet.
    fn watch_folders(&mut self) {
        for folder in FOLDERS {
            let dir = self.root.join(folder);
            if !self.watched.contains(folder)
                && dir.is_dir()
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(folder);
            }
        }
    }

    /// The next burst of changes to the site's files, relative to the root; `None`
    /// when the watcher is gone. A watcher error (events lost) is a change of
    /// everything: `*`.
    pub fn next_burst(&mut self) -> Option<BTreeSet<String>> {
        let mut changed = self.ahead.take();
        // Wait for the first change that matters.
        while changed.is_empty() {
            let event = self.events.recv().ok()?;
            self.take(event, &mut changed);
        }
        let started = Instant::now();
        loop {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => self.take(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if started.elapsed() >= LONGEST {
                break;
            }
        }
        // A folder of the site made (or made again) since: watch what it holds.
        if changed.iter().any(|p| FOLDERS.contains(&p.as_str())) {
            self.watched.retain(|f| self.root.join(f).is_dir());
            self.watch_folders();
            changed.insert("*".to_string());
        }
        Some(changed)
    }

    /// Whether a change that matters is waiting to be taken by the next burst.
    pub fn waiting(&self) -> bool {
        let mut ahead = self.ahead.borrow_mut();
        while let Ok(event) = self.events.try_recv() {
            self.take(event, &mut ahead);
        }
        !ahead.is_empty()
    }

    fn take(&self, event: notify::Result<notify::Event>, changed: &mut BTreeSet<String>) {
        let event = match event {
            Ok(e) => e,
            Err(_) => {
                changed.insert("*".to_string());
                return;
            }
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        if event.need_rescan() {
            changed.insert("*".to_string());
        }
        for path in &event.paths {
            if let Some(rel) = relevant(&self.root, path) {
                changed.insert(rel);
            }
        }
    }
}

/// `path` relative to `root` when a change to it can change the site: a file of a
/// watched folder that is not hidden or an editor's backup, or a root file of the
/// site.
pub fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    let wanted = match parts.len() {
        1 => ROOT_FILES.contains(&first.as_str()) || FOLDERS.contains(&first.as_str()),
        _ => FOLDERS.contains(&first.as_str()),
    };
    if !wanted || parts.iter().any(|p| is_ignored(p)) {
        return None;
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sites_own_files_matter() {
        let root = Path::new("/site");
        let r = |p: &str| relevant(root, &root.join(p));
        assert_eq!(r("observatory.toml").as_deref(), Some("observatory.toml"));
        assert_eq!(
            r("content/practices/x/index.en.md").as_deref(),
            Some("content/practices/x/index.en.md")
        );
        assert_eq!(
            r("themes/default/templates/base.html").as_deref(),
            Some("themes/default/templates/base.html")
        );
        assert_eq!(r("i18n/fr.toml").as_deref(), Some("i18n/fr.toml"));
        assert_eq!(
            r("templates/practice.html").as_deref(),
            Some("templates/practice.html")
        );
        assert_eq!(r("content").as_deref(), Some("content"));
        // The output, the build's own folders, backups and hidden files do not.
        assert_eq!(r("public/en/index.html"), None);
        assert_eq!(r("public"), None);
        assert_eq!(r("README.md"), None);
        assert_eq!(r("content/practices/x/.index.en.md.swp"), None);
        assert_eq!(r("content/practices/x/#index.en.md#"), None);
        assert_eq!(r("content/practices/x/index.en.md~"), None);
        assert_eq!(r("content/.git/HEAD"), None);
        assert_eq!(relevant(root, Path::new("/elsewhere/x.md")), None);
    }
}
