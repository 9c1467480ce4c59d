//! Writing the plan: where a build may write ([`check_target`]: never the site, a
//! folder around it or inside it, a file, a folder limes did not write, or one it
//! cannot replace), the lock that makes two builds into one place take turns
//! ([`Lock`]), then the staging folder, the swap, and the removal of what interrupted
//! builds left. Every I/O error says what was being done to which path, and keeps its
//! kind, from which [`explain`] tells the user what went wrong and what to do.

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
        // Made by the build, in a parent folder that must let it.
        Err(e) if e.kind() == io::ErrorKind::NotFound => match dir.parent() {
            Some(parent) if parent.is_dir() => writable_beside(parent, what),
            _ => Ok(()),
        },
        Err(e) => Err((format!("cannot read the output folder {what}: {e}"), "choose another folder with --out".into())),
        Ok(m) if !m.is_dir() => Err((
            format!("the output path {what} is a file, not a folder"),
            "limes replaces only folders it wrote itself: remove the file or choose another --out".into(),
        )),
        Ok(_) if force || is_output(dir) => replaceable(dir, what),
        Ok(_) => match fs::read_dir(dir).map(|mut d| d.next().is_none()) {
            Ok(true) => replaceable(dir, what),
            Ok(false) => Err((
                format!("the output folder {what} is not empty and was not written by limes (it has no {MARKER} file)"),
                "every build replaces its output folder with the new site: choose a new or empty folder, or pass --force to replace this one and everything in it (also for an output of a limes older than the marker)".into(),
            )),
            Err(e) => Err((format!("cannot read the output folder {what}: {e}"), "choose another folder with --out".into())),
        },
    }
}

/// Whether the existing folder `dir` can be replaced: the new site is written beside
/// it, in its parent folder, and the previous one removed from it, so both must be
/// writable. Checked before anything is written, so that a read-only folder is
/// refused with the output as it was rather than half-way through the swap.
fn replaceable(dir: &Path, what: &str) -> Result<(), (String, String)> {
    if let Err(e) = writable(dir) {
        return Err(match e {
            Unwritable::ReadOnlyDisk => (
                format!("cannot write the output folder {what}: it is on a read-only file system"),
                "build into a folder on a writable disk with --out, or mount this one read-write"
                    .into(),
            ),
            Unwritable::Denied => (
                format!(
                    "cannot replace the output folder {what}: it is read-only (permission denied)"
                ),
                format!(
                    "every build replaces the whole folder, so it must be writable by this user: make it writable (chmod -R u+w {}) or build as its owner, or choose another folder with --out",
                    dir.display()
                ),
            ),
        });
    }
    match dir.parent() {
        Some(parent) => writable_beside(parent, what),
        None => Ok(()),
    }
}

/// Whether the folder `parent` lets a build write the staging folder of the output
/// `what` (a folder in it) and swap it in.
fn writable_beside(parent: &Path, what: &str) -> Result<(), (String, String)> {
    match writable(parent) {
        Ok(()) => Ok(()),
        Err(Unwritable::ReadOnlyDisk) => Err((
            format!(
                "cannot write beside the output folder {what}: its parent folder {} is on a read-only file system",
                parent.display()
            ),
            "build into a folder on a writable disk with --out, or mount this one read-write"
                .into(),
        )),
        Err(Unwritable::Denied) => Err((
            format!(
                "cannot write beside the output folder {what}: its parent folder {} is read-only (permission denied)",
                parent.display()
            ),
            format!(
                "limes writes the new site into a folder beside the output and swaps it in, so {} must be writable by this user too: make it writable (chmod u+w {}), or choose an output folder in a writable place with --out",
                parent.display(),
                parent.display()
            ),
        )),
    }
}

/// Why a folder cannot be written.
enum Unwritable {
    ReadOnlyDisk,
    Denied,
}

