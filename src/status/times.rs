//! When each file of the site last changed: from git history when the site is in a
//! git work tree with committed content (uncommitted files count as changed now),
//! else from file modification times.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use super::DatesFrom;

/// Last-change times of the site's files.
pub(super) struct ChangeTimes<'a> {
    root: &'a Path,
    pub(super) from: DatesFrom,
    /// Git only: file (relative to the site root) → newest commit time.
    committed: BTreeMap<String, i64>,
    /// Git only: files with uncommitted changes (staged, unstaged or untracked).
    uncommitted: BTreeSet<String>,
    now: i64,
}

impl<'a> ChangeTimes<'a> {
    /// Uses git when `root` is inside a git work tree and at least one file of
    /// `content/` has been committed; otherwise the file system.
    pub(super) fn read(root: &'a Path) -> ChangeTimes<'a> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let (from, committed, uncommitted) = match git_times(root) {
            Some((committed, uncommitted)) if !committed.is_empty() => {
                (DatesFrom::Git, committed, uncommitted)
            }
            _ => (DatesFrom::FileTimes, BTreeMap::new(), BTreeSet::new()),
        };
        ChangeTimes {
            root,
            from,
            committed,
            uncommitted,
            now,
        }
    }

    /// The last change of `file` (relative to the site root). With git, a file git
    /// knows nothing about (ignored) falls back to its modification time.
    pub(super) fn changed(&self, file: &str) -> Option<i64> {
        if self.from == DatesFrom::Git {
            if self.uncommitted.contains(file) {
                return Some(self.now);
            }
            if let Some(&at) = self.committed.get(file) {
                return Some(at);
            }
        }
        let modified = std::fs::metadata(self.root.join(file))
            .and_then(|m| m.modified())
            .ok()?;
        Some(match modified.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        })
    }
}

type GitTimes = (BTreeMap<String, i64>, BTreeSet<String>);

/// The newest commit time of every file of `content/` and the files with uncommitted
/// changes, keyed by their path relative to `root`; `None` when `root` is not in a git
/// work tree or git cannot be run. Two git processes in all, whatever the site's size.
fn git_times(root: &Path) -> Option<GitTimes> {
    let head = git(
        root,
        &["rev-parse", "--is-inside-work-tree", "--show-prefix"],
    )?;
    let mut lines = head.lines();
    if lines.next() != Some("true") {
        return None;
    }
    // Git prints paths relative to the top of the work tree; the site may be below it.
    let prefix = lines.next().unwrap_or("").to_string();
    let relative = |p: &str| p.strip_prefix(prefix.as_str()).map(str::to_string);

    // Commits are marked with \x01 so that they cannot be taken for a path.
    let log = git(
        root,
        &[
            "-c",
            "log.showSignature=false",
            "log",
            "-z",
            "--no-color",
            "--format=%x01%ct",
            "--name-only",
            "--",
            "content",
        ],
    )?;
    let mut committed: BTreeMap<String, i64> = BTreeMap::new();
    let mut at: Option<i64> = None;
    for token in log.split('\0') {
        let token = token.trim_start_matches('\n');
        if let Some(time) = token.strip_prefix('\u{1}') {
            at = time.trim().parse().ok();
        } else if let (Some(t), Some(path)) = (at, relative(token)) {
            let newest = committed.entry(path).or_insert(t);
            *newest = (*newest).max(t);
        }
    }

    let status = git(
        root,
        &[
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=all",
            "--",
            "content",
        ],
    )?;
    let mut uncommitted = BTreeSet::new();
    let mut entries = status.split('\0').filter(|e| !e.is_empty());
    while let Some(entry) = entries.next() {
        let (code, path) = (entry.get(..2).unwrap_or(""), entry.get(3..).unwrap_or(""));
        if let Some(path) = relative(path) {
            uncommitted.insert(path);
        }
        // A rename or copy is followed by the path it came from.
        if code.contains('R') || code.contains('C') {
            entries.next();
        }
    }
    Some((committed, uncommitted))
}

/// Runs git in `dir`; its standard output when it succeeded.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
