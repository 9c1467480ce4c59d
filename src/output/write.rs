//! Writing the plan: where a build may write ([`check_target`]: never the site, a
//! folder around it or inside it, a file, or a folder limes did not write), then the
//! staging folder, the swap, and the removal of what interrupted builds left.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::fresh::{Print, Record};
use super::{Body, OutputFile, safe_join};
use crate::diagnostics::Diagnostic;
use crate::progress::Progress;

/// The file at the top of every output folder limes writes: how a later build knows
/// a folder it may replace. It is written first into the staging folder, so that an
/// interrupted build's leftovers are recognisable too.
pub const MARKER: &str = ".limes-output";
const MARKER_TEXT: &str =
    "This folder is written by limes; every build replaces all of it. Keep no other files here.\n";

/// Where a build may write, or why it may not: `out` as the user gave it, checked
/// against the site folder `root`. `own` is the one output folder allowed inside the
/// site (`<root>/<output_dir>`); `force` allows replacing a non-empty folder that is
/// not a limes output, and nothing else. A symbolic link is followed: the site is
/// written where it points and the link stays. Returns the real, absolute folder.
pub fn check_target(
    root: &Path,
    out: &Path,
    own: &Path,
    force: bool,
) -> Result<PathBuf, Diagnostic> {
    let shown = out.to_string_lossy().to_string();
    let refuse = |msg: String, help: String| Diagnostic::file(shown.clone(), msg).help(help);
    let dir = resolve(out).map_err(|e| match e {
        Resolve::Dangling(link, to) => refuse(
            format!(
                "the output folder is a symbolic link to {}, which does not exist",
                to.display()
            ),
            format!(
                "create {} first, or point --out at a folder ({} is the link)",
                to.display(),
                link.display()
            ),
        ),
        Resolve::Io(e) => refuse(
            format!("cannot use this output folder: {e}"),
            "choose another folder with --out".into(),
        ),
    })?;
    // Without a site folder there is nothing to compare with; the settings report it.
    let Ok(site) = fs::canonicalize(root) else {
        return Ok(dir);
    };
    let site_shown = site.display();
    let own = resolve_lexically(&site, own.strip_prefix(root).unwrap_or(own));
    // The folder as the messages name it: its real path, and the link that led there.
    let what = match fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => format!(
            "{} (a symbolic link to {})",
            absolute(out).unwrap_or_default().display(),
            dir.display()
        ),
        _ => dir.display().to_string(),
    };
    if dir == site {
        return Err(refuse(
            format!(
                "the output folder {what} is the site folder; building there would replace the site's sources"
            ),
            format!(
                "write the site into a folder of its own, such as {} (the default)",
                own.display()
            ),
        ));
    }
    if site.starts_with(&dir) {
        return Err(refuse(
            format!(
                "the output folder {what} contains the site folder {site_shown}; building there would replace the site's sources"
            ),
            format!(
                "choose a folder outside the site, or leave out --out to build into {}",
                own.display()
            ),
        ));
    }
    if dir.starts_with(&site) && dir != own {
        return Err(refuse(
            format!("the output folder {what} lies inside the site folder {site_shown}"),
            format!(
                "the only output folder allowed inside the site is {} (`output_dir` in observatory.toml); use it, change output_dir, or choose a folder outside the site",
                own.display()
            ),
        ));
    }
    check_existing(&dir, &what, force).map_err(|(msg, help)| refuse(msg, help))?;
    Ok(dir)
}

/// What is at `dir` must be nothing, an empty folder, an earlier output of limes or,
/// with `force`, any folder: never a file.
/// `what` names it in messages.
fn check_existing(dir: &Path, what: &str, force: bool) -> Result<(), (String, String)> {
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err((format!("cannot read the output folder {what}: {e}"), "choose another folder with --out".into())),
        Ok(m) if !m.is_dir() => Err((
            format!("the output path {what} is a file, not a folder"),
            "limes replaces only folders it wrote itself: remove the file or choose another --out".into(),
        )),
        Ok(_) if force || is_output(dir) => Ok(()),
        Ok(_) => match fs::read_dir(dir).map(|mut d| d.next().is_none()) {
            Ok(true) => Ok(()),
            Ok(false) => Err((
                format!("the output folder {what} is not empty and was not written by limes (it has no {MARKER} file)"),
                "every build replaces its output folder with the new site: choose a new or empty folder, or pass --force to replace this one and everything in it (also for an output of a limes older than the marker)".into(),
            )),
            Err(e) => Err((format!("cannot read the output folder {what}: {e}"), "choose another folder with --out".into())),
        },
    }
}