/// Whether this user may create and remove files in the folder `dir`. Any other
/// problem (the folder vanished...) is left for the write to report.
#[cfg(unix)]
fn writable(dir: &Path) -> Result<(), Unwritable> {
    use rustix::fs::{Access, access};
    use rustix::io::Errno;
    match access(dir, Access::WRITE_OK | Access::EXEC_OK) {
        Err(Errno::ROFS) => Err(Unwritable::ReadOnlyDisk),
        Err(Errno::ACCESS | Errno::PERM) => Err(Unwritable::Denied),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn writable(_dir: &Path) -> Result<(), Unwritable> {
    Ok(())
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

/// `e` with what was being done when it happened (`cannot write /x/y`); its kind is
/// kept, for [`explain`].
fn doing(e: io::Error, what: impl std::fmt::Display) -> io::Error {
    io::Error::new(e.kind(), format!("{what}: {e}"))
}

/// The message and help for `e`, an error of writing the output `out` (its parent
/// folder holds the staging folder), from its kind: the disk full, a quota, a limit
/// on file size, a read-only disk, a permission, or else the error as it is. The
/// previous output was left as it was (the caller says so otherwise).
pub fn explain(e: &io::Error, out: &Path) -> (String, String) {
    let parent = out.parent().unwrap_or(out).display();
    let kept = "the previous output was left as it was";
    match e.kind() {
        io::ErrorKind::StorageFull => (
            format!("cannot write the site: the disk is full ({e})"),
            format!(
                "free some space on the disk that holds {parent}, then build again (a build needs room for the new site beside the previous one until it replaces it); {kept}"
            ),
        ),
        io::ErrorKind::QuotaExceeded => (
            format!("cannot write the site: the disk quota is used up ({e})"),
            format!(
                "free some space within your quota on the disk that holds {parent} or ask for a larger one, then build again; {kept}"
            ),
        ),
        io::ErrorKind::FileTooLarge => (
            format!("cannot write the site: a file is larger than this process may write ({e})"),
            format!(
                "a limit on the size of files was reached: the limit of this process (`ulimit -f`; raise it with `ulimit -f unlimited`) or the largest file of the file system (build on another disk with --out); {kept}"
            ),
        ),
        io::ErrorKind::ReadOnlyFilesystem => (
            format!("cannot write the site: the file system is read-only ({e})"),
            format!(
                "build into a folder on a writable disk with --out, or mount this one read-write; {kept}"
            ),
        ),
        io::ErrorKind::PermissionDenied => (
            format!("cannot write the site: permission denied ({e})"),
            format!(
                "limes writes the new site beside the output folder, in {parent}, and swaps it in: that folder and the output folder must be writable by this user (check their owner and permissions), or choose another folder with --out; {kept}"
            ),
        ),
        _ => (
            format!("cannot write the site: {e}"),
            format!("check that the output folder's parent exists and is writable; {kept}"),
        ),
    }
}

/// Writes `files` into a fresh staging folder beside `out` (a folder checked by
/// [`check_target`]), then swaps it in ([`Staging`]). Fails with the output untouched
/// unless the swap itself broke. `progress` is told of each file written, and of a
/// wait for another build's lock.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    force: bool,
    progress: &dyn Progress,
) -> Result<Written, WriteError> {
    let lock = Lock::take(out, progress).map_err(WriteError::Untouched)?;
    let staging = Staging::begin(lock, force)?;
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

/// The lock of an output folder, held from before a build looks at the output until
/// the new site is in place: a file `.<name>.limes-lock` beside the output, locked with
/// an OS file lock (`flock`), so that two builds into one place take turns and a build
/// killed while it holds the lock never blocks the next (the system lets go of a
/// process's locks when it ends, however it ends). The file holds the process id of
/// the build that holds it, for the message of a build that waits; it is removed when
/// the lock is let go (Unix; elsewhere there is no lock).
#[derive(Debug)]
pub struct Lock {
    /// The output folder, absolute.
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// Open, and so locked, until the lock is let go.
    #[cfg(unix)]
    _file: fs::File,
    #[cfg(unix)]
    path: PathBuf,
}

impl Lock {
    /// Takes the lock of the output folder `out`, making its parent folder if need be.
    /// When another process holds it, tells `progress` ([`Progress::waiting`]) and
    /// waits for it.
    pub fn take(out: &Path, progress: &dyn Progress) -> io::Result<Lock> {
        let out = absolute(out)?;
        let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
            return Err(io::Error::other(format!(
                "{} cannot be an output folder: it has no parent folder",
                out.display()
            )));
        };
        let parent = parent.to_path_buf();
        let name = name.to_string_lossy().to_string();
        fs::create_dir_all(&parent)
            .map_err(|e| doing(e, format!("cannot create the folder {}", parent.display())))?;
        #[cfg(unix)]
        let lock = {
            let path = parent.join(format!(".{name}.limes-lock"));
            let file = hold(&path, &out, progress)?;
            Lock {
                out,
                parent,
                name,
                _file: file,
                path,
            }
        };
        #[cfg(not(unix))]
        let lock = {
            let _ = progress;
            Lock { out, parent, name }
        };
        Ok(lock)
    }

    /// The output folder, absolute.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Removes what interrupted builds into the output left beside it: staging
    /// folders that are empty or carry the marker (a build writes it first), and
    /// previous outputs swapped out but not yet removed. None is in use: whoever made
    /// them no longer holds the lock.
    pub fn remove_leftovers(&self) -> io::Result<Vec<PathBuf>> {
        let staging = format!(".{}.limes-staging-", self.name);
        let old = format!(".{}.limes-old-", self.name);
        let cannot_read = |e| {
            doing(
                e,
                format!("cannot read the folder {}", self.parent.display()),
            )
        };
        let mut found = Vec::new();
        for entry in fs::read_dir(&self.parent).map_err(cannot_read)? {
            let entry = entry.map_err(cannot_read)?;
            let file_name = entry.file_name().to_string_lossy().to_string();
            let is_staging = file_name.starts_with(&staging);
            if !(is_staging || file_name.starts_with(&old))
                || !entry.file_type().map_err(cannot_read)?.is_dir()
            {
                continue;
            }
            let path = entry.path();
            let ours = !is_staging
                || is_output(&path)
                || fs::read_dir(&path)
                    .map_err(|e| doing(e, format!("cannot read {}", path.display())))?
                    .next()
                    .is_none();
            if ours {
                found.push((is_staging, file_name, path));
            }
        }
        // Previous outputs first: a staging folder is renamed to their kind of name
        // before it is removed, so that a build killed while it removes one (its
        // marker may go first) leaves a folder the next build still knows as its own.
        found.sort();
        let mut removed = Vec::new();
        for (is_staging, file_name, path) in found {
            let cannot_remove = |e| {
                doing(
                    e,
                    format!(
                        "cannot remove {}, left by an interrupted build (remove it by hand)",
                        path.display()
                    ),
                )
            };
            if is_staging {
                let aside = self
                    .parent
                    .join(format!("{old}staging-{}", &file_name[staging.len()..]));
                fs::rename(&path, &aside).map_err(cannot_remove)?;
                fs::remove_dir_all(&aside).map_err(cannot_remove)?;
            } else {
                fs::remove_dir_all(&path).map_err(cannot_remove)?;
            }
            removed.push(path);
        }
        removed.sort();
        Ok(removed)
    }
}

/// Removes the folder `dir`, first renamed to `aside` (a name of a previous output,
/// which the next build removes whatever is in it) when nothing is there: a staging
/// folder loses its marker as it is removed, and with it the sign that it is limes's.
fn discard(dir: &Path, aside: &Path) {
    let gone = match !aside.exists() && fs::rename(dir, aside).is_ok() {
        true => aside,
        false => dir,
    };
    let _ = fs::remove_dir_all(gone);
}

#[cfg(unix)]
impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held (the file is closed after this), so that a build
        // waiting on this file sees it is gone and takes the lock anew.
        let _ = fs::remove_file(&self.path);
    }
}

