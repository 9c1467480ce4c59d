//! The output plan and its writing: every file the site will have, as a relative path
//! checked to stay inside the output folder; written into a staging folder beside the
//! output and swapped in at the end, so a failed build leaves the last good site as it
//! was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

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

/// Writes `files` into a fresh staging folder beside `out`, then swaps it in. On any
/// error the staging folder is removed and `out` is untouched.
pub fn write_site(out: &Path, files: &[OutputFile]) -> io::Result<()> {
    let out = absolute(out)?;
    let parent = out
        .parent()
        .ok_or_else(|| io::Error::other("the output folder has no parent folder"))?;
    fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .ok_or_else(|| io::Error::other("the output folder has no name"))?
        .to_string_lossy()
        .to_string();
    let staging = parent.join(format!(".{name}.limes-staging-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir(&staging)?;
    let result = fill(&staging, files).and_then(|()| swap(&staging, &out));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn absolute(p: &Path) -> io::Result<PathBuf> {
    if p.is_absolute() {
        Ok(p.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(p))
    }
}

fn fill(staging: &Path, files: &[OutputFile]) -> io::Result<()> {
    // Folders first (sequentially, they nest), then the files in parallel.
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut targets = Vec::with_capacity(files.len());
    for f in files {
        let target = safe_join(staging, &f.path).ok_or_else(|| {
            io::Error::other(format!(
                "refusing to write outside the output folder: {}",
                f.path
            ))
        })?;
        if let Some(d) = target.parent() {
            dirs.push(d.to_path_buf());
        }
        targets.push(target);
    }
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d)?;
    }
    files
        .par_iter()
        .zip(targets.par_iter())
        .try_for_each(|(f, target)| match &f.body {
            Body::Bytes(b) => fs::write(target, b),
            Body::Copy(from) => fs::copy(from, target).map(|_| ()),
        })
}

/// Puts `staging` in the place of `out`: an atomic exchange where the system has one,
/// else two renames in a row.
fn swap(staging: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staging, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site.
            return fs::remove_dir_all(staging);
        }
    }
    let old = out.with_file_name(format!(
        ".{}.limes-old-{}",
        out.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    fs::rename(out, &old)?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(e);
    }
    fs::remove_dir_all(&old)
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

    #[test]
    fn swaps_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.txt"), "old").unwrap();
        let files = vec![OutputFile {
            path: "a/b.txt".into(),
            body: Body::Bytes(b"new".to_vec()),
        }];
        write_site(&out, &files).unwrap();
        assert!(!out.join("old.txt").exists());
        assert_eq!(fs::read_to_string(out.join("a/b.txt")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn failed_write_leaves_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("keep.txt"), "keep").unwrap();
        let files = vec![OutputFile {
            path: "x.txt".into(),
            body: Body::Copy(dir.path().join("missing")),
        }];
        assert!(write_site(&out, &files).is_err());
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "keep");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
