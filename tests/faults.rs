//! Builds under faults: a full disk, a limit on file size, a read-only output folder,
//! parent folder or file system, and two builds into one folder at once. Each ends with
//! a clear error (or a wait) and the previous site whole, with nothing left beside it.
//!
//! Read-only folders are made with chmod, which does not stop root: run as root, the
//! build runs as an ordinary user of a user namespace (`unshare --map-user`). A full
//! disk and a read-only file system are small tmpfs mounted in a user namespace
//! (`unshare -rm`). Where the system allows neither, those tests say so and check
//! nothing.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use limes::output::MARKER;

/// Every file and folder under `dir` with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let body = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (rel, body)
        })
        .collect()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    n.sort();
    n
}

fn limes_exe() -> String {
    common::server::bin().to_string_lossy().into_owned()
}

/// Runs `wrapper` (a command that runs the rest, or nothing) with `args`.
fn run(wrapper: &[&str], args: &[&str]) -> Output {
    let all: Vec<&str> = wrapper.iter().chain(args).copied().collect();
    Command::new(all[0]).args(&all[1..]).output().unwrap()
}

/// The command under which this test's processes are stopped by a folder's
/// permissions: none, or, when this test may ignore them (root), an ordinary user of a
/// user namespace; `None` when neither works here.
fn unprivileged(read_only: &Path) -> Option<Vec<&'static str>> {
    let touches = |wrapper: &[&str]| {
        run(
            wrapper,
            &[
                "sh",
                "-c",
                "touch \"$1/.probe\" && rm \"$1/.probe\"",
                "sh",
                &read_only.display().to_string(),
            ],
        )
        .status
        .success()
    };
    if !touches(&[]) {
        return Some(Vec::new());
    }
    let user = vec![
        "unshare",
        "--user",
        "--map-user=1000",
        "--map-group=1000",
        "--",
    ];
    (run(&user, &["true"]).status.success() && !touches(&user)).then_some(user)
}

/// Runs `script` as root of new user and mount namespaces (where it may mount a
/// tmpfs), with `args` as `$1`...; `None` when the system allows no such namespace.
fn in_namespace(script: &str, args: &[&str]) -> Option<Output> {
    let works = Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs probe \"$1\"", "sh"])
        .arg(tempfile::tempdir().unwrap().path())
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        return None;
    }
    let mut full = vec!["-rm", "sh", "-ec", script, "sh"];
    full.extend(args);
    Some(Command::new("unshare").args(&full).output().unwrap())
}

/// A build's standard error with the process id of its staging folder's name as
/// `PID`, so that it can be compared whole.
fn normalized(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let mut out = String::new();
    let mut rest = &text[..];
    while let Some(i) = rest.find("limes-staging-") {
        let (head, tail) = rest.split_at(i + "limes-staging-".len());
        out.push_str(head);
        out.push_str("PID");
        rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

const FAILED: &str = "error: the build failed with 1 error; the output folder was left as it was\n";

/// The minimal fixture, with a folder of static files to add to.
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    fs::create_dir_all(root.join("content/static")).unwrap();
    (tmp, root)
}

/// A site and a first build of it into `<tmp>/public`.
fn built_site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, root) = site();
    let out = fs::canonicalize(tmp.path()).unwrap().join("public");
    common::build(&root, &out).unwrap();
    (tmp, root, out)
}