/// Opens and locks the lock file at `path` (the lock of the output `out`), waiting
/// for whoever holds it; writes this process's id in it.
#[cfg(unix)]
fn hold(path: &Path, out: &Path, progress: &dyn Progress) -> io::Result<fs::File> {
    use rustix::fs::{FlockOperation, OFlags, flock};
    use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
    let shown = path.display();
    let mut told = false;
    loop {
        // Never through a symbolic link: the lock file is limes's own.
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(OFlags::NOFOLLOW.bits() as i32)
            .open(path)
            .map_err(|e| doing(e, format!("cannot create the lock file {shown}")))?;
        let held = file
            .metadata()
            .map_err(|e| doing(e, format!("cannot read the lock file {shown}")))?;
        if !held.is_file() {
            return Err(io::Error::other(format!(
                "{shown} is in the place of limes's lock file and is not a file"
            )));
        }
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                if !told {
                    // The holder writes its id just after it takes the lock: a build
                    // that comes in between reads it a moment later.
                    let read_pid = || {
                        let mut pid = [0u8; 24];
                        let n = file.read_at(&mut pid, 0).unwrap_or(0);
                        std::str::from_utf8(&pid[..n])
                            .ok()
                            .and_then(|s| s.trim().parse::<u32>().ok())
                    };
                    let mut holder = read_pid();
                    for _ in 0..50 {
                        if holder.is_some() {
                            break;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(10));
                        holder = read_pid();
                    }
                    progress.waiting(out, holder);
                    told = true;
                }
                flock(&file, FlockOperation::LockExclusive)
                    .map_err(|e| doing(e.into(), format!("cannot lock {shown}")))?;
            }
            Err(e) => return Err(doing(e.into(), format!("cannot lock {shown}"))),
        }
        // The build that held the lock removes the file as it lets go: then this
        // file is no longer the lock, and another build may hold a new one.
        match fs::symlink_metadata(path) {
            Ok(now) if now.dev() == held.dev() && now.ino() == held.ino() => {}
            Ok(_) => continue,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(doing(e, format!("cannot read the lock file {shown}"))),
        }
        // Only for the message of a build that waits: a full disk fails later, with
        // the error that says so.
        let pid = format!("{}\n", std::process::id());
        let _ = file
            .set_len(0)
            .and_then(|()| file.write_all_at(pid.as_bytes(), 0));
        return Ok(file);
    }
}

