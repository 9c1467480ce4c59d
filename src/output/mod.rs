//! The output plan and its writing: every file the site will have, as a relative path
//! checked to stay inside the output folder ([`Plan`]); written into a staging folder
//! beside the output and swapped in at the end, so a failed build leaves the last good
//! site as it was ([`write`]). A build's plan writes each file into the staging folder
//! as soon as it is made ([`Plan::streaming`]), so that the build holds the site graph,
//! not its output; `check` and `serve` keep the files in memory ([`Plan::default`]).

pub mod fresh;
mod write;

pub use write::{
    Lock, MARKER, Staging, WriteError, Written, check_target, explain, is_output, write_site,
};

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;

/// What one output file holds.
#[derive(Clone, Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Copied from a file of the site (static files).
    Copy(PathBuf),
}

#[derive(Clone, Debug)]
pub struct OutputFile {
    /// Relative to the output root, `/` separated, e.g. `en/practices/x/index.html`.
    pub path: String,
    pub body: Body,
}

/// Who put a file in the plan, to name it when two want the same path.
#[derive(Clone, Debug)]
pub enum Origin {
    /// Made by a renderer (a page, a feed, the sitemap...).
    Generated,
    /// Copied from a file of the site or its theme, relative to the site root.
    File(String),
}

/// Every file the site will have, by path: what renderers add to, from any thread.
/// Two files at one path are a diagnostic, never a silent overwrite. In memory (the
/// default) the plan keeps every file's bytes; streaming, it writes each file into a
/// staging folder as it is added and keeps only its path.
#[derive(Debug, Default)]
pub struct Plan<'s> {
    state: Mutex<State>,
    staging: Option<&'s Staging>,
}

#[derive(Debug, Default)]
struct State {
    /// `None`: written into the staging folder.
    files: BTreeMap<String, (Option<Body>, Origin)>,
    diagnostics: Vec<Diagnostic>,
    /// Streaming: each file written, with its size.
    written: Vec<(String, u64)>,
    /// The first file that could not be written, and why.
    failed: Option<(String, io::Error)>,
}

/// What a streaming plan made: the paths of the files written, or why it failed.
#[derive(Debug)]
pub enum Failed {
    /// Problems of the site, each a diagnostic.
    Site(Vec<Diagnostic>),
    /// A file could not be written into the staging folder.
    Io(String, io::Error),
}

