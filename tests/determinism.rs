//! Two builds of the same input are byte-identical: same files, same bytes. Checked on
//! the repository's own example observatory and on the rich test fixture, each built
//! twice into two separate temporary output folders.

mod common;

use std::fs;
use std::path::Path;

/// Asserts that two output trees hold the same files with the same bytes.
fn assert_same_tree(a: &Path, b: &Path) {
    let files_a = common::list_files(a);
    let files_b = common::list_files(b);
    assert!(!files_a.is_empty(), "{} is empty", a.display());
    if files_a != files_b {
        let only_a: Vec<&String> = files_a.iter().filter(|f| !files_b.contains(f)).collect();
        let only_b: Vec<&String> = files_b.iter().filter(|f| !files_a.contains(f)).collect();
        panic!(
            "the two builds have different files\nonly in the first: {only_a:?}\nonly in the second: {only_b:?}"
        );
    }
    let mut different = Vec::new();
    for f in &files_a {
        let x = fs::read(a.join(f)).unwrap();
        let y = fs::read(b.join(f)).unwrap();
        if x != y {
            different.push(f.clone());
        }
    }
    assert!(
        different.is_empty(),
        "{} of {} files differ between two builds, for example: {:?}",
        different.len(),
        files_a.len(),
        &different[..different.len().min(10)]
    );
}

/// Builds `root` twice, into two fresh folders, and compares the results.
fn build_twice(root: &Path) {
    let outs = [
        tempfile::tempdir().expect("temporary folder"),
        tempfile::tempdir().expect("temporary folder"),
    ];
    let mut pages = Vec::new();
    for tmp in &outs {
        let out = tmp.path().join("public");
        let report = common::build(root, &out)
            .unwrap_or_else(|d| panic!("{} does not build:\n{d}", root.display()));
        pages.push((report.pages, report.files));
    }
    assert_eq!(pages[0], pages[1], "the two builds report different counts");
    assert_same_tree(
        &outs[0].path().join("public"),
        &outs[1].path().join("public"),
    );
}

#[test]
fn the_example_site_builds_byte_identically_twice() {
    build_twice(&common::repo());
}

#[test]
fn the_rich_fixture_builds_byte_identically_twice() {
    let tmp = common::site_from_fixture("rich");
    build_twice(&common::site_root(&tmp));
}