/// A new site being written: a fresh staging folder beside the output, filled file by
/// file (from any thread) and put in the output's place by [`Staging::finish`]; dropped
/// unfinished, it is removed and the output stays as it was. Holds the output's
/// [`Lock`] until it is finished or dropped, so that the leftovers of an interrupted
/// build (its staging folder, whatever its process id) are known to be stale and are
/// removed first.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    cleaned: Vec<PathBuf>,
    finished: bool,
    /// Last: let go of after the staging folder is removed ([`Drop`]).
    _lock: Lock,
}

impl Staging {
    /// With the output's lock, removes what interrupted builds left, checks the output
    /// again (it may have changed since [`check_target`]) and makes the staging folder
    /// with the marker in it.
    pub fn begin(lock: Lock, force: bool) -> Result<Staging, WriteError> {
        let untouched = WriteError::Untouched;
        let out = lock.out.clone();
        let cleaned = lock.remove_leftovers().map_err(untouched)?;
        let shown = out.display().to_string();
        check_existing(&out, &shown, force)
            .map_err(|(msg, help)| untouched(io::Error::other(format!("{msg} ({help})"))))?;
        let pid = std::process::id();
        let dir = lock
            .parent
            .join(format!(".{}.limes-staging-{pid}", lock.name));
        let old = lock.parent.join(format!(".{}.limes-old-{pid}", lock.name));
        fs::create_dir(&dir).map_err(|e| {
            untouched(doing(
                e,
                format!("cannot create the staging folder {}", dir.display()),
            ))
        })?;
        let staging = Staging {
            out,
            dir,
            old,
            cleaned,
            finished: false,
            _lock: lock,
        };
        let marker = staging.dir.join(MARKER);
        fs::write(&marker, MARKER_TEXT)
            .map_err(|e| untouched(doing(e, format!("cannot write {}", marker.display()))))?;
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
            fs::create_dir_all(d)
                .map_err(|e| doing(e, format!("cannot create the folder {}", d.display())))?;
        }
        match body {
            Body::Bytes(b) => fs::write(&target, b)
                .map(|()| b.len() as u64)
                .map_err(|e| doing(e, format!("cannot write {}", target.display()))),
            Body::Copy(from) => fs::copy(from, &target).map_err(|e| {
                doing(
                    e,
                    format!("cannot copy {} to {}", from.display(), target.display()),
                )
            }),
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
        let marker = self.dir.join(MARKER);
        fs::write(&marker, text).map_err(|e| doing(e, format!("cannot write {}", marker.display())))
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
                // Not over the previous output, if the swap left it at `old`.
                discard(&self.dir, &self.old);
                return Err(e);
            }
        }
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            discard(&self.dir, &self.old);
        }
    }
}

