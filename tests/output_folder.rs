//! The output folder is limes's own: a build refuses every place where replacing the
//! folder would destroy something it did not write, and leaves every file as it was.

mod common;

use common::limes;

use std::fs;
use std::path::Path;

use limes::output::MARKER;

/// Every file under `dir` with its bytes, and every folder, sorted: what must not change.
fn snapshot(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let body = if e.file_type().is_file() {
            Some(fs::read(e.path()).unwrap())
        } else if e.file_type().is_symlink() {
            Some(
                fs::read_link(e.path())
                    .unwrap()
                    .to_string_lossy()
                    .as_bytes()
                    .to_vec(),
            )
        } else {
            None
        };
        out.push((rel, body));
    }
    out
}

/// Runs `limes build --root site --out <out>` in `tmp` (plus `extra` arguments) and
/// checks that it is refused with `message` and that no file under `tmp` changed.
#[track_caller]
fn assert_refused(tmp: &Path, out: &str, extra: &[&str], message: &str) -> String {
    let before = snapshot(tmp);
    let mut args = vec!["build", "--root", "site", "--out", out];
    args.extend(extra);
    let run = limes(tmp, &args);
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert_eq!(run.status.code(), Some(1), "--out {out}: stderr:\n{stderr}");
    assert!(
        stderr.starts_with(&format!("{out}: error: ")),
        "--out {out}: stderr:\n{stderr}"
    );
    assert!(
        stderr.contains(message),
        "--out {out}: no {message:?} in:\n{stderr}"
    );
    assert!(
        stderr.contains("  = help: "),
        "--out {out}: no help in:\n{stderr}"
    );
    assert!(
        stderr.ends_with(
            "error: the build failed with 1 error; the output folder was left as it was\n"
        ),
        "--out {out}: stderr:\n{stderr}"
    );
    assert!(
        snapshot(tmp) == before,
        "--out {out} changed files under {}",
        tmp.display()
    );
    stderr
}

#[test]
fn the_site_folder_itself_is_refused() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    let site = fs::canonicalize(&root).unwrap();
    let stderr = assert_refused(
        tmp.path(),
        "site",
        &[],
        "is the site folder; building there would replace",
    );
    assert!(stderr.contains(&site.display().to_string()), "{stderr}");
    // `--force` does not change that.
    assert_refused(tmp.path(), "site", &["--force"], "is the site folder");
    // Nor another spelling of the same folder.
    assert_refused(tmp.path(), "site/content/..", &[], "is the site folder");
}

#[test]
fn a_folder_that_contains_the_site_is_refused() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    // `--out ..` run inside the site folder.
    let before = snapshot(tmp.path());
    let run = limes(&root, &["build", "--out", "..", "--force"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("..: error: the output folder "),
        "{stderr}"
    );
    assert!(stderr.contains("contains the site folder"), "{stderr}");
    assert!(snapshot(tmp.path()) == before);
    let abs = tmp.path().to_string_lossy().to_string();
    assert_refused(tmp.path(), &abs, &[], "contains the site folder");
    assert_refused(tmp.path(), "/", &["--force"], "contains the site folder");
}