/// Whether `dir` holds the marker of a limes output.
pub fn is_output(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

enum Resolve {
    /// A symbolic link (first) to a path that does not exist (second).
    Dangling(PathBuf, PathBuf),
    Io(io::Error),
}

/// `p` made absolute with every symbolic link of its existing part resolved, the
/// part that does not exist yet appended as written.
fn resolve(p: &Path) -> Result<PathBuf, Resolve> {
    let abs = absolute(p).map_err(Resolve::Io)?;
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if !exists {
                    continue;
                }
                match fs::symlink_metadata(&out) {
                    Ok(m) => match fs::canonicalize(&out) {
                        Ok(real) => out = real,
                        Err(e)
                            if m.file_type().is_symlink()
                                && e.kind() == io::ErrorKind::NotFound =>
                        {
                            let to = fs::read_link(&out).unwrap_or_default();
                            let to = out.parent().map(|d| d.join(&to)).unwrap_or(to);
                            return Err(Resolve::Dangling(out, to));
                        }
                        Err(e) => return Err(Resolve::Io(e)),
                    },
                    Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                    Err(e) => return Err(Resolve::Io(e)),
                }
            }
        }
    }
    Ok(out)
}

/// `rel` under the real folder `base`, without following links in `rel`.
fn resolve_lexically(base: &Path, rel: &Path) -> PathBuf {
    let mut out = base.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out
}

/// How writing the site failed, and what it left.
#[derive(Debug)]
pub enum WriteError {
    /// The output is as it was before the build.
    Untouched(io::Error),
    /// The previous output was moved aside to `old` and neither the new site nor the
    /// previous one could be put back in its place.
    Displaced { old: PathBuf, error: io::Error },
}

/// What writing the site did besides writing it.
#[derive(Debug, Default)]
pub struct Written {
    /// Leftovers of interrupted builds removed first.
    pub cleaned: Vec<PathBuf>,
    /// The previous output, swapped out, that could not be removed.
    pub old_left: Option<(PathBuf, io::Error)>,
}

/// Writes `files` into a fresh staging folder beside `out` (a folder checked by
/// [`check_target`]), then swaps it in ([`Staging`]). Fails with the output untouched
/// unless the swap itself broke. `progress` is told of each file written.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    force: bool,
    progress: &dyn Progress,
) -> Result<Written, WriteError> {
    let staging = Staging::begin(out, force)?;
    files
        .par_iter()
        .try_for_each(|f| {
            staging.put(&f.path, &f.body)?;
            progress.advance(1);
            Ok(())
        })
        .map_err(WriteError::Untouched)?;
    staging.finish()
}

/// Removes what interrupted builds into `out` left beside it (with the lock held, as
/// [`Staging::begin`] does), for a build that has nothing to write.
pub fn remove_leftovers_of(out: &Path) -> io::Result<Vec<PathBuf>> {
    let out = absolute(out)?;
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Ok(Vec::new());
    };
    let _lock = lock(parent)?;
    remove_leftovers(parent, &name.to_string_lossy())
}

/// A new site being written: a fresh staging folder beside the output, filled file by
/// file (from any thread) and put in the output's place by [`Staging::finish`]; dropped
/// unfinished, it is removed and the output stays as it was. Holds a lock on the
/// output's parent folder meanwhile, so that two builds into one place take turns and
/// the leftovers of an interrupted build (its staging folder, whatever its process id)
/// are known to be stale and are removed first.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    cleaned: Vec<PathBuf>,
    finished: bool,
    _lock: Lock,
}