impl<'s> Plan<'s> {
    /// A plan that writes every file into `staging` as soon as it is added.
    pub fn streaming(staging: &'s Staging) -> Plan<'s> {
        Plan {
            state: Mutex::default(),
            staging: Some(staging),
        }
    }

    /// Adds a file made by a renderer.
    pub fn add(&self, path: impl Into<String>, bytes: Vec<u8>) {
        self.insert(path.into(), Body::Bytes(bytes), Origin::Generated);
    }

    /// Adds a file copied from `from`, a file of the site whose path relative to the
    /// root is `rel`.
    pub fn copy(&self, path: impl Into<String>, from: PathBuf, rel: String) {
        self.insert(path.into(), Body::Copy(from), Origin::File(rel));
    }

    /// Records problems found while rendering; the plan is refused if it has any.
    pub fn report(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.state().diagnostics.extend(diagnostics);
    }

    /// How many files the plan holds.
    pub fn len(&self) -> usize {
        self.state().files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, path: &str) -> bool {
        self.state().files.contains_key(path)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A renderer that panicked cannot have left the map half-changed.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes `path` for `body` (or reports why not), then, streaming, writes it.
    fn insert(&self, path: String, body: Body, origin: Origin) {
        if safe_join(Path::new("/"), &path).is_none() {
            let (file, help) = match &origin {
                Origin::File(rel) => (rel.clone(), "rename the file"),
                Origin::Generated => (path.clone(), "this is a bug of limes; please report it"),
            };
            self.report([
                Diagnostic::file(file, "this file's name cannot be published safely").help(help),
            ]);
            return;
        }
        let mut state = self.state();
        if let Some((_, existing)) = state.files.get(&path) {
            let d = match (&origin, existing) {
                (Origin::File(rel), Origin::Generated) => Diagnostic::file(
                    rel.clone(),
                    format!("this static file would replace the generated page /{path}"),
                )
                .help("rename or move the file"),
                (Origin::File(rel), Origin::File(other)) => Diagnostic::file(
                    rel.clone(),
                    format!("this file and {other} would both be published as /{path}"),
                )
                .help("rename or move one of them"),
                (Origin::Generated, _) => Diagnostic::file(
                    path.clone(),
                    "two generated files would be written at this path",
                )
                .help("this is a bug of limes; please report it"),
            };
            state.diagnostics.push(d);
            return;
        }
        let Some(staging) = self.staging else {
            state.files.insert(path, (Some(body), origin));
            return;
        };
        // The path is taken; the file is written without holding the plan.
        state.files.insert(path.clone(), (None, origin));
        let stop = state.failed.is_some() || !state.diagnostics.is_empty();
        drop(state);
        if stop {
            return;
        }
        match staging.put(&path, &body) {
            Ok(size) => self.state().written.push((path, size)),
            Err(e) => {
                self.state().failed.get_or_insert((path, e));
            }
        }
    }

    /// The files, sorted by path, or every problem reported.
    pub fn finish(self) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let clashes = case_clashes(&state.files);
        state.diagnostics.extend(clashes);
        if !state.diagnostics.is_empty() {
            return Err(state.diagnostics);
        }
        Ok(state
            .files
            .into_iter()
            .filter_map(|(path, (body, _))| Some(OutputFile { path, body: body? }))
            .collect())
    }

    /// The files a streaming plan wrote, with their sizes, sorted by path; or why it
    /// failed.
    pub fn finish_written(self) -> Result<Vec<(String, u64)>, Failed> {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let clashes = case_clashes(&state.files);
        state.diagnostics.extend(clashes);
        if !state.diagnostics.is_empty() {
            return Err(Failed::Site(state.diagnostics));
        }
        if let Some((path, e)) = state.failed {
            return Err(Failed::Io(path, e));
        }
        let mut written = state.written;
        written.sort_unstable();
        Ok(written)
    }
}

/// Files of the plan whose paths differ from another's only in letter case, in the file
/// name or in a folder above it (`EN/logo.png` beside the generated `en/...`): Windows,
/// macOS and many web hosts keep them as one, so one would replace the other. Limes
/// names its own files consistently, so a clash always involves a file of the site,
/// which is named.
fn case_clashes(files: &BTreeMap<String, (Option<Body>, Origin)>) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    // Each path and each folder above it, in lower case, with how it is spelled and
    // the site's file that spelled it so (none: limes).
    let mut seen: HashMap<String, (&str, Option<&str>)> = HashMap::new();
    let mut out = Vec::new();
    // The site's files last: each is compared with everything limes generates.
    let order = files
        .iter()
        .filter(|(_, (_, o))| matches!(o, Origin::Generated))
        .chain(
            files
                .iter()
                .filter(|(_, (_, o))| matches!(o, Origin::File(_))),
        );
    for (path, (_, origin)) in order {
        let rel = match origin {
            Origin::File(rel) => Some(rel.as_str()),
            Origin::Generated => None,
        };
        for (i, _) in path.match_indices('/').chain([(path.len(), "")]) {
            let prefix = &path[..i];
            match seen.get(&prefix.to_lowercase()) {
                Some(&(spelled, other)) if spelled != prefix => {
                    let (Some(rel), whole) = (rel, i == path.len()) else {
                        break;
                    };
                    let of = other.map(|o| format!(" ({o})")).unwrap_or_default();
                    let message = if whole {
                        format!(
                            "this file would be published as /{path}, which differs only in letter case from /{spelled}{of}: on Windows, macOS and many web hosts the two are one file"
                        )
                    } else {
                        format!(
                            "this file would be published as /{path}, in a folder /{prefix}/ that differs only in letter case from /{spelled}/{of}: on Windows, macOS and many web hosts the two are one folder"
                        )
                    };
                    out.push(Diagnostic::file(rel, message).help(
                        "rename or move the file so that the two are spelled alike, or differ in more than letter case",
                    ));
                    break;
                }
                Some(_) => {}
                None => {
                    seen.insert(prefix.to_lowercase(), (prefix, rel));
                }
            }
        }
    }
    out
}

/// `rel` as a path under `root`, or `None` if it could leave it (`..`, absolute,
/// empty segments, backslashes, NUL).
pub fn safe_join(root: &Path, rel: &str) -> Option<PathBuf> {
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let mut out = root.to_path_buf();
    for part in rel.split('/') {
        let p = Path::new(part);
        match p.components().next() {
            Some(Component::Normal(_))
                if p.components().count() == 1 && part != "." && part != ".." =>
            {
                out.push(part)
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escapes() {
        let root = Path::new("/site/public");
        assert_eq!(
            safe_join(root, "en/index.html"),
            Some(PathBuf::from("/site/public/en/index.html"))
        );
        for bad in [
            "../x",
            "en/../../x",
            "/etc/passwd",
            "",
            "en//x",
            "a\\..\\b",
            "./x",
            "en/..",
        ] {
            assert_eq!(safe_join(root, bad), None, "{bad}");
        }
    }
}
