//! A build killed while it writes (SIGKILL, SIGTERM, Ctrl-C) leaves its staging folder
//! beside the output; the next build, whatever its process id, finds and removes it,
//! and the previous output is never damaged.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use limes::output::MARKER;

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    n.sort();
    n
}

/// The minimal fixture with enough practices that writing takes a while.
fn big_site() -> tempfile::TempDir {
    let tmp = common::site_from_fixture("minimal");
    let practices = common::site_root(&tmp).join("content/practices");
    for i in 0..1500 {
        fs::write(
            practices.join(format!("generated-{i}.en.md")),
            format!(
                "+++\ntitle = \"Generated practice {i}\"\nstatus = \"ongoing\"\ncountries = [\"SI\"]\nthemes = [\"employment\"]\n+++\nBody of practice {i}.\n"
            ),
        )
        .unwrap();
    }
    tmp
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_limes"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Starts a build and sends it `signal` as soon as its staging folder holds files.
/// Returns whether the signal arrived while it was writing.
fn kill_while_writing(root: &Path, out: &Path, signal: &str) -> bool {
    let parent = out.parent().unwrap();
    // A change, so that the build has work to do (with nothing changed it writes
    // nothing).
    let changed = root.join("content/practices/generated-0.en.md");
    let mut text = fs::read_to_string(&changed).unwrap();
    text.push_str("More.\n");
    fs::write(&changed, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_limes"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let staging = loop {
        let found = names(parent)
            .into_iter()
            .find(|n| n.contains(".limes-staging-"));
        if let Some(s) = found.map(|n| parent.join(n))
            && s.join(MARKER).exists()
        {
            break Some(s);
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let Some(staging) = staging else {
        let _ = child.kill();
        let _ = child.wait();
        return false;
    };
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal}");
    let exit = child.wait().unwrap();
    // Killed mid-write: it neither finished nor cleaned up after itself.
    !exit.success() && staging.exists()
}

#[test]
fn the_next_build_removes_what_a_killed_build_left() {
    let tmp = big_site();
    let root = common::site_root(&tmp);
    let out = tmp.path().join("public");
    let first = build(&root, &out);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    for signal in ["KILL", "TERM", "INT"] {
        let previous = common::list_files(&out);
        let mut interrupted = false;
        for _ in 0..5 {
            if kill_while_writing(&root, &out, signal) {
                interrupted = true;
                break;
            }
        }
        assert!(
            interrupted,
            "could not interrupt a build with SIG{signal} while it wrote"
        );
        assert!(
            names(tmp.path()).len() > 2,
            "SIG{signal}: the killed build left nothing to clean: {:?}",
            names(tmp.path())
        );
        // The previous output is whole.
        assert_eq!(common::list_files(&out), previous, "SIG{signal}");

        let next = build(&root, &out);
        let stderr = String::from_utf8_lossy(&next.stderr);
        assert!(next.status.success(), "{stderr}");
        assert!(stderr.contains("left by an interrupted build"), "{stderr}");
        assert_eq!(names(tmp.path()), ["public", "site"], "SIG{signal}");
        // The output is the site as it now is: what a build into a new folder writes.
        let fresh = tmp.path().join("fresh");
        assert!(build(&root, &fresh).status.success());
        assert_eq!(
            common::list_files(&out),
            common::list_files(&fresh),
            "SIG{signal}"
        );
        fs::remove_dir_all(&fresh).unwrap();
    }
}
