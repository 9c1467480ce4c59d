//! Helpers shared by the integration tests: copying a fixture site into a temporary
//! folder (with the repository's theme and interface strings when the fixture has none)
//! and building it.
#![allow(dead_code)]

pub mod html;
pub mod server;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use limes::diagnostics::Diagnostics;
use limes::{BuildOptions, BuildReport};

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<rel>` in the repository.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(rel)
}

/// Copies `tests/fixtures/<rel>` into a fresh temporary folder as `<tmp>/site`, then
/// copies the repository's `themes/` and `i18n/` into it when the fixture has no folder
/// of that name, so that fixtures stay small. The site root is [`site_root`]`(&tmp)`.
pub fn site_from_fixture(rel: &str) -> tempfile::TempDir {
    let from = fixture(rel);
    assert!(from.is_dir(), "no fixture folder {}", from.display());
    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let root = site_root(&tmp);
    copy_dir(&from, &root)
        .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), root.display()));
    for shared in ["themes", "i18n"] {
        if !root.join(shared).exists() {
            copy_dir(&repo().join(shared), &root.join(shared))
                .unwrap_or_else(|e| panic!("copy the repository's {shared}/: {e}"));
        }
    }
    tmp
}

/// The site root inside a temporary folder made by [`site_from_fixture`].
pub fn site_root(tmp: &tempfile::TempDir) -> PathBuf {
    tmp.path().join("site")
}

/// Copies a folder recursively (files and folders; symbolic links are copied as the
/// files they point to).
pub fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    let mut entries: Vec<_> = fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let src = entry.path();
        let dst = to.join(entry.file_name());
        if fs::metadata(&src)?.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// Prepares what git cannot hold well in the invalid fixture `case` (run after copying
/// it to `root`): its symbolic links.
pub fn prepare_invalid(case: &str, root: &Path) {
    let link = |target: &str, link: &str| {
        std::os::unix::fs::symlink(target, root.join(link))
            .unwrap_or_else(|e| panic!("create the symbolic link {link}: {e}"));
    };
    match case {
        // A file outside the site folder, linked from content/static/.
        "symlink-outside-site" => link("/etc/hosts", "content/static/report.pdf"),
        // Files of the site that are not content, linked from content/static/ (they
        // would be published), and a practice's text linked as a page's.
        "symlink-to-site-files" => {
            link("../../observatory.toml", "content/static/settings.toml");
            link("../../i18n", "content/static/strings");
            link(
                "../../practices/social-activation/index.en.md",
                "content/pages/about/index.en.md",
            );
        }
        // A file of the theme linked to one outside the site folder.
        "theme-file-symlink-outside-site" => {
            let target = repo().join("README.md");
            std::os::unix::fs::symlink(target, root.join("themes/default/static/css/extra.css"))
                .expect("create the symbolic link");
        }
        // An interface file linked to a file outside the site folder (whose lines an
        // error would quote).
        "i18n-symlink-outside-site" => {
            let file = root.join("i18n/fr.toml");
            fs::remove_file(&file).expect("remove the copied interface file");
            std::os::unix::fs::symlink(repo().join("README.md"), &file)
                .expect("create the symbolic link");
        }
        // A front matter of 300 kB that is nothing but brackets.
        "toml-too-many-brackets" => {
            let file = root.join("content/practices/social-activation/index.en.md");
            let text = fs::read_to_string(&file).expect("read the practice");
            let deep = format!("x = {}\n", "[".repeat(150_000));
            fs::write(&file, text.replacen("+++\n", &format!("+++\n{deep}"), 1))
                .expect("write the practice");
        }
        // The theme's folder a link to one outside the site folder.
        "theme-folder-symlink-outside-site" => {
            let theme = root.join("themes/default");
            fs::remove_dir_all(&theme).expect("remove the copied theme");
            std::os::unix::fs::symlink(repo().join("themes/default"), &theme)
                .expect("create the symbolic link");
        }
        _ => {}
    }
}

/// Builds the site at `root` into `out`, as `limes build --root ROOT --out OUT` would.
pub fn build(root: &Path, out: &Path) -> Result<BuildReport, Diagnostics> {
    limes::build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: None,
        allow_missing_strings: false,
        force: false,
        drafts: false,
    })
    .map_err(|e| e.diagnostics)
}

/// The text of the sentinel file in [`previous_output`].
pub const SENTINEL: &str = "previous good build";

/// Makes `dir` look like the output of an earlier build: limes's marker and a
/// `sentinel.html` holding [`SENTINEL`]. Returns its files, as [`list_files`] lists them.
pub fn previous_output(dir: &Path) -> Vec<String> {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(limes::output::MARKER), "").unwrap();
    fs::write(dir.join("sentinel.html"), SENTINEL).unwrap();
    list_files(dir)
}

/// Every file under `dir`, relative to it, with `/` separators, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap_or(&path);
                out.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

// Reading built HTML back in tests: small string helpers with readable failures.

#[track_caller]
pub fn assert_contains(hay: &str, needle: &str) {
    assert!(
        hay.contains(needle),
        "expected to find\n  {needle}\nin\n{}",
        excerpt(hay)
    );
}

#[track_caller]
pub fn assert_not_contains(hay: &str, needle: &str) {
    if let Some(i) = hay.find(needle) {
        let start = hay[..i]
            .char_indices()
            .rev()
            .nth(200)
            .map(|x| x.0)
            .unwrap_or(0);
        let end = (i + needle.len() + 200).min(hay.len());
        let end = (end..=hay.len())
            .find(|&e| hay.is_char_boundary(e))
            .unwrap_or(hay.len());
        panic!(
            "did not expect to find\n  {needle}\nbut found it here:\n{}",
            &hay[start..end]
        );
    }
}

/// The `<main>` of a page, or the whole page when it is short, for failure messages.
pub fn excerpt(hay: &str) -> &str {
    match (hay.find("<main"), hay.find("</main>")) {
        (Some(a), Some(b)) if a < b => &hay[a..b],
        _ => hay,
    }
}

/// Every piece of `hay` between `start` and the next `end`, in order.
pub fn between_all(hay: &str, start: &str, end: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = hay;
    while let Some(i) = rest.find(start) {
        rest = &rest[i + start.len()..];
        match rest.find(end) {
            Some(j) => {
                out.push(rest[..j].to_string());
                rest = &rest[j + end.len()..];
            }
            None => break,
        }
    }
    out
}

/// The part of `hay` from `start` to the next `end` (both included).
#[track_caller]
pub fn section<'a>(hay: &'a str, start: &str, end: &str) -> &'a str {
    let i = hay
        .find(start)
        .unwrap_or_else(|| panic!("no `{start}` in\n{}", excerpt(hay)));
    let j = hay[i..]
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"));
    &hay[i..i + j + end.len()]
}

/// Runs the limes binary in `cwd` with `args`.
pub fn limes(cwd: &Path, args: &[&str]) -> Output {
    Command::new(server::bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run the limes binary")
}

/// Bytes of a command's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs limes and expects exit 0; returns stdout.
#[track_caller]
pub fn ok(cwd: &Path, args: &[&str]) -> String {
    let out = limes(cwd, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "limes {args:?}\nstdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}
