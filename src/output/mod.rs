//! The output plan and its writing: every file the site will have, as a relative path
//! checked to stay inside the output folder ([`Plan`]); written into a staging folder
//! beside the output and swapped in at the end, so a failed build leaves the last good
//! site as it was ([`write`]).

mod write;

pub use write::{MARKER, WriteError, Written, check_target, is_output, write_site};

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

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

/// Every file the site will have, by path: what renderers add to, one after another.
/// Two files at one path are a diagnostic, never a silent overwrite.
#[derive(Debug, Default)]
pub struct Plan {
    files: BTreeMap<String, (Body, Origin)>,
    diagnostics: Vec<Diagnostic>,
}

impl Plan {
    /// Adds a file made by a renderer.
    pub fn add(&mut self, path: impl Into<String>, bytes: Vec<u8>) {
        self.insert(path.into(), Body::Bytes(bytes), Origin::Generated);
    }

    /// Adds a file copied from `from`, a file of the site whose path relative to the
    /// root is `rel`.
    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf, rel: String) {
        self.insert(path.into(), Body::Copy(from), Origin::File(rel));
    }

    /// Records problems found while rendering; the plan is refused if it has any.
    pub fn report(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(diagnostics);
    }

    /// How many files the plan holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    fn insert(&mut self, path: String, body: Body, origin: Origin) {
        if safe_join(Path::new("/"), &path).is_none() {
            let (file, help) = match &origin {
                Origin::File(rel) => (rel.clone(), "rename the file"),
                Origin::Generated => (path.clone(), "this is a bug of limes; please report it"),
            };
            self.diagnostics.push(
                Diagnostic::file(file, "this file's name cannot be published safely").help(help),
            );
            return;
        }
        match self.files.get(&path) {
            None => {
                self.files.insert(path, (body, origin));
            }
            Some((_, existing)) => {
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
                self.diagnostics.push(d);
            }
        }
    }

    /// The files, sorted by path, or every problem reported.
    pub fn finish(self) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        if !self.diagnostics.is_empty() {
            return Err(self.diagnostics);
        }
        Ok(self
            .files
            .into_iter()
            .map(|(path, (body, _))| OutputFile { path, body })
            .collect())
    }
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