impl Staging {
    /// Takes the lock, removes what interrupted builds left, checks `out` again (it
    /// may have changed since [`check_target`]) and makes the staging folder with the
    /// marker in it.
    pub fn begin(out: &Path, force: bool) -> Result<Staging, WriteError> {
        let untouched = WriteError::Untouched;
        let out = absolute(out).map_err(untouched)?;
        let parent = out
            .parent()
            .ok_or_else(|| untouched(io::Error::other("the output folder has no parent folder")))?;
        fs::create_dir_all(parent).map_err(untouched)?;
        let name = out
            .file_name()
            .ok_or_else(|| untouched(io::Error::other("the output folder has no name")))?
            .to_string_lossy()
            .to_string();
        let lock = lock(parent).map_err(untouched)?;
        let cleaned = remove_leftovers(parent, &name).map_err(untouched)?;
        check_existing(&out, &out.display().to_string(), force)
            .map_err(|(msg, _)| untouched(io::Error::other(msg)))?;
        let dir = parent.join(format!(".{name}.limes-staging-{}", std::process::id()));
        let old = parent.join(format!(".{name}.limes-old-{}", std::process::id()));
        fs::create_dir(&dir).map_err(untouched)?;
        let staging = Staging {
            out: out.clone(),
            dir,
            old,
            cleaned,
            finished: false,
            _lock: lock,
        };
        fs::write(staging.dir.join(MARKER), MARKER_TEXT).map_err(untouched)?;
        Ok(staging)
    }

    /// Writes one file of the new site, `rel` being its path in the output; gives its
    /// size.
    pub fn put(&self, rel: &str, body: &Body) -> io::Result<u64> {
        let target = safe_join(&self.dir, rel).ok_or_else(|| {
            io::Error::other(format!(
                "refusing to write outside the output folder: {rel}"
            ))
        })?;
        if let Some(d) = target.parent() {
            fs::create_dir_all(d)?;
        }
        match body {
            Body::Bytes(b) => fs::write(&target, b).map(|()| b.len() as u64),
            Body::Copy(from) => fs::copy(from, &target),
        }
    }

    /// Writes the marker again with `record` of this build, made from the print of
    /// `written` (every file put, with its size, sorted by path): what tells the next
    /// build whether it has anything to do.
    pub fn seal(
        &self,
        written: &[(String, u64)],
        record: impl FnOnce(Print) -> Record,
    ) -> io::Result<()> {
        let text = format!(
            "{MARKER_TEXT}{}",
            record(super::fresh::files(written)).lines()
        );
        fs::write(self.dir.join(MARKER), text)
    }

    /// Puts the new site in the output's place and removes the previous one.
    pub fn finish(mut self) -> Result<Written, WriteError> {
        let mut written = Written {
            cleaned: std::mem::take(&mut self.cleaned),
            old_left: None,
        };
        let swapped = swap(&self.dir, &self.out, &self.old);
        // Swapped or not, the staging folder is not to be removed by `drop` now: it
        // is the output, or the swap removes it below.
        self.finished = true;
        match swapped {
            Ok(None) => {}
            Ok(Some(previous)) => {
                if let Err(e) = fs::remove_dir_all(&previous) {
                    written.old_left = Some((previous, e));
                }
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&self.dir);
                return Err(e);
            }
        }
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(unix)]
type Lock = fs::File;
#[cfg(not(unix))]
type Lock = ();

/// An exclusive lock on `dir` for as long as the value lives (Unix; elsewhere none).
#[cfg(unix)]
fn lock(dir: &Path) -> io::Result<fs::File> {
    let f = fs::File::open(dir)?;
    rustix::fs::flock(&f, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(f)
}

#[cfg(not(unix))]
fn lock(_dir: &Path) -> io::Result<Lock> {
    Ok(())
}

/// Removes what interrupted builds of `name` left in `parent`: staging folders that
/// are empty or carry the marker (a build writes it first), and previous outputs
/// swapped out but not yet removed. Called with the lock held, so none is in use.
fn remove_leftovers(parent: &Path, name: &str) -> io::Result<Vec<PathBuf>> {
    let staging = format!(".{name}.limes-staging-");
    let old = format!(".{name}.limes-old-");
    let mut removed = Vec::new();
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        let file_name = entry.file_name().to_string_lossy().to_string();
        let is_staging = file_name.starts_with(&staging);
        if !(is_staging || file_name.starts_with(&old)) || !entry.file_type()?.is_dir() {
            continue;
        }
        let path = entry.path();
        let ours = !is_staging || is_output(&path) || fs::read_dir(&path)?.next().is_none();
        if ours {
            fs::remove_dir_all(&path)?;
            removed.push(path);
        }
    }
    removed.sort();
    Ok(removed)
}