#[test]
fn a_full_disk_is_reported_and_the_previous_site_stays() {
    let (tmp, root) = site();
    // The disk: room for about two builds of the site, not for the file added next.
    let probe = tmp.path().join("probe");
    common::build(&root, &probe).unwrap();
    let used: u64 = walkdir::WalkDir::new(&probe)
        .into_iter()
        .map(|e| e.unwrap().metadata().unwrap().len().div_ceil(4096) * 4096 + 4096)
        .sum();
    fs::remove_dir_all(&probe).unwrap();
    let size = 2 * used + 256 * 1024;
    let disk = tmp.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let kept = tmp.path().join("kept");
    let script = r#"
        mount -t tmpfs -o size="$5" limes-full "$1"
        "$2" build --root "$3" --out "$1/public"
        cp -a "$1/public" "$4/before"
        head -c "$5" /dev/zero > "$3/content/static/big.bin"
        set +e
        "$2" build --root "$3" --out "$1/public" 2> "$4/stderr"
        echo $? > "$4/code"
        set -e
        cp -a "$1/public" "$4/after"
        ls -A "$1" > "$4/beside"
    "#;
    fs::create_dir(&kept).unwrap();
    let args = [
        disk.display().to_string(),
        limes_exe().to_string(),
        root.display().to_string(),
        kept.display().to_string(),
        size.to_string(),
    ];
    let Some(ran) = in_namespace(script, &args.each_ref().map(|s| s.as_str())) else {
        eprintln!("skipped: no user namespace to mount a small disk in");
        return;
    };
    assert!(ran.status.success(), "{}", common::text(&ran.stderr));
    let stderr = normalized(&fs::read(kept.join("stderr")).unwrap());
    let disk = fs::canonicalize(&disk).unwrap();
    let staging = disk.join(".public.limes-staging-PID");
    assert_eq!(
        stderr,
        format!(
            "{out}: error: cannot write the site: the disk is full (cannot copy {big} to {staging}/big.bin: No space left on device (os error 28))\n  = help: free some space on the disk that holds {disk}, then build again (a build needs room for the new site beside the previous one until it replaces it); the previous output was left as it was\n\n{FAILED}",
            out = disk.join("public").display(),
            big = root.join("content/static/big.bin").display(),
            staging = staging.display(),
            disk = disk.display(),
        )
    );
    assert_eq!(fs::read_to_string(kept.join("code")).unwrap(), "1\n");
    assert!(snapshot(&kept.join("after")) == snapshot(&kept.join("before")));
    assert!(kept.join("after").join(MARKER).is_file());
    assert_eq!(fs::read_to_string(kept.join("beside")).unwrap(), "public\n");
}

#[test]
fn a_limit_on_file_size_is_reported_and_the_previous_site_stays() {
    let (tmp, root, out) = built_site();
    let before = snapshot(tmp.path());
    fs::write(root.join("content/static/big.bin"), vec![0u8; 4 << 20]).unwrap();
    // 1,024 blocks: 512 KiB (sh) or 1 MiB (bash): more than any file of the site but
    // the one added. Past it a write ends the process with SIGXFSZ unless it is
    // ignored: then it fails with EFBIG.
    let ran = Command::new("sh")
        .args(["-c", "ulimit -f 1024 && exec \"$0\" \"$@\"", &limes_exe()])
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(ran.status.code(), Some(1), "{}", common::text(&ran.stderr));
    let staging = tmp
        .path()
        .canonicalize()
        .unwrap()
        .join(".public.limes-staging-PID");
    assert_eq!(
        normalized(&ran.stderr),
        format!(
            "{out}: error: cannot write the site: a file is larger than this process may write (cannot copy {big} to {staging}/big.bin: File too large (os error 27))\n  = help: a limit on the size of files was reached: the limit of this process (`ulimit -f`; raise it with `ulimit -f unlimited`) or the largest file of the file system (build on another disk with --out); the previous output was left as it was\n\n{FAILED}",
            out = out.display(),
            big = root.join("content/static/big.bin").display(),
            staging = staging.display(),
        )
    );
    // The output as it was, nothing beside it; the site as the test left it.
    fs::remove_file(root.join("content/static/big.bin")).unwrap();
    assert!(snapshot(tmp.path()) == before);
}

