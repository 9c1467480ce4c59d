//! A build killed while it writes (SIGKILL, SIGTERM, Ctrl-C) leaves its staging folder
//! beside the output; the next build, whatever its process id, finds and removes it,
//! and the previous output is never damaged. Killed at any moment of its run, a build
//! leaves the output as it was or as the new build made it, whole.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use limes::output::MARKER;

/// Whether this process ignores SIGINT (bit 2 of `SigIgn` in /proc/self/status), as
/// children of a non-interactive shell's background job do; its children inherit it.
fn sigint_ignored() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("SigIgn:"))
                .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        })
        .is_some_and(|mask| mask & (1 << (2 - 1)) != 0)
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

/// The minimal fixture with enough practices that writing takes a while.
fn big_site() -> tempfile::TempDir {
    site_of(1500)
}

/// The minimal fixture with `n` generated practices more.
fn site_of(n: usize) -> tempfile::TempDir {
    let tmp = common::site_from_fixture("minimal");
    let practices = common::site_root(&tmp).join("content/practices");
    for i in 0..n {
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
    Command::new(common::server::bin())
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
    // What an earlier killed build left is not this build's staging folder (this
    // build renames it aside and removes it as it starts).
    let before = names(parent);
    let mut child = Command::new(common::server::bin())
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
            .find(|n| n.contains(".limes-staging-") && !before.contains(n));
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
        if signal == "INT" && sigint_ignored() {
            // Started in the background by a shell without job control, this process
            // and every child ignore SIGINT: no Ctrl-C can reach them.
            eprintln!("SIGINT is ignored by this process (inherited); that case is skipped");
            continue;
        }
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

/// Every file under `dir` by path, with its bytes, sorted; and every folder.
type Print = Vec<(String, Option<Vec<u8>>)>;

fn print(dir: &Path) -> Print {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

/// The paths whose bytes differ between two prints, with the texts of the markers
/// when they differ, for failure messages.
fn differ(a: &Print, b: &Print) -> Vec<String> {
    let mut paths: Vec<String> = a
        .iter()
        .filter(|f| !b.contains(f))
        .chain(b.iter().filter(|f| !a.contains(f)))
        .map(|(p, bytes)| match p == MARKER {
            true => format!(
                "{p}: {}",
                String::from_utf8_lossy(bytes.as_deref().unwrap_or_default())
            ),
            false => p.clone(),
        })
        .take(20)
        .collect();
    paths.dedup();
    paths
}

/// Puts the site in one of two states, which differ in the text of one practice. Its
/// modification time is the state's own, so that a build of a state always writes
/// the same marker (it records the times of what it read) and so the same bytes.
fn set_state(root: &Path, state: usize) {
    let path = root.join("content/practices/generated-0.en.md");
    let text = fs::read_to_string(&path).unwrap();
    let head = &text[..text.rfind("+++\n").unwrap() + 4];
    fs::write(&path, format!("{head}The site in state {state}.\n")).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(UNIX_EPOCH + Duration::from_secs(1_700_000_000 + state as u64))
        .unwrap();
}

/// SplitMix64: the delays of the kills, from a seed that is printed.
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Ten builds of a site of 1,000 practices, each over the last complete output and
/// killed (SIGKILL) after a random delay, the delays spread over a build's whole run
/// (one in each tenth of 1.3 times it, in random order): the output is every time
/// either the previous complete output or the new one, file for file; the site and
/// everything beside the output but limes's own leftovers are as they were; and after
/// the next build that is let finish, nothing is left beside the output.
/// `LIMES_KILL_SEED=<n>` replays the delays of a run (its seed is printed);
/// `LIMES_KILL_PRACTICES=<n>` makes the site larger or smaller.
#[test]
fn a_build_killed_at_any_moment_leaves_one_complete_output() {
    let mut seed = std::env::var("LIMES_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("LIMES_KILL_SEED={seed}");
    let started = Instant::now();
    // The program, copied: the markers compared record it, so it must not change
    // while the test runs (a rebuild of limes meanwhile would).
    let bin = tempfile::tempdir().unwrap();
    let exe = bin.path().join("limes");
    fs::copy(common::server::bin(), &exe).unwrap();
    let build = |root: &Path, out: &Path| {
        Command::new(&exe)
            .args(["build", "--root"])
            .arg(root)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let tmp = site_of(
        std::env::var("LIMES_KILL_PRACTICES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000),
    );
    let root = common::site_root(&tmp);
    let out = tmp.path().join("public");
    // The complete output of each state, and how long a build over the other takes.
    set_state(&root, 0);
    assert!(build(&root, &out).status.success());
    let previous = print(&out);
    set_state(&root, 1);
    let timed = Instant::now();
    assert!(build(&root, &out).status.success());
    let took = timed.elapsed();
    let complete = [previous, print(&out)];
    assert!(complete[0] != complete[1]);
    eprintln!("a build takes {took:?}");

    let mut tenths: Vec<u64> = (0..10).collect();
    for i in (1..tenths.len()).rev() {
        tenths.swap(i, (next(&mut seed) % (i as u64 + 1)) as usize);
    }
    let mut state = 1;
    let mut mid_write = 0;
    for (round, tenth) in tenths.into_iter().enumerate() {
        // Always the other state than the output's: the build has work to do.
        let new = 1 - state;
        set_state(&root, new);
        let site = print(&root);
        // A tenth of 1.3 times the time of a build: the last kills come after the
        // swap, or after the build ended.
        let within = next(&mut seed) % 1000;
        let delay = took.mul_f64(1.3 * (tenth as f64 * 1000.0 + within as f64) / 10_000.0);
        let mut child = Command::new(&exe)
            .args(["build", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        // SIGKILL; a build already ended is left as it is.
        let _ = child.kill();
        let exit = child.wait().unwrap();
        let now = print(&out);
        let what = format!("round {round}: killed after {delay:?} ({exit})");
        if now == complete[new] {
            state = new;
        } else {
            assert!(
                now == complete[state],
                "{what}: the output is neither the previous one nor the new one: {:?}",
                differ(&now, &complete[state])
            );
        }
        assert!(print(&root) == site, "{what}: the site changed");
        let beside: Vec<String> = names(tmp.path())
            .into_iter()
            .filter(|n| n != "public" && n != "site")
            .collect();
        assert!(
            beside.iter().all(|n| n.starts_with(".public.limes-")),
            "{what}: {beside:?}"
        );
        if beside.iter().any(|n| n.contains(".limes-staging-")) {
            mid_write += 1;
        }
        eprintln!("{what}: output in state {state}, left beside it {beside:?}");
    }
    assert!(mid_write > 0, "no kill came while the build wrote");
    let new = 1 - state;
    set_state(&root, new);
    let last = build(&root, &out);
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    let now = print(&out);
    assert!(now == complete[new], "{:?}", differ(&now, &complete[new]));
    assert_eq!(names(tmp.path()), ["public", "site"]);
    eprintln!(
        "{mid_write} of 10 kills came while the build wrote; the test took {:?}",
        started.elapsed()
    );
}