#[test]
fn a_folder_inside_the_site_is_refused_but_its_output_folder() {
    let tmp = common::site_from_fixture("minimal");
    for out in [
        "site/content",
        "site/content/static/out",
        "site/themes",
        "site/i18n/new",
        "site/dist",
    ] {
        assert_refused(tmp.path(), out, &["--force"], "lies inside the site folder");
    }
    // The one allowed: <root>/public by default, as --out or without it.
    let run = limes(
        tmp.path(),
        &["build", "--root", "site", "--out", "site/public"],
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(tmp.path().join("site/public").join(MARKER).is_file());
}

#[test]
fn output_dir_moves_the_folder_allowed_inside_the_site() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    let config = fs::read_to_string(root.join("observatory.toml")).unwrap();
    fs::write(
        root.join("observatory.toml"),
        format!("output_dir = \"dist\"\n{config}"),
    )
    .unwrap();
    let run = limes(tmp.path(), &["build", "--root", "site"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(root.join("dist/en/index.html").is_file());
    assert!(!root.join("public").exists());
    assert_refused(
        tmp.path(),
        "site/public",
        &[],
        "lies inside the site folder",
    );
}

#[test]
fn an_existing_file_is_refused() {
    let tmp = common::site_from_fixture("minimal");
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    assert_refused(
        tmp.path(),
        "notes.txt",
        &["--force"],
        "is a file, not a folder",
    );
}

#[test]
fn a_folder_limes_did_not_write_is_refused_unless_forced() {
    let tmp = common::site_from_fixture("minimal");
    let theirs = tmp.path().join("www");
    fs::create_dir_all(theirs.join("photos")).unwrap();
    fs::write(theirs.join("photos/holiday.jpg"), "jpeg").unwrap();
    let stderr = assert_refused(
        tmp.path(),
        "www",
        &[],
        "is not empty and was not written by limes",
    );
    assert!(stderr.contains("--force"), "{stderr}");

    // An empty folder is fine, and so is an earlier output.
    fs::create_dir(tmp.path().join("empty")).unwrap();
    for _ in 0..2 {
        let run = limes(tmp.path(), &["build", "--root", "site", "--out", "empty"]);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    assert!(tmp.path().join("empty/en/index.html").is_file());

    // --force replaces it.
    let run = limes(
        tmp.path(),
        &["build", "--root", "site", "--out", "www", "--force"],
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(theirs.join(MARKER).is_file());
    assert!(!theirs.join("photos").exists());
}

#[test]
fn a_symbolic_link_is_followed_and_stays_a_link() {
    let tmp = common::site_from_fixture("minimal");
    let real = tmp.path().join("releases/current");
    fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink(&real, tmp.path().join("www")).unwrap();
    for _ in 0..2 {
        let run = limes(tmp.path(), &["build", "--root", "site", "--out", "www"]);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    assert!(
        fs::symlink_metadata(tmp.path().join("www"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(real.join("en/index.html").is_file());
    let beside: Vec<String> = fs::read_dir(tmp.path().join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(beside, ["current"]);

    // A link into the site, or to nothing, is refused.
    std::os::unix::fs::symlink(
        tmp.path().join("site/content"),
        tmp.path().join("to-content"),
    )
    .unwrap();
    let stderr = assert_refused(
        tmp.path(),
        "to-content",
        &["--force"],
        "lies inside the site folder",
    );
    assert!(
        stderr.contains("to-content (a symbolic link to "),
        "{stderr}"
    );
    std::os::unix::fs::symlink(tmp.path().join("site"), tmp.path().join("to-site")).unwrap();
    assert_refused(tmp.path(), "to-site", &["--force"], "is the site folder");
    std::os::unix::fs::symlink(tmp.path().join("gone"), tmp.path().join("dangling")).unwrap();
    assert_refused(tmp.path(), "dangling", &[], "which does not exist");
}

#[test]
fn a_build_that_fails_while_rendering_leaves_the_previous_output_and_nothing_beside_it() {
    // Files go into the staging folder as they are rendered: a template that fails
    // on some pages only, after others are written, must still change nothing.
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    let out = tmp.path().join("out");
    let built = limes(tmp.path(), &["build", "--root", "site", "--out", "out"]);
    assert!(built.status.success(), "{}", common::text(&built.stderr));
    let before = snapshot(tmp.path());
    let practice = root.join("themes/default/templates/practice.html");
    let mut html = fs::read_to_string(&practice).unwrap();
    html.push_str("{{ no_such_function() }}\n");
    fs::write(&practice, html).unwrap();
    let failed = limes(tmp.path(), &["build", "--root", "site", "--out", "out"]);
    let stderr = common::text(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("themes/default/templates/practice.html"),
        "{stderr}"
    );
    let after: Vec<_> = snapshot(tmp.path())
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with("site"))
        .collect();
    let before: Vec<_> = before
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with("site"))
        .collect();
    assert!(after == before, "the output or its folder changed");
    assert!(out.join(MARKER).exists());
}

/// Every file under `dir` with its modification time.
fn times(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_string_lossy().to_string(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_build_with_nothing_changed_writes_nothing_and_any_change_builds_again() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    let out = tmp.path().join("out");
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--root", "site", "--out", "out"];
        args.extend(extra);
        let run = limes(tmp.path(), &args);
        let stderr = common::text(&run.stderr);
        assert!(run.status.success(), "{stderr}");
        stderr
    };
    let first = build(&[]);
    assert!(first.contains("Built "), "{first}");
    let before = snapshot(&out);
    let written = times(&out);
    let again = build(&[]);
    assert!(
        again.contains("Nothing changed since the last build: its "),
        "{again}"
    );
    // The same pages and files are counted as the build that wrote them counted.
    let counts = |s: &str| {
        s.split(" in ")
            .next()
            .unwrap()
            .split("its ")
            .last()
            .unwrap()
            .to_string()
    };
    assert!(first.contains(&counts(&again)), "{first}\n{again}");
    assert_eq!(times(&out), written, "a file was written again");
    assert!(snapshot(&out) == before);

    // An option that changes the output, then a changed file, then a file of the
    // output changed by hand: each builds again.
    assert!(build(&["--base-url", "https://example.org/x/"]).contains("Built "));
    assert!(build(&[]).contains("Built "));
    assert!(build(&[]).contains("Nothing changed"));
    let page = fs::read_dir(root.join("content/practices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md") || p.is_dir())
        .unwrap();
    let file = if page.is_dir() {
        fs::read_dir(&page).unwrap().next().unwrap().unwrap().path()
    } else {
        page
    };
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("\nOne more sentence.\n");
    fs::write(&file, text).unwrap();
    assert!(build(&[]).contains("Built "));
    assert!(build(&[]).contains("Nothing changed"));
    fs::write(out.join("en/index.html"), "changed by hand").unwrap();
    assert!(build(&[]).contains("Built "));
    assert_ne!(
        fs::read_to_string(out.join("en/index.html")).unwrap(),
        "changed by hand"
    );
    fs::remove_file(out.join("robots.txt")).unwrap();
    assert!(build(&[]).contains("Built "));
    assert!(out.join("robots.txt").exists());
}