fn absolute(p: &Path) -> io::Result<PathBuf> {
    std::path::absolute(p)
}
/// Puts `staging` in the place of `out`: an atomic exchange where the system has one,
/// else two renames in a row. Returns where the previous output now is, if there was
/// one (renamed to `old` first, so that an interrupted removal is recognised).
fn swap(staging: &Path, out: &Path, old: &Path) -> Result<Option<PathBuf>, WriteError> {
    if !out.exists() {
        return fs::rename(staging, out)
            .map(|()| None)
            .map_err(WriteError::Untouched);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site.
            return Ok(Some(match fs::rename(staging, old) {
                Ok(()) => old.to_path_buf(),
                Err(_) => staging.to_path_buf(),
            }));
        }
    }
    fs::rename(out, old).map_err(WriteError::Untouched)?;
    if let Err(error) = fs::rename(staging, out) {
        return match fs::rename(old, out) {
            Ok(()) => Err(WriteError::Untouched(error)),
            Err(_) => Err(WriteError::Displaced {
                old: old.to_path_buf(),
                error,
            }),
        };
    }
    Ok(Some(old.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    #[test]
    fn swaps_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join(MARKER), "").unwrap();
        fs::write(out.join("old.txt"), "old").unwrap();
        let files = vec![OutputFile {
            path: "a/b.txt".into(),
            body: Body::Bytes(b"new".to_vec()),
        }];
        write_site(&out, &files, false, &Silent).unwrap();
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
        fs::write(out.join(MARKER), "").unwrap();
        fs::write(out.join("keep.txt"), "keep").unwrap();
        let files = vec![OutputFile {
            path: "x.txt".into(),
            body: Body::Copy(dir.path().join("missing")),
        }];
        assert!(matches!(
            write_site(&out, &files, false, &Silent),
            Err(WriteError::Untouched(_))
        ));
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "keep");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        // Without the marker the folder is not limes's to replace.
        fs::remove_file(out.join(MARKER)).unwrap();
        let ok = vec![OutputFile {
            path: "x.txt".into(),
            body: Body::Bytes(b"x".to_vec()),
        }];
        assert!(matches!(
            write_site(&out, &ok, false, &Silent),
            Err(WriteError::Untouched(_))
        ));
        assert_eq!(common_files(&out), ["keep.txt"]);
        write_site(&out, &ok, true, &Silent).unwrap();
        assert_eq!(common_files(&out), [MARKER, "x.txt"]);
    }

    fn common_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn leftovers_of_interrupted_builds_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stale = dir.path().join(".public.limes-staging-999999");
        fs::create_dir_all(stale.join("en")).unwrap();
        fs::write(stale.join(MARKER), "").unwrap();
        fs::write(stale.join("en/index.html"), "half").unwrap();
        let empty = dir.path().join(".public.limes-staging-1");
        fs::create_dir(&empty).unwrap();
        let old = dir.path().join(".public.limes-old-7");
        fs::create_dir(&old).unwrap();
        fs::write(old.join("x"), "").unwrap();
        // Not ours: no marker, or another output's name.
        let foreign = dir.path().join(".public.limes-staging-2");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("mine.txt"), "").unwrap();
        let other = dir.path().join(".dist.limes-staging-3");
        fs::create_dir(&other).unwrap();
        let files = vec![OutputFile {
            path: "a.txt".into(),
            body: Body::Bytes(b"a".to_vec()),
        }];
        let w = write_site(&out, &files, false, &Silent).unwrap();
        assert_eq!(w.cleaned, [old, empty, stale]);
        assert_eq!(
            common_files(dir.path()),
            [".dist.limes-staging-3", ".public.limes-staging-2", "public"]
        );
    }
}