/// Builds after `make_read_only` made a folder read-only (by chmod, undone after) and
/// checks the refusal: exit 1, `stderr` exactly, and nothing under `tmp` changed.
fn assert_refused_read_only(read_only: &Path, tmp: &Path, root: &Path, out: &Path, stderr: &str) {
    let before = snapshot(tmp);
    let mode = fs::metadata(read_only).unwrap().permissions().mode();
    fs::set_permissions(read_only, fs::Permissions::from_mode(0o555)).unwrap();
    let wrapper = unprivileged(read_only);
    let ran = wrapper.as_ref().map(|w| {
        run(
            w,
            &[
                &limes_exe(),
                "build",
                "--root",
                &root.display().to_string(),
                "--out",
                &out.display().to_string(),
            ],
        )
    });
    fs::set_permissions(read_only, fs::Permissions::from_mode(mode)).unwrap();
    let Some(ran) = ran else {
        eprintln!("skipped: chmod does not stop this test's writes and no user namespace");
        return;
    };
    assert_eq!(ran.status.code(), Some(1), "{}", common::text(&ran.stderr));
    assert_eq!(common::text(&ran.stderr), stderr);
    assert!(
        snapshot(tmp) == before,
        "files changed under {}",
        tmp.display()
    );
}

#[test]
fn a_read_only_output_folder_is_refused_and_the_previous_site_stays() {
    let (tmp, root, out) = built_site();
    // A change: the build would have work to do.
    fs::write(root.join("content/static/new.txt"), "new").unwrap();
    assert_refused_read_only(
        &out,
        tmp.path(),
        &root,
        &out,
        &format!(
            "{out}: error: cannot replace the output folder {out}: it is read-only (permission denied)\n  = help: every build replaces the whole folder, so it must be writable by this user: make it writable (chmod -R u+w {out}) or build as its owner, or choose another folder with --out\n\n{FAILED}",
            out = out.display()
        ),
    );
}

#[test]
fn a_read_only_parent_folder_is_refused_and_the_previous_site_stays() {
    let (tmp, root) = site();
    let deploy = fs::canonicalize(tmp.path()).unwrap().join("deploy");
    let out = deploy.join("public");
    common::build(&root, &out).unwrap();
    fs::write(root.join("content/static/new.txt"), "new").unwrap();
    assert_refused_read_only(
        &deploy,
        tmp.path(),
        &root,
        &out,
        &format!(
            "{out}: error: cannot write beside the output folder {out}: its parent folder {deploy} is read-only (permission denied)\n  = help: limes writes the new site into a folder beside the output and swaps it in, so {deploy} must be writable by this user too: make it writable (chmod u+w {deploy}), or choose an output folder in a writable place with --out\n\n{FAILED}",
            out = out.display(),
            deploy = deploy.display()
        ),
    );
}

#[test]
fn a_read_only_file_system_is_refused_and_the_previous_site_stays() {
    let (tmp, root) = site();
    let disk = tmp.path().join("disk");
    let kept = tmp.path().join("kept");
    fs::create_dir(&disk).unwrap();
    fs::create_dir(&kept).unwrap();
    let script = r#"
        mount -t tmpfs limes-ro "$1"
        "$2" build --root "$3" --out "$1/public"
        cp -a "$1/public" "$4/before"
        mount -o remount,ro "$1"
        echo new > "$3/content/static/new.txt"
        set +e
        "$2" build --root "$3" --out "$1/public" 2> "$4/stderr"
        echo $? > "$4/code"
        set -e
        cp -a "$1/public" "$4/after"
        ls -A "$1" > "$4/beside"
    "#;
    let args = [
        disk.display().to_string(),
        limes_exe().to_string(),
        root.display().to_string(),
        kept.display().to_string(),
    ];
    let Some(ran) = in_namespace(script, &args.each_ref().map(|s| s.as_str())) else {
        eprintln!("skipped: no user namespace to mount a read-only disk in");
        return;
    };
    assert!(ran.status.success(), "{}", common::text(&ran.stderr));
    let out = fs::canonicalize(&disk).unwrap().join("public");
    assert_eq!(
        fs::read_to_string(kept.join("stderr")).unwrap(),
        format!(
            "{out}: error: cannot write the output folder {out}: it is on a read-only file system\n  = help: build into a folder on a writable disk with --out, or mount this one read-write\n\n{FAILED}",
            out = out.display()
        )
    );
    assert_eq!(fs::read_to_string(kept.join("code")).unwrap(), "1\n");
    assert!(snapshot(&kept.join("after")) == snapshot(&kept.join("before")));
    assert_eq!(fs::read_to_string(kept.join("beside")).unwrap(), "public\n");
}