fn absolute(p: &Path) -> io::Result<PathBuf> {
    std::path::absolute(p)
}
/// Puts `staging` in the place of `out`: an atomic exchange where the system has one,
/// else two renames in a row. Returns where the previous output now is, if there was
/// one (renamed to `old` first, so that an interrupted removal is recognised).
fn swap(staging: &Path, out: &Path, old: &Path) -> Result<Option<PathBuf>, WriteError> {
    let cannot_put = |e| {
        doing(
            e,
            format!(
                "cannot put the new site {} in the place of {}",
                staging.display(),
                out.display()
            ),
        )
    };
    if !out.exists() {
        return fs::rename(staging, out)
            .map(|()| None)
            .map_err(|e| WriteError::Untouched(cannot_put(e)));
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
    fs::rename(out, old).map_err(|e| {
        WriteError::Untouched(doing(
            e,
            format!("cannot move the previous output {} aside", out.display()),
        ))
    })?;
    if let Err(error) = fs::rename(staging, out) {
        return match fs::rename(old, out) {
            Ok(()) => Err(WriteError::Untouched(cannot_put(error))),
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
        // A staging folder whose removal was interrupted: renamed aside first, it is
        // known without its marker.
        let aside = dir.path().join(".public.limes-old-staging-8");
        fs::create_dir_all(aside.join("en")).unwrap();
        fs::write(aside.join("en/index.html"), "half").unwrap();
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
        assert_eq!(w.cleaned, [old, aside, empty, stale]);
        assert_eq!(
            common_files(dir.path()),
            [".dist.limes-staging-3", ".public.limes-staging-2", "public"]
        );
    }
    /// Records the waits a lock reports.
    #[derive(Default)]
    struct Waits(std::sync::Mutex<Vec<(PathBuf, Option<u32>)>>);

    impl Progress for Waits {
        fn waiting(&self, out: &Path, holder: Option<u32>) {
            self.0.lock().unwrap().push((out.to_path_buf(), holder));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_second_lock_waits_for_the_first_naming_its_process() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let lock_file = dir.path().join(".public.limes-lock");
        let first = Lock::take(&out, &Silent).unwrap();
        assert_eq!(
            fs::read_to_string(&lock_file).unwrap(),
            format!("{}\n", std::process::id())
        );
        let waits = Waits::default();
        let (taken, second) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let lock = Lock::take(&out, &waits).unwrap();
                taken.send(()).unwrap();
                drop(lock);
            });
            // The second waits (an flock conflicts between two opens of the file,
            // even in one process) and has said so.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while waits.0.lock().unwrap().is_empty() {
                assert!(std::time::Instant::now() < deadline, "no wait reported");
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            assert!(second.try_recv().is_err(), "taken while held");
            drop(first);
            second
                .recv_timeout(std::time::Duration::from_secs(10))
                .expect("taken once let go");
        });
        assert_eq!(
            *waits.0.lock().unwrap(),
            [(out.clone(), Some(std::process::id()))]
        );
        // Let go, the lock leaves nothing behind.
        assert_eq!(common_files(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_left_by_a_killed_build_is_taken_at_once_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // What a build killed while it held the lock leaves: the file, unlocked.
        fs::write(dir.path().join(".public.limes-lock"), "999999\n").unwrap();
        let waits = Waits::default();
        let lock = Lock::take(&out, &waits).unwrap();
        assert!(waits.0.lock().unwrap().is_empty());
        drop(lock);
        assert_eq!(common_files(dir.path()), Vec::<String>::new());
        // A symbolic link in its place is never followed.
        let target = dir.path().join("target.txt");
        fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join(".public.limes-lock")).unwrap();
        let e = Lock::take(&out, &Silent).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!(
                "cannot create the lock file {}: ",
                dir.path().join(".public.limes-lock").display()
            )),
            "{e}"
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
    }

    #[cfg(unix)]
    #[test]
    fn errors_of_writing_are_explained_by_their_kind() {
        use rustix::io::Errno;
        let out = Path::new("/srv/site/public");
        let cases = [
            (
                Errno::NOSPC,
                "cannot write the site: the disk is full (cannot write /srv/site/.public.limes-staging-1/a.html: ",
                "free some space on the disk that holds /srv/site, then build again",
            ),
            (
                Errno::DQUOT,
                "cannot write the site: the disk quota is used up (",
                "free some space within your quota on the disk that holds /srv/site",
            ),
            (
                Errno::FBIG,
                "cannot write the site: a file is larger than this process may write (",
                "`ulimit -f`",
            ),
            (
                Errno::ROFS,
                "cannot write the site: the file system is read-only (",
                "build into a folder on a writable disk with --out",
            ),
            (
                Errno::ACCESS,
                "cannot write the site: permission denied (",
                "in /srv/site, and swaps it in: that folder and the output folder must be writable",
            ),
            (
                Errno::IO,
                "cannot write the site: cannot write /srv/site/.public.limes-staging-1/a.html: ",
                "check that the output folder's parent exists and is writable",
            ),
        ];
        for (errno, message, help) in cases {
            let e = doing(
                io::Error::from(errno),
                "cannot write /srv/site/.public.limes-staging-1/a.html",
            );
            let (m, h) = explain(&e, out);
            assert!(m.starts_with(message), "{errno:?}: {m}");
            assert!(h.contains(help), "{errno:?}: {h}");
            assert!(
                h.ends_with("the previous output was left as it was"),
                "{errno:?}: {h}"
            );
        }
    }
}