fn spawn_build(root: &Path, out: &Path) -> std::process::Child {
    Command::new(limes_exe())
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn two_builds_at_once_take_turns_and_leave_one_complete_output() {
    let (tmp, root, out) = built_site();
    for round in 0..3 {
        // A change, so that both have work to do.
        fs::write(root.join("content/static/round.txt"), round.to_string()).unwrap();
        let first = spawn_build(&root, &out);
        let second = spawn_build(&root, &out);
        let pids = [first.id(), second.id()];
        let outputs = [first, second].map(|c| c.wait_with_output().unwrap());
        for (i, o) in outputs.iter().enumerate() {
            let stderr = common::text(&o.stderr);
            assert!(o.status.success(), "round {round}, build {i}: {stderr}");
            // A build that waited named the other.
            if stderr.contains("Waiting") {
                assert!(
                    stderr.starts_with(&format!(
                        "Waiting: another limes build (process {}) is writing {}; this build goes on when it ends\n",
                        pids[1 - i],
                        out.display()
                    )),
                    "{stderr}"
                );
            }
        }
        // One complete output: what a build alone writes.
        // (By the binary: the marker records the program that built.)
        let alone = tmp.path().join("alone");
        assert!(spawn_build(&root, &alone).wait().unwrap().success());
        let (got, want) = (snapshot(&out), snapshot(&alone));
        let differ: Vec<&String> = got
            .iter()
            .filter(|f| !want.contains(f))
            .chain(want.iter().filter(|f| !got.contains(f)))
            .map(|(p, _)| p)
            .collect();
        assert!(
            differ.is_empty(),
            "round {round}: the output is not one complete build: {differ:?}"
        );
        fs::remove_dir_all(&alone).unwrap();
        assert_eq!(names(tmp.path()), ["public", "site"], "round {round}");
    }
}

#[test]
fn a_build_waits_for_the_lock_and_names_the_process_that_holds_it() {
    let (tmp, root, out) = built_site();
    fs::write(root.join("content/static/new.txt"), "new").unwrap();
    let before = snapshot(&out);
    // This test holds the lock as a build would: the file beside the output, locked,
    // with its process id.
    let lock = tmp.path().join(".public.limes-lock");
    fs::write(&lock, format!("{}\n", std::process::id())).unwrap();
    let held = fs::File::open(&lock).unwrap();
    rustix::fs::flock(&held, rustix::fs::FlockOperation::LockExclusive).unwrap();
    let mut child = spawn_build(&root, &out);
    let lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in lines {
            let _ = tx.send(line.unwrap());
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the build says it waits");
    assert_eq!(
        first,
        format!(
            "Waiting: another limes build (process {}) is writing {}; this build goes on when it ends",
            std::process::id(),
            out.display()
        )
    );
    // It waits: nothing written, nothing beside the output but the lock.
    let deadline = Instant::now() + Duration::from_millis(500);
    while Instant::now() < deadline {
        assert!(child.try_wait().unwrap().is_none(), "it did not wait");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(names(tmp.path()), [".public.limes-lock", "public", "site"]);
    assert!(snapshot(&out) == before);
    drop(held);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let rest: Vec<String> = rx.try_iter().collect();
    assert!(status.success(), "{rest:?}");
    assert!(out.join("new.txt").is_file());
    // The lock file goes with the build that held it last.
    assert_eq!(names(tmp.path()), ["public", "site"]);
}
